"""Reads for portal pages.

Each list is one query; the main images (and their renditions) of every list on a page are
then fetched together by ``attach_card_images``, so query counts stay bounded however many
items a page shows.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Window
from django.db.models.functions import Concat, RowNumber, Substr
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from doingoai.visitors.selectors import most_read_page_ids

# Card pictures (``{% picture … fill-{320x180,640x360} format-{webp,jpeg} %}`` in card.html):
# WebP with a JPEG fallback, small for phones; all four are fetched with the list.
CARD_RENDITIONS = (
    "fill-320x180|format-webp",
    "fill-320x180|format-jpeg",
    "fill-640x360|format-webp",
    "fill-640x360|format-jpeg",
)
CARD_JPEG = "fill-640x360|format-jpeg"  # feed enclosures
# Banners (banners.html): side slot, and the wide slots small and large, WebP and JPEG.
BANNER_RENDITIONS = (
    "fill-400x225|format-webp",
    "fill-400x225|format-jpeg",
    "fill-600x100|format-webp",
    "fill-600x100|format-jpeg",
    "fill-1200x200|format-webp",
    "fill-1200x200|format-jpeg",
)
LATEST_COUNT = 6
RELATED_COUNT = 5
HOME_ITEMS_PER_SECTION = 4
_RESTRICTED_KEY = "portal:restricted-paths"


def _article_model():
    from .models import ArticlePage

    return ArticlePage


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of pages behind a view restriction (cached per content version, which a
    restriction change bumps; also cleared at once in this process)."""
    from .page_cache import versioned

    return versioned(
        _RESTRICTED_KEY,
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)),
        300,
    )


@receiver(
    [post_save, post_delete], sender=PageViewRestriction, dispatch_uid="portal-restricted-paths"
)
def _forget_restricted_paths(**kwargs) -> None:
    from .page_cache import content_version

    cache.delete(f"portal:{content_version()}:{_RESTRICTED_KEY}")


def public_only(qs: QuerySet) -> QuerySet:
    """Like Wagtail's ``.public()``, without a query per list."""
    for path in restricted_paths():
        qs = qs.exclude(path__startswith=path)
    return qs


def card_queryset(locale_id: int | None = None) -> QuerySet:
    """Live, public news items with only the fields a card needs."""
    qs = public_only(_article_model().objects.live()).defer("body")
    if locale_id is not None:
        qs = qs.filter(locale_id=locale_id)
    return qs


def attach_card_images(*lists) -> None:
    """Fetch the main image and card renditions of every item in ``lists`` in two queries."""
    from django.db.models import prefetch_related_objects

    items = [item for items in lists for item in items]
    if items:
        images = get_image_model().objects.prefetch_renditions(*CARD_RENDITIONS)
        prefetch_related_objects(items, Prefetch("hero_image", queryset=images))


def section_items(*, section) -> QuerySet:
    return card_queryset(section.locale_id).child_of(section).order_by("-published_at", "-pk")


def latest_items(*, locale_id: int, exclude=None, limit: int = LATEST_COUNT) -> list:
    qs = card_queryset(locale_id).order_by("-published_at", "-pk")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return list(qs[:limit])


def article_related(*, article, tags: list | None = None, limit: int = RELATED_COUNT) -> list:
    """Related news: most shared tags first, then same section, then newest."""
    tag_ids = [tag.pk for tag in (article.tags.all() if tags is None else tags)]
    section_path = article.path[: -article.steplen]
    qs = (
        card_queryset(article.locale_id)
        .exclude(pk=article.pk)
        .annotate(
            shared_tags=Count(
                "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
            ),
            same_section=Case(
                When(path__startswith=section_path, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .annotate(score=F("shared_tags") * 2 + F("same_section"))
        .filter(score__gt=0)
        .order_by("-score", "-published_at", "-pk")
    )
    return list(qs[:limit])


def article_tags(*, article) -> list:
    """The article's tags (cached per content version: tags change only on publish)."""
    from .page_cache import versioned

    return versioned(f"tags:{article.pk}", lambda: list(article.tags.all()))


class ArticleLists:
    """An article's related and latest news, loaded together on first use.

    The article template reads them inside cached fragments, so on a warm cache they are
    never loaded at all; when they are, the cards' images cost two queries for both lists.
    """

    def __init__(self, article, tags):
        self.article = article
        self.tags = tags
        self._loaded: dict | None = None

    def _load(self) -> dict:
        if self._loaded is None:
            related = article_related(article=self.article, tags=list(self.tags))
            latest = latest_items(locale_id=self.article.locale_id, exclude=self.article)
            attach_card_images(related, latest)
            self._loaded = {"related": related, "latest": latest}
        return self._loaded

    @property
    def related(self) -> list:
        return self._load()["related"]

    @property
    def latest(self) -> list:
        return self._load()["latest"]


def featured_items(*, locale_id: int, limit: int = 5) -> list:
    """Featured stories, topped up with the latest news so the block is never empty."""
    qs = card_queryset(locale_id).annotate(
        featured_first=Case(
            When(is_featured=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    return list(qs.order_by("-featured_first", "-published_at", "-pk")[:limit])


def most_read_items(*, locale, limit: int = 5) -> list:
    ids = most_read_page_ids(locale=locale.language_code, limit=limit)
    if not ids:
        return []
    by_id = {item.pk: item for item in card_queryset(locale.pk).filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def is_media_story(item) -> bool:
    """A photo or video story (from the cached content type: no query)."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(item.content_type_id).model
    return model in ("photostorypage", "videostorypage")


def media_items(*, locale_id: int, limit: int = 6) -> list:
    from .models import PhotoStoryPage, VideoStoryPage

    return list(
        card_queryset(locale_id)
        .type(PhotoStoryPage, VideoStoryPage)
        .order_by("-published_at", "-pk")[:limit]
    )


def with_items(sections: QuerySet) -> QuerySet:
    """``sections`` annotated ``has_items``: at least one live, public news item below it.

    One query; each test reads the tree-path index from the section's path onwards and
    stops at the first item (the path range, unlike ``startswith``, uses the index)."""
    items = public_only(_article_model().objects.live()).filter(
        path__gt=OuterRef("path"), path__lt=Concat(OuterRef("path"), Value("~"))
    )
    return sections.annotate(has_items=Exists(items))


def sections_with_latest(
    *, home, sections: list, per_section: int = HOME_ITEMS_PER_SECTION, exclude=()
) -> list[tuple]:
    """Each section with its latest items, in one query (a window function per section),
    leaving out the items in ``exclude`` (shown higher on the page already)."""
    if not sections:
        return []
    prefix_length = sections[0].depth * home.steplen
    section_prefix = Substr("path", 1, prefix_length)
    ranked = (
        card_queryset(home.locale_id)
        .descendant_of(home)
        .exclude(pk__in=[item.pk for item in exclude])
        .annotate(
            section_path=section_prefix,
            rank=Window(
                RowNumber(),
                partition_by=[section_prefix],
                order_by=[F("published_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank__lte=per_section)
    )
    by_section: dict[str, list] = {}
    for item in ranked:
        by_section.setdefault(item.section_path, []).append(item)
    for items in by_section.values():
        items.sort(key=lambda item: (item.published_at, item.pk), reverse=True)
    return [(section, by_section.get(section.path, [])) for section in sections]


class HomeBlocks:
    """The home page's lists, each loaded on first use (the template reads them inside cached
    fragments, so a warm render loads none of them). The card lists and their images are
    loaded together: featured, latest per section and the media strip cost five queries."""

    def __init__(self, *, home, sections: list):
        self.home = home
        self.sections = sections
        self._cards: dict | None = None

    def cards(self) -> dict:
        if self._cards is None:
            locale_id = self.home.locale_id
            featured = featured_items(locale_id=locale_id)
            # A story is shown once: the featured ones are left out of the section blocks,
            # and sections of photo and video stories only are the media strip's.
            latest = [
                (section, items)
                for section, items in sections_with_latest(
                    home=self.home, sections=self.sections, exclude=featured
                )
                if not items or not all(is_media_story(item) for item in items)
            ]
            self._cards = {
                "featured_items": featured,
                "sections_latest": latest,
                "media_items": media_items(locale_id=locale_id),
            }
            attach_card_images(
                self._cards["featured_items"],
                self._cards["media_items"],
                *(items for _section, items in self._cards["sections_latest"]),
            )
        return self._cards

    def banners_by_slot(self) -> dict:
        from .models import Banner

        banners = list(
            Banner.objects.filter(locale_id=self.home.locale_id, is_active=True)
            .select_related("link_page")
            .prefetch_related(
                Prefetch(
                    "image",
                    queryset=get_image_model().objects.prefetch_renditions(*BANNER_RENDITIONS),
                )
            )
        )
        return {slot: [b for b in banners if b.slot == slot] for slot in ("top", "side", "bottom")}

    def related_links(self) -> list:
        from .models import RelatedPortalLink

        return list(RelatedPortalLink.objects.filter(locale_id=self.home.locale_id))

    def most_read_items(self) -> list:
        from wagtail.models import Locale

        from .navigation import locale_ids_by_code

        codes = {pk: code for code, pk in locale_ids_by_code().items()}
        code = codes.get(self.home.locale_id)
        locale = Locale(pk=self.home.locale_id, language_code=code) if code else self.home.locale
        return most_read_items(locale=locale)


def home_blocks(*, home, sections: list) -> dict:
    """The home page's context: lazy lists (see ``HomeBlocks``)."""
    from django.utils.functional import SimpleLazyObject

    blocks = HomeBlocks(home=home, sections=sections)
    return {
        "featured_items": SimpleLazyObject(lambda: blocks.cards()["featured_items"]),
        "sections_latest": SimpleLazyObject(lambda: blocks.cards()["sections_latest"]),
        "media_items": SimpleLazyObject(lambda: blocks.cards()["media_items"]),
        "most_read_items": SimpleLazyObject(blocks.most_read_items),
        "banners_by_slot": SimpleLazyObject(blocks.banners_by_slot),
        "related_links": SimpleLazyObject(blocks.related_links),
    }
