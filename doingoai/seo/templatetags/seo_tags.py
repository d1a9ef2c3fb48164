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
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

from doingoai.portal.models import ArticlePage, HomePage, SectionPage

from .. import selectors

register = template.Library()

OG_IMAGE = "fill-1200x630"
LOGO = "portal/icons/icon-512.png"  # the emblem, for structured data
LOGO_SIZE = 512
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
        "description": site_description(home),
    }
    if page is None:
        return meta

    canonical = page.get_full_url(request)
    page_number = request.GET.get("trang", "")
    if isinstance(page, SectionPage) and page_number.isdigit() and int(page_number) > 1:
        canonical = f"{canonical}?trang={int(page_number)}"  # each page of a list is its own
    is_article = isinstance(page, ArticlePage)
    image = _og_image(page, base) if is_article else None
    meta.update(
        canonical=canonical,
        title=page.seo_title or (site_name if isinstance(page, HomePage) else page.title),
        description=page_description(page, home),
        og_type="article" if is_article else "website",
        image=image,
    )
    organisation = _organisation(meta, home, request, base)
    if is_article:
        data = _news_article(
            page,
            meta,
            language,
            publisher=organisation,
            tags=context.get("tag_list"),
        )
    elif isinstance(page, HomePage):
        data = {
            "@context": "https://schema.org",
            "@graph": [organisation, _website(meta, page, request, language, organisation)],
        }
    elif isinstance(page, SectionPage):
        data = _collection(page, meta, language, organisation, home, request)
    else:
        data = _web_page(page, meta, language, organisation)
    meta["json_ld"] = json_ld(data)
    return meta


def site_description(home) -> str:
    """What the portal is, for pages that have no text of their own (search, lists)."""
    if home is None:
        return ""
    return home.search_description or home.intro or home.tagline or home.site_name


def page_description(page, home) -> str:
    """The search-result description of a page: its own search description, its lead or
    introduction, else one made from its title and the portal's name."""
    text = page.search_description or getattr(page, "lead", "") or getattr(page, "intro", "")
    if not text and isinstance(page, HomePage):
        text = site_description(page)
    if not text and home is not None:
        text = _("%(title)s: news and information from %(site)s") % {
            "title": page.title,
            "site": home.site_name,
        }
    return " ".join(text.split())[:300]


def _logo(base: str) -> dict:
    return {
        "@type": "ImageObject",
        "url": selectors.absolute(static(LOGO), base),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
    }


def _organisation(meta: dict, home, request, base: str) -> dict:
    """The publisher: the portal's owner, with its logo (Google wants one for articles)."""
    organisation = {
        "@type": "GovernmentOrganization",
        "@id": f"{base}/#organisation",
        "name": meta["site_name"],
        "logo": _logo(base),
    }
    if home is not None:
        organisation["url"] = home.get_full_url(request)
    return organisation


def _website(meta: dict, home, request, language: str, organisation: dict) -> dict:
    """The portal as a ``WebSite`` whose search box search engines can offer."""
    with translation.override(language):
        search = selectors.absolute(reverse("portal_search"), selectors.site_base_url(request))
    return {
        "@type": "WebSite",
        "@id": f"{home.get_full_url(request)}#website",
        "name": meta["site_name"],
        "url": home.get_full_url(request),
        "inLanguage": BCP47.get(language, language),
        "publisher": {"@id": organisation["@id"]},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def _web_page(page, meta: dict, language: str, organisation: dict, kind: str = "WebPage"):
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": meta["canonical"],
        "url": meta["canonical"],
        "name": meta["title"],
        "description": meta["description"],
        "inLanguage": BCP47.get(language, language),
        "publisher": organisation,
    }


def _collection(page, meta: dict, language: str, organisation: dict, home, request) -> dict:
    """A section: a ``CollectionPage`` with its place in the portal (breadcrumbs)."""
    data = _web_page(page, meta, language, organisation, kind="CollectionPage")
    if home is not None:
        data["breadcrumb"] = {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": 1,
                    "name": home.site_name,
                    "item": home.get_full_url(request),
                },
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": page.title,
                    "item": meta["canonical"],
                },
            ],
        }
    return data


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
        "alt": page.hero_alt_text,
    }


def _feeds(page, portal: dict, base: str, site_name: str) -> list[dict]:
    """RSS and Atom of the current language, then of the page's section if it has one; a
    feed with nothing in it is not advertised (the menu's sections are those with items)."""
    if not portal.get("sections"):
        return []
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
    """(slug, title) of the section of a section page or article that has items, with no
    query: the menu's sections (those with items) are already loaded, and an article's
    parent slug is in its ``url_path``."""
    if isinstance(page, SectionPage):
        menu = {section.pk for section in portal.get("sections", [])}
        return (page.slug, page.title) if page.pk in menu else None
    if not isinstance(page, ArticlePage):
        return None
    for section in portal.get("sections", []):
        if page.path.startswith(section.path):
            return section.slug, section.title
    parts = page.url_path.strip("/").split("/")
    return (parts[-2], None) if len(parts) >= 3 else None


def _news_article(page, meta: dict, language: str, *, publisher: dict, tags: list | None) -> dict:
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
            else {"@type": "Organization", "name": meta["site_name"], "url": publisher.get("url")}
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
