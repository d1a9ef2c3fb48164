"""Fast routing of public pages (đường đi nhanh của một trang).

Wagtail finds a page by walking the tree from the site's root, one query per URL segment plus
one ``.specific`` query per level, after looking up the ``Site`` and the active ``Locale``
(8 queries for an article). ``PageRouteMiddleware`` gives Wagtail's ``serve`` view the same
answer with one query on a warm cache:

* the ``Site`` for a host and port, the localized root page and, for each URL, which page
  (id, type) answers it, are cached under the *content version* (``page_cache.py``): any
  publish, unpublish, move, delete or site change bumps it, so none of these is ever stale;
* the page itself is read with one query for its specific type (``select_related`` of what
  its template always shows, e.g. an article's main image) and kept in the cache under the
  same version; saving or deleting its row drops it (``signals.py``), and publishing bumps
  the version, so what is served is always the live content. It is then routed by its own
  ``route()`` (routable sub-pages such as ``in/`` included).

The result is handed to Wagtail through the attributes its own ``Site.find_for_request`` and
``Page.route_for_request`` cache on the request, so hooks (view restrictions,
``before_serve_page``), ``serve()`` and templates work unchanged. Anything unexpected falls
back to Wagtail's own routing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from .page_cache import content_version

ROUTE_SECONDS = 3600
ADMIN_PREFIXES = ("/quan-tri/", "/tai-lieu/", "/phien/")
_MISSING = "-"


def _key(version: int, *parts) -> str:
    return f"portal:{version}:" + ":".join(str(part) for part in parts)


def page_key(version: int, page_id: int) -> str:
    """The live page object, as read by the route (dropped when its row is saved)."""
    return _key(version, "page", page_id)


def forget_page(page_id: int) -> None:
    """A page's row was saved or deleted: read it again on the next request (at once and
    when the transaction commits, so a render in between cannot keep the old row)."""
    from django.db import transaction

    def forget() -> None:
        cache.delete(page_key(content_version(), page_id))

    forget()
    transaction.on_commit(forget)


def site_for_request(request, version: int | None = None) -> Site | None:
    """``Site.find_for_request`` with the answer cached per host and port (content version)."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    version = content_version() if version is None else version
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = _key(version, "site", hostname, port)
    site = cache.get(key)
    if site is None:
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            site = _MISSING
        cache.set(key, site, ROUTE_SECONDS)
    site = None if site == _MISSING else site
    request._wagtail_site = site
    return site


def _localized_root(site: Site, language: str, version: int) -> tuple[int, str] | None:
    """(id, url_path) of the site's root page in the active language (``root.localized``)."""
    from .navigation import locale_ids_by_code

    root = site.root_page
    locale_id = locale_ids_by_code().get(language)
    if locale_id is None or locale_id == root.locale_id:
        return root.pk, root.url_path
    key = _key(version, "root", site.pk, language)
    found = cache.get(key)
    if found is None:
        translated = (
            Page.objects.filter(translation_key=root.translation_key, locale_id=locale_id)
            .values_list("pk", "url_path", "live")
            .first()
        )
        found = translated[:2] if translated and translated[2] else (root.pk, root.url_path)
        cache.set(key, found, ROUTE_SECONDS)
    return tuple(found)


def _locate(root_url_path: str, components: list[str]) -> tuple[int, int, int] | None:
    """(page id, content type id, segments consumed) of the deepest page on the URL's path.

    The deepest page whose ``url_path`` is a prefix of the URL is the one Wagtail's tree walk
    would stop at: every segment after it is passed to its ``route()``.
    """
    prefixes = {
        root_url_path + "".join(f"{part}/" for part in components[:n]): n
        for n in range(len(components) + 1)
    }
    row = (
        Page.objects.filter(url_path__in=list(prefixes))
        .order_by("-depth")
        .values_list("pk", "content_type_id", "url_path")
        .first()
    )
    if row is None:
        return None
    return row[0], row[1], prefixes[row[2]]


def route(request, path: str):
    """Wagtail's ``Page.route_for_request`` answer, or ``None`` to let Wagtail route itself."""
    site = site_for_request(request)
    if site is None:
        return None
    version = content_version()
    language = translation.get_language() or ""
    root = _localized_root(site, language, version)
    if root is None:
        return None
    components = [component for component in path.split("/") if component]
    key = _key(version, "route", site.pk, root[0], "/".join(components))
    located = cache.get(key)
    if located is None:
        located = _locate(root[1], components)
        if located is None:
            return None  # Wagtail answers 404 after its own walk
        if located[2] == len(components):  # not URLs with a tail (404s, sub-routes): unbounded
            cache.set(key, located, ROUTE_SECONDS)
    page_id, content_type_id, consumed = located
    page = cache.get(page_key(version, page_id))
    if page is None:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return None
        queryset = model._default_manager.filter(pk=page_id)
        related = getattr(model, "serve_select_related", ())
        if related:
            queryset = queryset.select_related(*related)
        page = next(iter(queryset[:1]), None)
        if page is None:  # deleted under us: the next request sees a new version
            return None
        if hasattr(page, "remember_url_parts"):
            page.remember_url_parts(request)  # kept with the cached object
        cache.set(page_key(version, page_id), page, ROUTE_SECONDS)
    try:
        return page.route(request, components[consumed:])
    except Http404:
        return False


class PageRouteMiddleware:
    """Hand Wagtail's ``serve`` view the cached site and the page routed in one query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve:
            if not request.path_info.startswith(ADMIN_PREFIXES):
                site_for_request(request)  # feeds, sitemaps, search: the cached site
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        result = route(request, path)
        if result is False:
            request._wagtail_route_for_request = None  # a 404, exactly as Wagtail's walk
        elif result is not None:
            request._wagtail_route_for_request = result
        return None
