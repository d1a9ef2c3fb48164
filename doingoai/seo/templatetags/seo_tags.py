"""Page metadata for ``seo/head.html``: canonical URL, Open Graph, feeds and JSON-LD.

Everything comes from what the page's request has already loaded (the page, the portal
furniture, Wagtail's cached site root paths); the only possible extra query is the main
image and its 1200x630 rendition (the rendition is usually served from the cache).
"""

from __future__ import annotations

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import SourceImageIOError

from doingoai.portal.models import ArticlePage, HomePage, SectionPage

from .. import selectors

register = template.Library()

OG_IMAGE = "fill-1200x630"
OG_LOCALES = {"vi": "vi_VN", "en": "en_US", "zh-hans": "zh_CN", "lo": "lo_LA"}
BCP47 = {"zh-hans": "zh-Hans"}
# Keep "</script>" and friends inert inside a <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def seo_meta(context) -> dict:
    """{% seo_meta as seo %}: what the head of the current page needs."""
    return build_meta(context)


@register.simple_tag(takes_context=True)
def absolute_url(context, name: str) -> str:
    """Absolute URL of a named route on the request's site (the footer links)."""
    request = context["request"]
    return selectors.absolute(reverse(name), selectors.site_base_url(request))


def json_ld(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` that no string in ``data`` can break out of."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def build_meta(context) -> dict:
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    if not hasattr(page, "get_url_parts"):
        page = None
    portal = context.get("portal") or {}
    home = portal.get("home")
    language = translation.get_language() or settings.LANGUAGE_CODE
    base = selectors.site_base_url(request)
    site_name = getattr(home, "site_name", "") or str(settings.PORTAL_NAME)
    meta: dict = {
        "site_name": site_name,
        "og_locale": OG_LOCALES.get(language, language),
        "og_locale_alternates": [
            OG_LOCALES.get(link.code, link.code)
            for link in portal.get("language_links", [])
            if link.available and not link.is_current and page is not None
        ],
        "feeds": _feeds(page, portal, base, site_name),
    }
    if page is None:
        return meta

    canonical = page.get_full_url(request)
    page_number = request.GET.get("trang", "")
    if isinstance(page, SectionPage) and page_number.isdigit() and int(page_number) > 1:
        canonical = f"{canonical}?trang={int(page_number)}"  # each page of a list is its own
    is_article = isinstance(page, ArticlePage)
    description = (
        getattr(page, "lead", "") or page.search_description or getattr(page, "intro", "") or ""
    )
    image = _og_image(page, base) if is_article else None
    meta.update(
        canonical=canonical,
        title=page.seo_title or (site_name if isinstance(page, HomePage) else page.title),
        description=description,
        og_type="article" if is_article else "website",
        image=image,
    )
    if is_article:
        meta["json_ld"] = json_ld(
            _news_article(
                page, meta, language, home=home, request=request, tags=context.get("tag_list")
            )
        )
    return meta


def _og_image(page, base: str) -> dict | None:
    if not page.hero_image_id or page.hero_image is None:
        return None
    try:
        rendition = page.hero_image.get_rendition(OG_IMAGE)
    except SourceImageIOError:  # the original file is gone: no image rather than a 500
        return None
    return {
        "url": selectors.absolute(rendition.url, base),
        "width": rendition.width,
        "height": rendition.height,
        "alt": page.hero_image.alt_text,
    }


def _feeds(page, portal: dict, base: str, site_name: str) -> list[dict]:
    """RSS and Atom of the current language, then of the page's section if it has one."""
    feeds = [
        {"type": kind, "title": site_name, "url": selectors.absolute(reverse(name), base)}
        for kind, name in (("rss", "seo_rss"), ("atom", "seo_atom"))
    ]
    section = _section(page, portal)
    if section:
        slug, title = section
        feeds += [
            {
                "type": kind,
                "title": f"{title} | {site_name}" if title else site_name,
                "url": selectors.absolute(reverse(name, args=[slug]), base),
            }
            for kind, name in (("rss", "seo_rss_section"), ("atom", "seo_atom_section"))
        ]
    return feeds


def _section(page, portal: dict) -> tuple[str, str | None] | None:
    """(slug, title) of the section of a section page or article, with no query: the menu's
    sections are already loaded, and an article's parent slug is in its ``url_path``."""
    if isinstance(page, SectionPage):
        return page.slug, page.title
    if not isinstance(page, ArticlePage):
        return None
    for section in portal.get("sections", []):
        if page.path.startswith(section.path):
            return section.slug, section.title
    parts = page.url_path.strip("/").split("/")
    return (parts[-2], None) if len(parts) >= 3 else None


def _news_article(page, meta: dict, language: str, *, home, request, tags: list | None) -> dict:
    publisher = {"@type": "Organization", "name": meta["site_name"]}
    if home is not None:
        publisher["url"] = home.get_full_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": meta["title"],
        "description": meta["description"],
        "datePublished": page.published_at,
        "dateModified": page.last_published_at or page.published_at,
        "author": (
            {"@type": "Person", "name": page.author}
            if page.author
            else {"@type": "Organization", "name": meta["site_name"]}
        ),
        "publisher": publisher,
        "inLanguage": BCP47.get(language, language),
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta["canonical"]},
    }
    if meta["image"]:
        data["image"] = [meta["image"]["url"]]
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    return data
