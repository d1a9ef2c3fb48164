"""RSS 2.0 and Atom feeds of the latest news, per language and per section.

The language comes from the URL prefix (``/en/rss/``); a feed lists only that locale's pages
of the request's Wagtail site. Feed instances are shared between requests, so everything a
request needs travels in the ``FeedSource`` object rather than on ``self``.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.images.models import SourceImageIOError

from doingoai.portal.models import HomePage, SectionPage
from doingoai.portal.selectors import CARD_JPEG

from . import selectors


@dataclass(frozen=True)
class FeedSource:
    home: HomePage
    section: SectionPage | None
    request: HttpRequest


class LatestNewsFeed(Feed):
    """RSS 2.0: the 30 latest news items (photo and video stories included)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, section: str | None = None) -> FeedSource:
        home = selectors.home_for_language(request, translation.get_language())
        if home is None:
            raise Http404("No portal in this language")
        found = None
        if section is not None:
            found = selectors.section_by_slug(home=home, slug=section)
            if found is None:
                raise Http404("No such section")
        return FeedSource(home=home, section=found, request=request)

    def title(self, obj: FeedSource) -> str:
        if obj.section:
            return f"{obj.section.title} | {obj.home.site_name}"
        return obj.home.site_name

    def link(self, obj: FeedSource) -> str:
        return (obj.section or obj.home).get_full_url(obj.request)

    def feed_url(self, obj: FeedSource) -> str:
        return selectors.absolute(obj.request.path, selectors.site_base_url(obj.request))

    def description(self, obj: FeedSource) -> str:
        if obj.section:
            return _("Latest news in %(section)s from %(site)s") % {
                "section": obj.section.title,
                "site": obj.home.site_name,
            }
        return _("Latest news from %(site)s") % {"site": obj.home.site_name}

    subtitle = description

    def author_name(self, obj: FeedSource) -> str:
        return obj.home.site_name

    def items(self, obj: FeedSource) -> list:
        items = selectors.feed_items(home=obj.home, section=obj.section)
        base = selectors.site_base_url(obj.request)
        host = urlsplit(base).hostname or "localhost"
        for item in items:
            # Computed here because item_* methods get no request.
            item.feed_link = item.get_full_url(obj.request)
            first = item.first_published_at or item.published_at
            item.feed_guid = f"tag:{host},{first:%Y-%m-%d}:page/{item.pk}"
            item.feed_enclosure = _enclosure(item, base)
        return items

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return item.lead

    def item_link(self, item) -> str:
        return item.feed_link

    def item_guid(self, item) -> str:
        return item.feed_guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.published_at

    def item_author_name(self, item) -> str | None:
        return item.author or None

    def item_categories(self, item) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item) -> list[Enclosure]:
        return [item.feed_enclosure] if item.feed_enclosure else []


class LatestNewsAtomFeed(LatestNewsFeed):
    """The same items as Atom 1.0."""

    feed_type = Atom1Feed


def _enclosure(item, base: str) -> Enclosure | None:
    """The card rendition of the main image (already prefetched: no query)."""
    if item.hero_image is None:
        return None
    try:
        rendition = item.hero_image.get_rendition(CARD_JPEG)
    except SourceImageIOError:
        return None
    try:
        length = rendition.file.size
    except OSError:
        length = 0
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return Enclosure(selectors.absolute(rendition.url, base), str(length), mime_type)
