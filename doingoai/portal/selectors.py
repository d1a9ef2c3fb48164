"""Reads for portal pages. Each list is one query (plus one for its image renditions),
however many items it shows, so page query counts stay bounded."""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import RowNumber, Substr
from django.db.models.expressions import Window
from wagtail.images import get_image_model

from doingoai.visitors.selectors import most_read_page_ids

CARD_RENDITIONS = ("fill-640x360", "fill-320x180")
LATEST_COUNT = 6
RELATED_COUNT = 5
HOME_ITEMS_PER_SECTION = 4


def _article_model():
    from .models import ArticlePage

    return ArticlePage


def card_queryset(locale_id: int | None = None) -> QuerySet:
    """Live news items with what a card needs: main image and its renditions."""
    images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
    qs = (
        _article_model()
        .objects.live()
        .public()
        .prefetch_related(Prefetch("hero_image", queryset=images))
        .defer("body")
    )
    if locale_id is not None:
        qs = qs.filter(locale_id=locale_id)
    return qs


def section_items(*, section) -> QuerySet:
    return card_queryset(section.locale_id).child_of(section).order_by("-published_at", "-pk")


def latest_items(*, locale_id: int, exclude=None, limit: int = LATEST_COUNT) -> list:
    qs = card_queryset(locale_id).order_by("-published_at", "-pk")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs[:limit])


def article_related(*, article, limit: int = RELATED_COUNT) -> list:
    """Related news: most shared tags first, then same section, then newest."""
    tag_ids = list(article.tags.values_list("pk", flat=True))
    section_path = article.path[: -article.steplen]
    qs = (
        card_queryset(article.locale_id)
        .exclude(pk=article.pk)
        .annotate(
            shared_tags=Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids),
                              distinct=True),
            same_section=Case(When(path__startswith=section_path, then=Value(1)),
                              default=Value(0), output_field=IntegerField()),
        )
        .annotate(score=F("shared_tags") * 2 + F("same_section"))
        .filter(score__gt=0)
        .order_by("-score", "-published_at", "-pk")
    )
    return list(qs[:limit])


def featured_items(*, locale_id: int, limit: int = 5) -> list:
    featured = list(
        card_queryset(locale_id).filter(is_featured=True).order_by("-published_at")[:limit]
    )
    if len(featured) < limit:  # top up with the latest news so the slider is never empty
        taken = [item.pk for item in featured]
        featured += list(
            card_queryset(locale_id).exclude(pk__in=taken).order_by("-published_at")[
                : limit - len(featured)
            ]
        )
    return featured


def most_read_items(*, locale, limit: int = 5) -> list:
    ids = most_read_page_ids(locale=locale.language_code, limit=limit)
    by_id = {item.pk: item for item in card_queryset(locale.pk).filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def media_items(*, locale_id: int, limit: int = 6) -> list:
    from .models import PhotoStoryPage, VideoStoryPage

    return list(
        card_queryset(locale_id)
        .type(PhotoStoryPage, VideoStoryPage)
        .order_by("-published_at")[:limit]
    )


def sections_with_latest(*, home, per_section: int = HOME_ITEMS_PER_SECTION) -> list[tuple]:
    """Each section under ``home`` with its latest items, in two queries."""
    from .models import SectionPage

    sections = list(SectionPage.objects.live().public().child_of(home).in_menu())
    if not sections:
        return []
    depth_len = sections[0].depth * home.steplen
    ranked = (
        card_queryset(home.locale_id)
        .descendant_of(home)
        .annotate(
            section_path=Substr("path", 1, depth_len),
            rank=Window(RowNumber(), partition_by=[Substr("path", 1, depth_len)],
                        order_by=[F("published_at").desc(), F("pk").desc()]),
        )
        .filter(rank__lte=per_section)
        .order_by("path")
    )
    by_section: dict[str, list] = {}
    for item in ranked:
        by_section.setdefault(item.section_path, []).append(item)
    for items in by_section.values():
        items.sort(key=lambda item: item.published_at, reverse=True)
    return [(section, by_section.get(section.path, [])) for section in sections]


def home_blocks(*, home) -> dict:
    from .models import Banner, RelatedPortalLink

    banners = list(
        Banner.objects.filter(locale_id=home.locale_id, is_active=True)
        .select_related("image", "link_page")
        .prefetch_related(Prefetch("image", queryset=get_image_model().objects
                                   .prefetch_renditions("width-1200", "width-400")))
    )
    return {
        "featured_items": featured_items(locale_id=home.locale_id),
        "sections_latest": sections_with_latest(home=home),
        "most_read_items": most_read_items(locale=home.locale),
        "media_items": media_items(locale_id=home.locale_id),
        "banners_by_slot": {
            slot: [b for b in banners if b.slot == slot] for slot in ("top", "side", "bottom")
        },
        "related_links": list(RelatedPortalLink.objects.filter(locale_id=home.locale_id)),
    }
