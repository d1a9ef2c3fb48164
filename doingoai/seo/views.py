"""Sitemaps and robots.txt: language-independent, one per Wagtail site."""

from __future__ import annotations

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

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
