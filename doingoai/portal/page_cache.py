"""Full-page cache for anonymous visitors (bộ nhớ đệm trang).

Anonymous GET requests for public pages are answered from Django's cache (local memory or
Redis). Every entry is keyed by a *content version* that is bumped whenever anything a page
can show changes (publish, unpublish, move, delete, banners, links, sites, view restrictions,
images, documents): one increment invalidates every language, listing, feed and sitemap at
once, with no list of URLs to keep in step. The same version keys the router's entries and
the template fragments of uncached renders (``routing.py``, ``versioned``).
Requests that carry a session cookie (signed-in editors) neither read nor write the cache,
and previews are never served through it.

A front-end cache (nginx, Varnish, a CDN) has no version to bump: ``affected_urls`` lists what
a publish makes stale there, and ``frontend_cache_purge`` sends it through Wagtail's frontend
cache backends when ``WAGTAILFRONTENDCACHE`` is configured (``FRONTEND_CACHE_PURGE_URL``).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
EXCLUDED_PREFIXES = ("/quan-tri/", "/tai-lieu/", "/phien/", "/jsi18n/", "/static/", "/media/")
# Longer query strings (a search with every filter is ~150 characters) are not cached: the
# cache is not a store for arbitrary addresses.
MAX_QUERY_STRING = 300


_request_memo = threading.local()


def _version_file() -> str:
    """With a process-local cache (no Redis), the version lives in a file every process of
    the machine reads (``CONTENT_VERSION_FILE``): a publish handled by one gunicorn worker
    makes the others' entries unreachable too."""
    return getattr(settings, "CONTENT_VERSION_FILE", "") or ""


def _read_version_file(path: str) -> int:
    try:
        with open(path, "rb") as file:
            return int(file.read().strip() or 1)
    except (FileNotFoundError, ValueError):
        return 1


def _bump_version_file(path: str) -> None:
    import fcntl

    with open(f"{path}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
        with open(temporary, "w") as file:
            file.write(str(_read_version_file(path) + 1))
        os.replace(temporary, path)  # readers see the old or the new number, never half


def content_version() -> int:
    """The current content version (read once per request: see ``remember_version``)."""
    memo = getattr(_request_memo, "version", None)
    if memo is not None:
        return memo
    path = _version_file()
    if path:
        return _read_version_file(path)
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


class remember_version:
    """Within a request, read the content version from the cache once (it is read by the
    page cache, the router, the furniture and every fragment). A bump made during the
    request (a publish) forgets it at once."""

    def __enter__(self):
        _request_memo.version = None
        _request_memo.version = content_version()

    def __exit__(self, *exc):
        _request_memo.version = None


def versioned(key: str, build, timeout: int = 3600):
    """``build()`` cached under ``key`` for the current content version.

    Everything cached this way (routes, page furniture, lists, rendered fragments) becomes
    unreachable the moment a publish, unpublish, move or delete bumps the version.
    """
    full_key = f"portal:{content_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def _bump() -> None:
    _request_memo.version = None
    path = _version_file()
    if path:
        try:
            _bump_version_file(path)
            return
        except OSError:
            logger.exception("Could not write the content version to %s", path)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def page_cache_invalidate(**kwargs) -> None:
    """Make every cached page stale (called on publish, unpublish, move, delete…).

    Bumped at once and again when the transaction commits: a request rendered between the
    two (still seeing the old rows) cannot leave stale entries under the new version.
    """
    _bump()
    transaction.on_commit(_bump)


# --- Front-end cache (nginx micro-cache, Varnish, a CDN): purge the affected URLs ----------


def frontend_cache_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def _base_url(full_url: str) -> str:
    parts = urlsplit(full_url)
    return f"{parts.scheme}://{parts.netloc}"


def _reverse_in(language: str, name: str, *args) -> str | None:
    from django.utils import translation

    with translation.override(language):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None


def affected_urls(page, *, url_path_before: str | None = None) -> list[str]:
    """Absolute URLs whose content shows ``page``, for the front-end cache purge.

    Everything the content-version bump makes stale in Django's own cache, as a list: the
    page (and its print view) in every language it exists in, each of those languages'
    home page, the page's section (listing page, RSS and Atom), the language's feeds, and
    the sitemaps. ``url_path_before`` (a move) adds the page's old address.
    """
    from wagtail.models import Page

    from .navigation import locale_ids_by_code

    codes = {pk: code for code, pk in locale_ids_by_code().items()}
    translations = list(
        Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    )
    pages = [page, *translations]
    steplen = page.steplen
    parent_paths = {p.path[:-steplen] for p in pages if p.depth > 2}
    home_paths = {p.path[: 2 * steplen] for p in pages if p.depth >= 2}
    listings = Page.objects.filter(path__in=parent_paths | home_paths).specific()
    urls: list[str] = []
    bases: set[str] = set()

    def add_page(item) -> str | None:
        full = item.get_full_url()
        if full is None:
            return None
        bases.add(_base_url(full))
        urls.extend(full + path.lstrip("/") for path in item.specific_deferred.get_cached_paths())
        return full

    for item in pages:
        full = add_page(item)
        if item.pk == page.pk and full and url_path_before and page.url_path != url_path_before:
            old_tail, new_tail = url_path_before, page.url_path
            while old_tail and new_tail and old_tail[0] == new_tail[0]:
                old_tail, new_tail = old_tail[1:], new_tail[1:]
            if full.endswith(new_tail):
                urls.append(full[: len(full) - len(new_tail)] + old_tail)
    for listing in listings:
        add_page(listing)
    for base in bases:
        for item in pages:
            language = codes.get(item.locale_id)
            if language is None:
                continue
            names = [("seo_rss",), ("seo_atom",)]
            # a section's own feeds, or those of the article's section
            slugs = item.url_path.strip("/").split("/")
            section_slug = slugs[1] if len(slugs) >= 2 else None
            if section_slug:
                names += [("seo_rss_section", section_slug), ("seo_atom_section", section_slug)]
            for name, *args in names:
                path = _reverse_in(language, name, *args)
                if path:
                    urls.append(base + path)
        for name in ("seo_sitemap", "seo_news_sitemap"):
            path = _reverse_in(settings.LANGUAGE_CODE, name)
            if path:
                urls.append(base + path)
    return list(dict.fromkeys(urls))


_pending_purge: set[str] = set()


def _send_pending_purge() -> None:
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    urls = sorted(_pending_purge)
    _pending_purge.clear()
    if not urls:
        return  # sent by an earlier callback of the same transaction
    try:
        purge_urls_from_cache(urls)
    except Exception:  # a purge must never break a publish
        logger.exception("Front-end cache purge failed")


def _purge_on_commit(urls) -> None:
    """Collect URLs and send them when the transaction commits, each once (a delete sends
    Wagtail's unpublish signal and the delete signal of each model row). URLs left by a
    rolled-back transaction go out with the next purge: one purge too many, never one missed.
    """
    _pending_purge.update(urls)
    transaction.on_commit(_send_pending_purge)


def frontend_cache_purge(page, **kwargs) -> None:
    """Purge ``page``'s affected URLs from the front-end cache once the transaction commits.

    Uses Wagtail's frontend cache (``wagtail.contrib.frontend_cache``: the backends of
    ``WAGTAILFRONTENDCACHE``, sent through its task so an RQ worker can do it); nothing at all
    happens when no backend is configured (the default).
    """
    if not frontend_cache_enabled():
        return
    try:
        urls = affected_urls(page, url_path_before=kwargs.get("url_path_before"))
    except Exception:  # a purge must never break a publish
        logger.exception("Could not list the URLs to purge for page %s", page.pk)
        return
    _purge_on_commit(urls)


def frontend_cache_purge_home(*, locale_id: int) -> None:
    """Banners and related-portal links are shown on the home page of their language."""
    if not frontend_cache_enabled():
        return
    from .models import HomePage

    home = HomePage.objects.filter(locale_id=locale_id, depth=2).first()
    full = home.get_full_url() if home is not None else None
    if full:
        _purge_on_commit([full])


def is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and "preview" not in request.GET
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_STRING
    )


def cache_key(request, version: int) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}"
    return f"pagecache:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def entity_tag(request, version: int) -> str:
    """A weak validator that every worker and machine computes alike: the content version,
    the visit-counter interval (the footer's counter changes with it) and the address.
    A hash of the body would differ between workers, whose counters differ."""
    interval = int(time.time() // max(settings.VISITS_FLUSH_SECONDS, 1))
    raw = f"{request.get_host()}|{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:16]
    return f'W/"{version}-{interval}-{digest}"'


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "")


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; honour If-None-Match with a 304.

    Entries keep the body compressed (gzip, once) as well as plain; the security headers
    (CSP, X-Frame-Options, …) are added by middleware outside this one, so a cached answer
    carries them exactly as a fresh render does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remember_version():
            return self._respond(request)

    def _respond(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        version = content_version()
        key = cache_key(request, version)
        entry = cache.get(key)
        if entry is not None:
            # Cached views still count: tell the visit counter what the render would have.
            request.visit_page_id, request.visit_language = entry["page_id"], entry["language"]
            return self._from_entry(request, entry, version, hit=True)
        response = self.get_response(request)
        if self._storable(response):
            entry = {
                "content": response.content,
                "gzip": gzip.compress(response.content, compresslevel=6, mtime=0),
                "content_type": response["Content-Type"],
                "headers": {
                    name: response[name]
                    for name in ("Content-Language", "Vary", "X-Robots-Tag")
                    if response.has_header(name)
                },
                "page_id": getattr(request, "visit_page_id", None),
                "language": translation.get_language(),
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            return self._from_entry(request, entry, version, hit=False)
        return response

    @staticmethod
    def _storable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Content-Encoding")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
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
    def _from_entry(request, entry, version: int, *, hit: bool) -> HttpResponse:
        etag = entity_tag(request, version)
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponse(status=304)
        elif _accepts_gzip(request):
            response = HttpResponse(entry["gzip"], content_type=entry["content_type"])
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
        for name, value in entry["headers"].items():
            response[name] = value
        patch_vary_headers(response, ("Accept-Encoding",))
        response["ETag"] = etag
        response["X-Page-Cache"] = "hit" if hit else "miss"
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_BROWSER_SECONDS)
        # nginx's micro-cache keeps the page this long (over Cache-Control; see deployment.md)
        response["X-Accel-Expires"] = str(settings.PAGE_CACHE_PROXY_SECONDS)
        return response
