"""Sitemaps, robots.txt, the favicon and the web app manifest."""

from __future__ import annotations

import json
from functools import cache

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from doingoai.portal.page_cache import versioned

from . import selectors
from .sitemaps import NewsSitemap, PortalSitemap


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_views.sitemap(request, {"pages": PortalSitemap(request)})


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    return sitemap_views.sitemap(
        request, {"news": NewsSitemap(request)}, template_name="seo/news_sitemap.xml"
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl everything public but the back office and the print views (duplicates)."""
    base = selectors.site_base_url(request)
    context = {
        "sitemaps": [
            selectors.absolute(reverse(name), base) for name in ("seo_sitemap", "seo_news_sitemap")
        ]
    }
    return render(request, "seo/robots.txt", context, content_type="text/plain; charset=utf-8")


@cache
def _favicon_bytes() -> bytes:
    path = finders.find("portal/icons/favicon.ico")
    if not path:
        raise Http404("No favicon")
    with open(path, "rb") as file:
        return file.read()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and crawlers ask for whatever the page's icon links say."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=7 * 24 * 3600)
    return response


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest of one language's portal (name, start page, icons, colours)."""
    language = translation.get_language() or settings.LANGUAGE_CODE

    def build() -> str:
        home = selectors.home_for_language(request, language)
        name = home.site_name if home is not None else str(settings.PORTAL_NAME)
        start = home.get_url(request) if home is not None else f"/{language}/"
        icons = [
            {"src": static("portal/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("portal/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("portal/icons/maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("portal/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ]
        manifest = {
            "name": name,
            "short_name": short_name(name),
            "lang": language,
            "start_url": start,
            "scope": start,
            "display": "browser",
            "background_color": "#ffffff",
            "theme_color": THEME_COLOUR,
            "icons": icons,
        }
        return json.dumps(manifest, ensure_ascii=False)

    body = versioned(f"manifest:{request.get_host()}:{language}", build)
    response = HttpResponse(body, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


THEME_COLOUR = "#a50e0e"  # the header's red (portal.css --red)


def short_name(name: str, limit: int = 15) -> str:
    """The last words of the portal's name that fit under an icon ("tỉnh Lào Cai")."""
    words: list[str] = []
    for word in reversed(name.split()):
        if words and len(" ".join([word, *words])) > limit:
            break
        words.insert(0, word)
    return " ".join(words)
