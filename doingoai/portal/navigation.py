"""Site furniture shared by every public page: the locale's home, its sections and the
language links (with hreflang alternates), computed once per request."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    available: bool
    is_current: bool


def locales_by_code() -> dict[str, Locale]:
    return {locale.language_code: locale for locale in Locale.objects.all()}


def home_for_language(language_code: str):
    from .models import HomePage

    return (
        HomePage.objects.live().filter(locale__language_code=language_code).first()
        or HomePage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).first()
    )


def language_links(*, page: Page | None, request) -> list[LanguageLink]:
    """One link per portal language: the translation if it exists, else a page saying so."""
    current = translation.get_language()
    translations: dict[int, Page] = {}
    if page is not None and page.pk:
        for other in page.get_translations(inclusive=True).live().public().only(
            "id", "url_path", "locale_id", "translation_key"
        ):
            translations[other.locale_id] = other
    links = []
    locales = locales_by_code()
    for code, name in settings.LANGUAGES:
        locale = locales.get(code)
        translated = translations.get(locale.pk) if locale else None
        if page is None:
            home = None
            url = f"/{code}/"
            available = True
        elif translated is not None:
            url = translated.get_url(request=request)
            available = True
        else:
            home = None
            with translation.override(code):
                url = reverse("portal_translation_missing", args=[page.pk])
            available = False
        links.append(LanguageLink(code=code, name=name, url=url, available=available,
                                  is_current=code == current))
    return links


def portal_furniture(*, request, page: Page | None = None) -> dict:
    cached = getattr(request, "_portal_furniture", None)
    if cached is not None and cached["page"] is page:
        return cached
    from .models import SectionPage

    language = translation.get_language() or settings.LANGUAGE_CODE
    home = home_for_language(language)
    sections = list(SectionPage.objects.live().public().child_of(home).in_menu()) if home else []
    furniture = {
        "page": page,
        "home": home,
        "sections": sections,
        "language_links": language_links(page=page, request=request),
        "current_language": language,
    }
    request._portal_furniture = furniture
    return furniture
