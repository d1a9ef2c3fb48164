"""Full-page cache for anonymous visitors (bộ nhớ đệm trang).

Anonymous GET requests for public pages are answered from Django's cache (local memory or
Redis). Every entry is keyed by a *content version* that is bumped whenever anything a page
can show changes (publish, unpublish, move, delete, banners, links): one increment invalidates
every language, listing, feed and sitemap at once, with no list of URLs to keep in step.
Requests that carry a session cookie (signed-in editors) neither read nor write the cache,
and previews are never served through it.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, quote_etag

VERSION_KEY = "pagecache:version"
EXCLUDED_PREFIXES = ("/quan-tri/", "/tai-lieu/", "/phien/", "/jsi18n/", "/static/", "/media/")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def page_cache_invalidate(**kwargs) -> None:
    """Make every cached page stale (called on publish, unpublish, move, delete…)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and "preview" not in request.GET
    )


def cache_key(request, version: int) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; honour If-None-Match with a 304."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request, content_version())
        entry = cache.get(key)
        if entry is not None:
            # Cached views still count: tell the visit counter what the render would have.
            request.visit_page_id, request.visit_language = entry["page_id"], entry["language"]
            return self._from_entry(request, entry, hit=True)
        response = self.get_response(request)
        if self._storable(response):
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "headers": {
                    name: response[name]
                    for name in ("Content-Language", "Vary", "X-Robots-Tag")
                    if response.has_header(name)
                },
                "etag": quote_etag(hashlib.md5(response.content).hexdigest()),  # noqa: S324
                "last_modified": http_date(),
                "page_id": getattr(request, "visit_page_id", None),
                "language": translation.get_language(),
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            return self._from_entry(request, entry, hit=False)
        return response

    @staticmethod
    def _storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and response.get("Content-Type", "").startswith(
                (
                    "text/html",
                    "application/rss",
                    "application/atom",
                    "application/xml",
                    "text/xml",
                    "text/plain",
                )
            )
        )

    @staticmethod
    def _from_entry(request, entry, *, hit: bool) -> HttpResponse:
        if request.headers.get("If-None-Match") == entry["etag"]:
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            for name, value in entry["headers"].items():
                response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = entry["last_modified"]
        response["X-Page-Cache"] = "hit" if hit else "miss"
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        return response
