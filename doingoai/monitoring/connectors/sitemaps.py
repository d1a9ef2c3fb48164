"""XML sitemaps: a ``urlset`` (with Google News titles and dates when present) or a
``sitemapindex`` whose newest child sitemaps on the same site are read. Parsed with lxml
without entities, DTDs or network access; gzip sitemaps are decompressed under the cap."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from lxml import etree

from doingoai.textproc.urls import same_site

from ..fetching import XML_TYPES, FetchError, ResponseTooLargeError, setting
from .base import Connector, ConnectorError, Discovery, Entry, max_entries, register

MAX_CHILD_SITEMAPS = 5
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
}


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decompressor.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise ConnectorError(_("The compressed sitemap is damaged.")) from error
    if len(out) > max_bytes or decompressor.unconsumed_tail:
        raise ResponseTooLargeError(
            _("The sitemap is larger than %(size)s bytes once decompressed.") % {"size": max_bytes}
        )
    return out


def parse_date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_sitemap(content: bytes, *, max_bytes: int) -> tuple[str, list[Entry]]:
    """``("urlset", entries)`` or ``("sitemapindex", child sitemaps as entries)``."""
    if content[:2] == b"\x1f\x8b":
        content = _gunzip(content, max_bytes)
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise ConnectorError(
            _("The sitemap is not valid XML: %(reason)s") % {"reason": error}
        ) from error
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ConnectorError(_("This address does not return a sitemap."))
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        values = {}
        for child in node.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "title", "publication_date") and name not in values:
                values[name] = (child.text or "").strip()
        if not values.get("loc"):
            continue
        entries.append(
            Entry(
                url=values["loc"],
                title=values.get("title", ""),
                published=parse_date(values.get("publication_date") or values.get("lastmod", "")),
            )
        )
    return kind, entries


def _newest_first(entries: list[Entry]) -> list[Entry]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda entry: entry.published or oldest, reverse=True)


@register
class SitemapConnector(Connector):
    kind = "sitemap"

    def discover(self, source) -> Discovery:
        max_bytes = setting("MONITORING_MAX_BYTES")
        result = self.fetcher.fetch(
            source.url, accept=XML_TYPES, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            return Discovery(
                not_modified=True,
                http_status=304,
                etag=source.etag,
                last_modified=source.last_modified,
            )
        kind, entries = parse_sitemap(result.content, max_bytes=max_bytes)
        problems: list[str] = []
        if kind == "sitemapindex":
            children = [e for e in _newest_first(entries) if same_site(e.url, source.url)]
            skipped = len(entries) - len(children)
            if skipped:
                problems.append(
                    _("%(count)d child sitemaps on other sites were skipped.") % {"count": skipped}
                )
            entries = []
            for child in children[:MAX_CHILD_SITEMAPS]:
                try:
                    child_result = self.fetcher.fetch(child.url, accept=XML_TYPES)
                    child_kind, child_entries = parse_sitemap(
                        child_result.content, max_bytes=max_bytes
                    )
                except (FetchError, ConnectorError) as error:  # one broken child only
                    problems.append(
                        _("Child sitemap %(url)s: %(error)s") % {"url": child.url, "error": error}
                    )
                    continue
                if child_kind == "urlset":
                    entries.extend(child_entries)
        entries = _newest_first([e for e in entries if same_site(e.url, source.url)])
        return Discovery(
            entries=entries[: max_entries()],
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            problems=problems,
        )
