"""Visit the public portal as residents, feed readers and search engines do.

``crawl(fetch, base)`` starts from the sitemaps, robots.txt and every language's home page,
then follows every internal link, stylesheet, icon, manifest and feed it finds (and the link
of every feed item), until it has seen every reachable address. ``fetch(path)`` is the only
thing that differs between the Django test client and a real server over HTTP.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup

SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# Served by the proxy in production (docs/deployment.md) or never crawled: the back office,
# documents (downloads), media files (checked on disk by the caller).
SKIPPED_PREFIXES = ("/quan-tri/", "/tai-lieu/", "/phien/", "/media/")
MAX_ADDRESSES = 5000


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    location: str = ""


@dataclass
class CrawlReport:
    answers: dict[str, int] = field(default_factory=dict)  # path → status
    referrers: dict[str, str] = field(default_factory=dict)  # path → where it was found
    sitemap_paths: set[str] = field(default_factory=set)
    feed_paths: set[str] = field(default_factory=set)
    feed_item_paths: set[str] = field(default_factory=set)
    media_paths: set[str] = field(default_factory=set)
    foreign_absolute: set[str] = field(default_factory=set)  # absolute links to another base
    page_classes: set[str] = field(default_factory=set)  # body classes seen (page types)

    def failures(self) -> list[str]:
        return [
            f"{status} {path} (linked from {self.referrers.get(path, '?')})"
            for path, status in sorted(self.answers.items())
            if status != 200
        ]


def crawl(fetch: Callable[[str], Answer], base: str, languages: list[str]) -> CrawlReport:
    """Every address reachable from the sitemaps and the home pages, with its status."""
    report = CrawlReport()
    queue: list[str] = []
    base = base.rstrip("/")

    def local(url: str, referrer: str) -> str | None:
        """The path of ``url`` when it is an address of this portal, else None."""
        url = url.strip()
        if not url or url.startswith(("mailto:", "tel:", "javascript:", "#", "data:")):
            return None
        absolute = urljoin(base + referrer, url)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}" != base:
            if url.startswith(("http://", "https://")) and not _is_external_service(parts.netloc):
                report.foreign_absolute.add(f"{url} (in {referrer})")
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/media/"):
            report.media_paths.add(parts.path)
            return None
        if path.startswith(SKIPPED_PREFIXES):
            return None
        return path

    def enqueue(url: str, referrer: str) -> str | None:
        path = local(url, referrer)
        if path is not None and path not in report.referrers:
            report.referrers[path] = referrer
            queue.append(path)
        return path

    for start in ["/sitemap.xml", "/news-sitemap.xml", "/robots.txt", "/favicon.ico"]:
        enqueue(start, "/")
    for language in languages:
        enqueue(f"/{language}/", "/")

    while queue and len(report.answers) < MAX_ADDRESSES:
        path = queue.pop(0)
        answer = fetch(path)
        report.answers[path] = answer.status
        if answer.status in (301, 302, 307, 308) and answer.location:
            report.answers[path] = 200 if _same_page(path, answer.location) else answer.status
            enqueue(answer.location, path)
            continue
        if answer.status != 200:
            continue
        kind = answer.content_type.split(";")[0].strip()
        if kind == "text/html":
            _read_html(answer.body, path, enqueue, report)
        elif kind in ("application/xml", "text/xml") and path.endswith(".xml"):
            for url in _sitemap_urls(answer.body):
                found = enqueue(url, path)
                if found is not None:
                    report.sitemap_paths.add(found)
        elif kind in ("application/rss+xml", "application/atom+xml"):
            report.feed_paths.add(path)
            for entry in feedparser.parse(answer.body).entries:
                found = enqueue(entry.link, path)
                if found is not None:
                    report.feed_item_paths.add(found)
        elif kind == "text/plain" and path == "/robots.txt":
            for line in answer.body.decode().splitlines():
                if line.lower().startswith("sitemap:"):
                    enqueue(line.split(":", 1)[1].strip(), path)
        elif kind == "text/css":
            for url in re.findall(rb"url\(['\"]?([^'\")]+)", answer.body):
                enqueue(url.decode(), path)
        elif kind == "application/manifest+json":
            for url in re.findall(rb'"src": "([^"]+)"', answer.body):
                enqueue(url.decode(), path)
    return report


def _is_external_service(netloc: str) -> bool:
    """Share buttons, embeds and related portals point elsewhere on purpose."""
    return not netloc.startswith(("localhost", "127.0.0.1", "testserver"))


def _same_page(path: str, location: str) -> bool:
    """A redirect that only adds the language prefix or a trailing slash."""
    target = urlsplit(location).path
    return target.rstrip("/").endswith(path.rstrip("/")) or path == "/"


def _sitemap_urls(body: bytes) -> list[str]:
    root = ET.fromstring(body)  # noqa: S314 - our own sitemap
    urls = [loc.text for loc in root.iterfind(".//sm:loc", SITEMAP_NS)]
    urls += [link.get("href") for link in root.iterfind(".//xhtml:link", SITEMAP_NS)]
    return [url for url in urls if url]


def _read_html(body: bytes, path: str, enqueue, report: CrawlReport) -> None:
    soup = BeautifulSoup(body, "html.parser")
    if soup.body is not None:
        report.page_classes.update(soup.body.get("class") or [])
    for tag in soup.find_all("a", href=True):
        enqueue(tag["href"], path)
    for tag in soup.find_all("link", href=True):
        rel = set(tag.get("rel") or [])
        if rel & {"stylesheet", "icon", "apple-touch-icon", "manifest", "canonical", "alternate"}:
            found = enqueue(tag["href"], path)
            if found is not None and "alternate" in rel and tag.get("type", "").endswith("+xml"):
                report.feed_paths.add(found)
    for tag in soup.find_all(["img", "source", "video", "iframe"]):
        for attribute in ("src", "poster"):
            if tag.get(attribute):
                enqueue(tag[attribute], path)
        for candidate in (tag.get("srcset") or "").split(","):
            if candidate.strip():
                enqueue(candidate.strip().split()[0], path)
    for tag in soup.find_all("meta", property=True):
        if tag["property"] in ("og:url", "og:image"):
            enqueue(tag.get("content", ""), path)
    for tag in soup.find_all("form", action=True):
        if (tag.get("method") or "get").lower() == "get":
            enqueue(tag["action"] + "?q=L%C3%A0o+Cai", path)
