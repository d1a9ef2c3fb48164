"""RSS and Atom feeds, read from the bytes we fetched: plain ones with lxml
(``simple_feeds``), the others with feedparser."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import feedparser
from django.utils.translation import gettext as _

from ..fetching import FEED_TYPES
from .base import Connector, ConnectorError, Discovery, Entry, max_entries, register
from .simple_feeds import simple_entries


def _entry_time(entry) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


# Not errors in the feed: a charset that differs from the HTTP header's, and the like.
_BENIGN = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


def parse_feed(
    content: bytes, *, base_url: str = "", content_type: str = ""
) -> tuple[list[Entry], list[str]]:
    """Entries of an RSS/Atom document; raises ``ConnectorError`` when it is not a feed."""
    if not content.strip():
        raise ConnectorError(_("The feed is empty."))
    simple = simple_entries(bytes(content))
    if simple is not None:  # a plain feed: read with lxml, as feedparser would read it
        return simple[: max_entries()], []
    return parse_with_feedparser(content, base_url=base_url, content_type=content_type)


def parse_with_feedparser(
    content: bytes, *, base_url: str = "", content_type: str = ""
) -> tuple[list[Entry], list[str]]:
    """``parse_feed`` for any feed, plain or not (feedparser reads every dialect)."""
    headers = {"content-location": base_url, "content-type": content_type or "application/xml"}
    # Bytes, never a string: given a string that looks like a URL feedparser would fetch it.
    parsed = feedparser.parse(bytes(content), response_headers=headers)
    exception = parsed.get("bozo_exception")
    malformed = bool(parsed.get("bozo")) and not isinstance(exception, _BENIGN)
    reason = str(exception or "")[:300] or _("unknown error")
    if not parsed.get("version") and not parsed.entries:
        if malformed:
            raise ConnectorError(_("The feed could not be read: %(reason)s") % {"reason": reason})
        raise ConnectorError(_("This address does not return an RSS or Atom feed."))
    entries = []
    without_link = 0
    for item in parsed.entries[: max_entries()]:
        link = (item.get("link") or "").strip()
        if not link:
            without_link += 1
            continue
        entries.append(
            Entry(
                url=link,
                title=(item.get("title") or "").strip(),
                summary=(item.get("summary") or "").strip(),
                published=_entry_time(item),
                author=(item.get("author") or "").strip(),
            )
        )
    if malformed and not entries:
        raise ConnectorError(_("The feed could not be read: %(reason)s") % {"reason": reason})
    problems: list[str] = []
    if malformed:
        problems.append(
            _("The feed is malformed; entries read anyway: %(reason)s") % {"reason": reason}
        )
    if without_link:
        problems.append(_("%(count)d feed entries had no link.") % {"count": without_link})
    return entries, problems


@register
class FeedConnector(Connector):
    kind = "feed"

    def discover(self, source) -> Discovery:
        result = self.fetcher.fetch(
            source.url, accept=FEED_TYPES, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            return Discovery(
                not_modified=True,
                http_status=304,
                etag=source.etag,
                last_modified=source.last_modified,
            )
        entries, problems = parse_feed(
            result.content, base_url=result.final_url, content_type=result.content_type
        )
        return Discovery(
            entries=entries,
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            problems=problems,
        )
