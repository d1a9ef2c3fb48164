"""Site furniture shared by every public page: the locale's home, its sections and the
language links (with hreflang alternates), computed once per request."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from .site_address import public_base_url

_LOCALES_KEY = "portal:locales"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    available: bool
    is_current: bool


def locale_ids_by_code() -> dict[str, int]:
    """Language code → Locale id (cached; cleared when a locale changes)."""
    locales = cache.get(_LOCALES_KEY)
    if locales is None:
        locales = dict(Locale.objects.values_list("language_code", "pk"))
        cache.set(_LOCALES_KEY, locales, 3600)
    return locales


@receiver([post_save, post_delete], sender=Locale, dispatch_uid="portal-locales")
def _forget_locales(**kwargs) -> None:
    cache.delete(_LOCALES_KEY)


def home_for(*, page: Page | None, language: str):
    from .models import HomePage

    if page is not None and isinstance(page, HomePage):
        return page
    locale_id = page.locale_id if page is not None else locale_ids_by_code().get(language)
    home = HomePage.objects.live().filter(locale_id=locale_id, depth=2).first()
    if home is None and language != settings.LANGUAGE_CODE:
        return home_for(page=None, language=settings.LANGUAGE_CODE)
    return home


def _cached(key: str, build):
    """Cache ``build()`` under ``key`` for the current content version (stale after a publish)."""
    from .page_cache import versioned

    return versioned(key, build)


def translation_urls(page: Page, request) -> dict[int, str]:
    """Locale id → URL of each live translation of ``page`` (one query, then cached)."""

    def build() -> dict[int, str]:
        return {
            other.locale_id: other.get_url(request=request)
            for other in page.get_translations(inclusive=True)
            .live()
            .only("id", "url_path", "locale_id", "translation_key")
        }

    return _cached(f"translations:{request.get_host()}:{page.translation_key}", build)


def _language_rows(page: Page, request) -> list[tuple[str, str, str, bool]]:
    translations = translation_urls(page, request)
    locale_ids = locale_ids_by_code()
    rows = []
    for code, name in settings.LANGUAGES:
        translated = translations.get(locale_ids.get(code))
        if translated is not None:
            rows.append((code, name, translated, True))
        else:
            with translation.override(code):
                url = reverse("portal_translation_missing", args=[page.pk])
            rows.append((code, name, url, False))
    return rows


def language_links(*, page: Page | None, request) -> list[LanguageLink]:
    """One link per portal language: the translation if it exists, else a page saying so
    (cached per page and content version)."""
    current = translation.get_language()
    if page is not None and page.pk:
        rows = _cached(
            f"languages:{request.get_host()}:{page.pk}", lambda: _language_rows(page, request)
        )
    else:
        rows = [(code, name, f"/{code}/", True) for code, name in settings.LANGUAGES]
    return [
        LanguageLink(code=code, name=name, url=url, available=available, is_current=code == current)
        for code, name, url, available in rows
    ]


def portal_furniture(*, request, page: Page | None = None) -> dict:
    cached = getattr(request, "_portal_furniture", None)
    if cached is not None and cached["page"] is page:
        return cached
    from .models import SectionPage
    from .selectors import public_only, with_items

    language = translation.get_language() or settings.LANGUAGE_CODE
    locale_key = page.locale_id if page is not None else language

    def build() -> tuple:
        home = home_for(page=page, language=language)
        # The menu lists the sections that have something to read in this language (a
        # foreign-language edition often has fewer than the Vietnamese one).
        sections = (
            [
                section
                for section in with_items(
                    public_only(SectionPage.objects.live().child_of(home).in_menu())
                )
                if section.has_items
            ]
            if home
            else []
        )
        for item in [home, *sections] if home else []:
            item.remember_url_parts(request)  # kept with the cached objects
        return home, sections

    home, sections = _cached(f"furniture:{locale_key}", build)
    from .page_cache import content_version

    furniture = {
        "version": content_version(),  # template fragments are cached under it
        # most read changes when visits are flushed, not on publish: its fragment also varies
        # with the flush interval
        "visits_interval": int(time.time() // max(settings.VISITS_FLUSH_SECONDS, 1)),
        "page": page,
        "home": home,
        "sections": sections,
        "language_links": language_links(page=page, request=request),
        "current_language": language,
        # every absolute link (hreflang, feeds, canonical) starts with the site's address
        "base_url": public_base_url(request) if request is not None else "",
    }
    request._portal_furniture = furniture
    return furniture
