"""HTML listing pages (a section front, a search result page) and single URLs."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from doingoai.textproc.urls import InvalidURL, canonical_url, same_site

from ..fetching import HTML_TYPES
from .base import Connector, Discovery, Entry, max_entries, register

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
    matcher = re.compile(pattern) if pattern else None
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
        entries = listing_links(
            result.content,
            base_url=result.final_url,
            pattern=source.link_pattern,
            limit=max_entries(),
            charset=result.charset,
        )
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
