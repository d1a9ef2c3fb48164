"""HTML listing pages (a section front, a search result page) and single URLs."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import re2
from django.utils.translation import gettext as _
from lxml import etree

from doingoai.textproc.urls import InvalidURL, canonical_url, same_site

from ..fetching import HTML_TYPES
from .base import Connector, ConnectorError, Discovery, Entry, max_entries, register

# Links to files and pages that are never articles.
_NOT_ARTICLE = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|pptx?|zip|rar|mp[34]|avi|mov|css|js|xml|rss)$",
    re.I,
)


_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)


def _charset(html: bytes, declared: str) -> str:
    if declared:
        return declared
    match = _META_CHARSET.search(html[:4096])
    return match.group(1).decode("ascii") if match else "utf-8"


class LinkPatternError(ValueError):
    """A link pattern the safe engine cannot compile; ``str(error)`` is for staff."""


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not absl's on stderr
    return options


def link_pattern_compile(pattern: str):
    """Compile an administrator's link pattern with RE2, whose matching time is linear in the
    length of the text whatever the pattern (no backtracking: ``(a+)+$`` cannot run away).

    RE2 has no back-references and no look-around; such patterns are refused with
    ``LinkPatternError`` (at save time by ``Source.clean``, at fetch time for older rows).
    """
    try:
        return re2.compile(pattern, _re2_options())
    except re2.error as error:
        detail = error.args[0] if error.args else ""
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise LinkPatternError(
            _(
                "Not a valid or not a supported regular expression (%(error)s). "
                "Back-references (\\1) and look-around ((?=…), (?<=…)) cannot be used."
            )
            % {"error": detail or pattern}
        ) from None


def listing_links(
    html: bytes, *, base_url: str, pattern: str = "", limit: int = 100, charset: str = ""
) -> list[Entry]:
    """Links of a listing page to other pages of the same site, in page order, once each."""
    try:
        parser = lxml.html.HTMLParser(encoding=_charset(html, charset))
        document = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        return []
    base = base_url
    for node in document.iterfind(".//base[@href]"):
        base = urljoin(base_url, node.get("href", ""))
        break
    matcher = link_pattern_compile(pattern) if pattern else None
    try:
        own = canonical_url(base_url)
    except InvalidURL:
        own = base_url
    seen = {own}
    entries = []
    for anchor in document.iterfind(".//a[@href]"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme not in ("http", "https") or not same_site(url, base_url):
            continue
        if _NOT_ARTICLE.search(urlsplit(url).path) or (matcher and not matcher.search(url)):
            continue
        try:
            key = canonical_url(url)
        except InvalidURL:
            continue
        if key in seen:
            continue
        seen.add(key)
        title = " ".join(anchor.text_content().split())[:500]
        entries.append(Entry(url=url, title=title))
        if len(entries) >= limit:
            break
    return entries


@register
class ListingConnector(Connector):
    kind = "listing"

    def discover(self, source) -> Discovery:
        result = self.fetcher.fetch(
            source.url, accept=HTML_TYPES, etag=source.etag, last_modified=source.last_modified
        )
        if result.not_modified:
            return Discovery(
                not_modified=True,
                http_status=304,
                etag=source.etag,
                last_modified=source.last_modified,
            )
        try:
            entries = listing_links(
                result.content,
                base_url=result.final_url,
                pattern=source.link_pattern,
                limit=max_entries(),
                charset=result.charset,
            )
        except LinkPatternError as error:
            raise ConnectorError(str(error)) from None
        return Discovery(
            entries=entries,
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
        )


@register
class SingleURLConnector(Connector):
    """A page submitted by staff: the page itself is the one entry."""

    kind = "url"

    def discover(self, source) -> Discovery:
        return Discovery(entries=[Entry(url=source.url)])
