"""Imports of social-media exports: posts and comments of Facebook, YouTube and Zalo pages.

A file is CSV (UTF-8, with or without BOM; comma, semicolon or tab separated; first row is
the header) or JSON (a list of objects, or an object whose ``data``, ``posts``, ``items``
or ``comments`` key holds that list). Column names are matched without case, diacritics or
punctuation, so ``Nội dung``, ``noi_dung`` and ``NOI DUNG`` are the same column.

========== ================================================== ========= ===========================
Column     Also accepted                                       Required  Value
========== ================================================== ========= ===========================
id         post_id, comment_id, commentId, ma                  yes       the platform's id
text       message, content, textOriginal, textDisplay,        yes       the text of the post
           noi_dung
platform   nen_tang                                            no [1]_   facebook, youtube, zalo
type       kind, loai                                          no        post (default) / comment,
                                                                         bài viết / bình luận
parent_id  parent, post, videoId, video_id                     no        the post a comment is on
url        link, permalink, permalink_url                      no        http(s) address
author     from, from_name, authorDisplayName, tac_gia,        no
           nguoi_dang
published  created_time, publishedAt, date, time, ngay_dang    no        ISO 8601, dd/mm/yyyy HH:MM,
                                                                         dd/mm/yyyy or Unix time
title      tieu_de                                             no
likes      likeCount, reactions, luot_thich                    no        whole number ≥ 0
shares     shareCount, luot_chia_se                            no        whole number ≥ 0
comments   commentCount, replyCount, luot_binh_luan            no        whole number ≥ 0
========== ================================================== ========= ===========================

.. [1] When a row has no platform, the source's platform is used.

Rows are numbered as in a spreadsheet for CSV (the header is row 1, the first post row 2) and
from 1 for the objects of a JSON list. A bad row is reported with its number and the reason,
in Vietnamese, and the other rows are imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from doingoai.textproc.folding import fold

from ..fetching import EXPORT_TYPES, setting
from .base import Connector, ConnectorError, Discovery, Entry, register

MAX_ROWS = 50_000
PLATFORMS = ("facebook", "youtube", "zalo", "other")
_COLUMNS = {
    "id": ("id", "post_id", "comment_id", "commentid", "ma"),
    "text": ("text", "message", "content", "textoriginal", "textdisplay", "noi_dung"),
    "platform": ("platform", "nen_tang"),
    "type": ("type", "kind", "loai"),
    "parent_id": ("parent_id", "parent", "post", "videoid", "video_id"),
    "url": ("url", "link", "permalink", "permalink_url"),
    "author": ("author", "from", "from_name", "authordisplayname", "tac_gia", "nguoi_dang"),
    "published": ("published", "created_time", "publishedat", "date", "time", "ngay_dang"),
    "title": ("title", "tieu_de"),
    "likes": ("likes", "likecount", "reactions", "luot_thich"),
    "shares": ("shares", "sharecount", "luot_chia_se"),
    "comments": ("comments", "commentcount", "replycount", "luot_binh_luan"),
}
_ALIASES = {alias: column for column, aliases in _COLUMNS.items() for alias in aliases}
_TYPES = {
    "post": "post",
    "bai viet": "post",
    "bai_viet": "post",
    "video": "post",
    "comment": "comment",
    "binh luan": "comment",
    "binh_luan": "comment",
    "reply": "comment",
}
_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")


@dataclass
class RowError:
    row: int
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)d: %(reason)s") % {"row": self.row, "reason": self.reason}


@dataclass
class SocialExport:
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


class _RowProblem(Exception):
    pass


def column_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", fold(str(name)).strip()).strip("_")
    return _ALIASES.get(key, _ALIASES.get(key.replace("_", ""), key))


def _parse_published(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise _RowProblem(
            _("the date %(value)s is not valid (use dd/mm/yyyy HH:MM or ISO 8601)")
            % {"value": repr(value[:40])}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _count(row: dict, column: str) -> int | None:
    value = str(row.get(column) or "").strip().replace(".", "").replace(",", "")
    if not value:
        return None
    if not value.isdigit():
        raise _RowProblem(
            _("%(column)s must be a whole number, not %(value)s")
            % {"column": column, "value": repr(str(row.get(column))[:20])}
        )
    return int(value)


def _entry(row: dict, *, default_platform: str) -> Entry:
    text = str(row.get("text") or "").strip()
    post_id = str(row.get("id") or "").strip()
    if not post_id:
        raise _RowProblem(_("the id is missing (column id)"))
    if not text:
        raise _RowProblem(_("the text is empty (column text)"))
    platform = fold(str(row.get("platform") or "").strip()) or default_platform
    if not platform:
        raise _RowProblem(_("the platform is missing (column platform: facebook, youtube or zalo)"))
    if platform not in PLATFORMS:
        raise _RowProblem(
            _("unknown platform %(value)s (use facebook, youtube or zalo)")
            % {"value": repr(platform[:20])}
        )
    raw_type = fold(str(row.get("type") or "").strip()) or "post"
    if raw_type not in _TYPES:
        raise _RowProblem(
            _("unknown type %(value)s (use post or comment)") % {"value": repr(raw_type[:20])}
        )
    url = str(row.get("url") or "").strip()
    if url and not re.match(r"https?://[^\s/]+", url, re.I):
        raise _RowProblem(
            _("the address %(value)s is not an http(s) address") % {"value": repr(url[:60])}
        )
    published = _parse_published(str(row.get("published") or ""))
    counts = {name: _count(row, name) for name in ("likes", "shares", "comments")}
    author = row.get("author") or ""
    if isinstance(author, dict):  # Graph API: "from": {"name": …, "id": …}
        author = author.get("name", "")
    kind = _TYPES[raw_type]
    title = str(row.get("title") or "").strip()
    if not title and kind == "post":
        title = " ".join(text.split())[:120]
    extra = {"platform": platform, "id": post_id}
    if row.get("parent_id"):
        extra["parent_id"] = str(row["parent_id"]).strip()
    extra.update({name: value for name, value in counts.items() if value is not None})
    return Entry(
        url=url,
        key=f"social:{platform}:{post_id}",
        title=title[:500],
        text=text,
        published=published,
        author=str(author).strip()[:255],
        kind=kind,
        extra=extra,
    )


def _rows_from_csv(text: str) -> tuple[list[tuple[int, dict]], list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    columns = [column_key(name) for name in header]
    rows = []
    for index, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        rows.append((index, dict(zip(columns, values, strict=False))))
    return rows, columns


def _rows_from_json(text: str) -> list[tuple[int, object]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConnectorError(
            _("The file is not valid JSON (line %(line)d): %(reason)s")
            % {"line": error.lineno, "reason": error.msg}
        ) from error
    if isinstance(data, dict):
        for key in ("data", "posts", "items", "comments"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise ConnectorError(_("The JSON file must hold a list of posts."))
    rows = []
    for index, value in enumerate(data, start=1):
        if isinstance(value, dict):
            value = {column_key(name): item for name, item in value.items()}
        rows.append((index, value))
    return rows


def parse_social_export(data: bytes, *, filename: str = "", platform: str = "") -> SocialExport:
    """Entries and row errors of an export file; raises ``ConnectorError`` for a bad file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConnectorError(_("The file is not UTF-8 text.")) from error
    name = filename.lower()
    is_json = name.endswith(".json") or (
        not name.endswith(".csv") and text.lstrip()[:1] in ("[", "{")
    )
    export = SocialExport()
    if is_json:
        rows = _rows_from_json(text)
    else:
        rows, columns = _rows_from_csv(text)
        missing = [c for c in ("id", "text") if c not in columns]
        if rows and missing:
            raise ConnectorError(
                _("The file has no column %(columns)s.") % {"columns": ", ".join(missing)}
            )
    if len(rows) > MAX_ROWS:
        export.errors.append(
            RowError(
                row=rows[MAX_ROWS][0],
                reason=_("more than %(max)d rows: the rest was not read") % {"max": MAX_ROWS},
            )
        )
        rows = rows[:MAX_ROWS]
    export.rows = len(rows)
    first_row: dict[str, int] = {}
    default_platform = fold(platform or "")
    for number, row in rows:
        try:
            if not isinstance(row, dict):
                raise _RowProblem(_("not an object with columns"))
            entry = _entry(row, default_platform=default_platform)
            if entry.key in first_row:
                raise _RowProblem(
                    _("the id %(id)s appears twice in this file (first on row %(row)d)")
                    % {"id": entry.extra["id"], "row": first_row[entry.key]}
                )
        except _RowProblem as problem:
            export.errors.append(RowError(row=number, reason=str(problem)))
            continue
        first_row[entry.key] = number
        export.entries.append(entry)
    return export


@register
class SocialExportConnector(Connector):
    """An export published at an address (by a page-management tool); files are imported
    with ``services.social_export_import`` instead."""

    kind = "social"
    fetches_pages = False

    def discover(self, source) -> Discovery:
        result = self.fetcher.fetch(
            source.url,
            accept=EXPORT_TYPES,
            etag=source.etag,
            last_modified=source.last_modified,
            max_bytes=max(setting("MONITORING_MAX_BYTES"), 20 * 1024 * 1024),
        )
        if result.not_modified:
            return Discovery(
                not_modified=True,
                http_status=304,
                etag=source.etag,
                last_modified=source.last_modified,
            )
        export = parse_social_export(
            result.content, filename=result.final_url.rsplit("?", 1)[0], platform=source.platform
        )
        return Discovery(
            entries=export.entries,
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            problems=[str(error) for error in export.errors],
        )
