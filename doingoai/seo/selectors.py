"""Reads for feeds, sitemaps and page metadata.

Everything is scoped to the Wagtail ``Site`` serving the request and found through Wagtail's
cached site root paths, so another site's pages never leak into this site's feeds or sitemaps.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urljoin

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.models.sites import SiteRootPath

from doingoai.portal.models import HomePage, SectionPage
from doingoai.portal.navigation import locale_ids_by_code
from doingoai.portal.selectors import attach_card_images, card_queryset, public_only
from doingoai.portal.site_address import public_base_url

FEED_SIZE = 30
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News reads at most 1,000 URLs per news sitemap


def site_roots(request: HttpRequest) -> dict[str, SiteRootPath]:
    """Language code → the request's site root (home page) in that language; no query once
    Wagtail has cached its root paths and found the request's site."""
    site = Site.find_for_request(request)
    if site is None:
        return {}
    return {
        root.language_code: root for root in Site.get_site_root_paths() if root.site_id == site.pk
    }


def site_base_url(request: HttpRequest) -> str:
    """Scheme and host of the request's Wagtail site, i.e. ``PORTAL_BASE_URL``
    (``doingoai.portal.site_address``)."""
    return public_base_url(request)


def absolute(url: str, base: str) -> str:
    """``url`` made absolute against ``base`` (media may already live on another host)."""
    return urljoin(base.rstrip("/") + "/", url)


def _under(roots: list[SiteRootPath]) -> Q:
    condition = Q(pk__in=[])
    for root in roots:
        condition |= Q(url_path__startswith=root.root_path)
    return condition


def home_for_language(request: HttpRequest, language: str) -> HomePage | None:
    root = site_roots(request).get(language)
    if root is None:
        return None
    return HomePage.objects.live().filter(url_path=root.root_path).first()


def section_by_slug(*, home: HomePage, slug: str) -> SectionPage | None:
    qs = SectionPage.objects.live().filter(url_path=f"{home.url_path}{slug}/")
    return public_only(qs).first()


def feed_items(*, home: HomePage, section: SectionPage | None = None) -> list:
    """The latest live, public news items under ``section`` (or the whole home): three
    queries (items, tags, images with renditions) however many there are."""
    parent = section or home
    items = list(
        card_queryset(home.locale_id)
        .filter(url_path__startswith=parent.url_path)
        .prefetch_related("tags")
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    attach_card_images(items)
    return items


def sitemap_pages(request: HttpRequest) -> QuerySet:
    """Every live, public page of the request's site, in every language."""
    roots = list(site_roots(request).values())
    qs = Page.objects.live().filter(_under(roots)).order_by("path")
    return public_only(qs).only(
        "id",
        "path",
        "depth",
        "url_path",
        "locale_id",
        "translation_key",
        "last_published_at",
        "latest_revision_created_at",
    )


def news_items(request: HttpRequest) -> list:
    """Articles of the request's site published in the last 48 hours, newest first."""
    roots = list(site_roots(request).values())
    now = timezone.now()
    return list(
        card_queryset()
        .filter(_under(roots), published_at__gt=now - NEWS_WINDOW, published_at__lte=now)
        .order_by("-published_at", "-pk")
        .only("id", "path", "url_path", "locale_id", "title", "published_at")[:NEWS_LIMIT]
    )


def publication_names(request: HttpRequest) -> dict[int, str]:
    """Locale id → the portal name in that language (each home's ``site_name``)."""
    roots = [root.root_path for root in site_roots(request).values()]
    return dict(HomePage.objects.filter(url_path__in=roots).values_list("locale_id", "site_name"))


def language_by_locale_id() -> dict[int, str]:
    return {pk: code for code, pk in locale_ids_by_code().items()}
