"""Sitemaps built on Wagtail's ``Sitemap`` and rendered by Django's sitemap views.

Wagtail's own sitemap lists only the descendants of the site's root page, i.e. one language;
``PortalSitemap`` covers the root's translations too and adds the hreflang alternates that
Django's ``sitemap.xml`` template already knows how to render.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap

from . import selectors

# Google News wants ISO 639 codes, with zh-cn / zh-tw for Chinese.
NEWS_LANGUAGES = {"zh-hans": "zh-cn"}


class PortalSitemap(Sitemap):
    """Every live, public page of every language, with its translations as alternates."""

    @cached_property
    def _pages(self) -> list:
        pages = list(selectors.sitemap_pages(self.request))
        languages = selectors.language_by_locale_id()
        for page in pages:
            page.sitemap_url = page.get_full_url(self.request)
            page.sitemap_language = languages.get(page.locale_id, "")
        return [page for page in pages if page.sitemap_url]

    def items(self) -> list:
        return self._pages

    def _alternates(self) -> dict:
        """translation_key → hreflang alternates, x-default pointing at the Vietnamese page."""
        groups: dict = {}
        for page in self._pages:
            groups.setdefault(page.translation_key, []).append(
                {"lang_code": page.sitemap_language, "location": page.sitemap_url}
            )
        for alternates in groups.values():
            default = next(
                (a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None
            )
            if default:
                alternates.append({"lang_code": "x-default", "location": default["location"]})
        return groups

    def _urls(self, page, protocol, domain) -> list[dict]:
        alternates = self._alternates()
        urls = [
            {
                "item": item,
                "location": item.sitemap_url,
                "lastmod": self.lastmod(item),
                "alternates": alternates[item.translation_key],
            }
            for item in self.paginator.page(page).object_list
        ]
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


class NewsSitemap(Sitemap):
    """Google News sitemap: articles published in the last 48 hours."""

    limit = selectors.NEWS_LIMIT

    def items(self) -> list:
        return selectors.news_items(self.request)

    def _urls(self, page, protocol, domain) -> list[dict]:
        names = selectors.publication_names(self.request)
        languages = selectors.language_by_locale_id()
        urls = []
        for item in self.paginator.page(page).object_list:
            location = item.get_full_url(self.request)
            if not location:
                continue
            language = languages.get(item.locale_id, settings.LANGUAGE_CODE)
            urls.append(
                {
                    "location": location,
                    "title": item.title,
                    "publication_date": item.published_at,
                    "publication_name": names.get(item.locale_id, ""),
                    "language": NEWS_LANGUAGES.get(language, language),
                }
            )
        return urls
