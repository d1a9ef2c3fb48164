"""Page types and shared content of the public portal (cổng thông tin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, TranslatableMixin
from wagtail.search import index

from doingoai.text import vietnamese

from . import selectors
from .blocks import ArticleBodyBlock, PhotoBlock, VideoBlock

SECTION_PAGE_SIZE = 12
SECTION_CACHED_PAGES = 500
# Search weights (doingoai/search, docs/search.md): headline, then lead, then body.
SEARCH_BOOST_TITLE = 2
SEARCH_BOOST_LEAD = 1.5


class FoldedSearchMixin:
    """Search fields holding diacritic-folded and exact-form text (see docs/search.md).

    ``summary_field`` names the field shown under the title: the lead of an article, the
    introduction of a plain page.
    """

    summary_field = "lead"

    @property
    def body_text(self) -> str:
        """The body as plain text (search index, search snippets)."""
        return " ".join(self.body.stream_block.get_searchable_content(self.body))

    @property
    def folded_title(self) -> str:
        return vietnamese.index_text(self.title)

    @property
    def folded_lead(self) -> str:
        return vietnamese.index_text(getattr(self, self.summary_field))

    @property
    def folded_body(self) -> str:
        return vietnamese.index_text(self.body_text)

    @property
    def folded_heading(self) -> str:
        return vietnamese.index_text(f"{self.title}\n{getattr(self, self.summary_field)}")


class PortalPageMixin:
    """Shared by every portal page type (docs/deployment.md, "Uncached renders"): URL parts
    kept on cached instances, and view restrictions from the cached list of restricted paths
    instead of two queries per request (Wagtail's check reads the page's ancestors, then
    their restrictions)."""

    #: related objects read with the page in the routing query (``routing.py``)
    serve_select_related: tuple[str, ...] = ()

    def get_url_parts(self, request=None):
        """Wagtail's URL parts, remembered on the instance per site.

        Page objects served by the router and the furniture are cached per content version
        (a publish, move or site change bumps it), so their URL parts can be kept with them:
        no tree lookup nor language switch per link per request.
        """
        memo = self.__dict__.get("_portal_url_parts")
        if memo is None:  # only objects prepared by remember_url_parts (never admin copies)
            return super().get_url_parts(request)
        site = getattr(request, "_wagtail_site", None) if request is not None else None
        key = site.pk if site is not None else None
        if key not in memo:
            memo[key] = super().get_url_parts(request)
        return memo[key]

    def remember_url_parts(self, request) -> None:
        """Compute the URL parts now and keep them on this (cached) instance."""
        self.__dict__["_portal_url_parts"] = {}
        self.get_url_parts(request)

    def get_view_restrictions(self):
        if self.alias_of_id is None and not any(
            self.path.startswith(path) for path in selectors.restricted_paths()
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(PortalPageMixin, Page):
    """Trang chủ: one per language."""

    site_name = models.CharField(_("portal name"), max_length=255)
    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    footer_text = RichTextField(_("footer text"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("site_name"),
        FieldPanel("tagline"),
        FieldPanel("intro"),
        FieldPanel("footer_text"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.SectionPage", "portal.StandardPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .navigation import portal_furniture

        furniture = portal_furniture(request=request, page=self)
        context.update(selectors.home_blocks(home=self, sections=furniture["sections"]))
        return context


class SectionPage(PortalPageMixin, Page):
    """Chuyên mục: lists its news items, newest first, with pagination."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.ArticlePage", "portal.PhotoStoryPage", "portal.VideoStoryPage"]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        number = request.GET.get("trang", "1")

        def items():
            paginator = Paginator(selectors.section_items(section=self), SECTION_PAGE_SIZE)
            try:
                page = paginator.page(number)
            except PageNotAnInteger:
                page = paginator.page(1)
            except EmptyPage:
                page = paginator.page(paginator.num_pages)
            page.object_list = list(page.object_list)
            selectors.attach_card_images(page.object_list)
            return page

        # Lazy, and shown in a fragment cached per content version and page number (only
        # plausible page numbers: the cache is not a store for arbitrary query strings).
        context["items"] = SimpleLazyObject(items)
        context["list_cache_key"] = (
            int(number) if number.isdigit() and 0 < int(number) <= SECTION_CACHED_PAGES else None
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(PortalPageMixin, FoldedSearchMixin, RoutablePageMixin, Page):
    """Tin bài: a news item. Photo and video stories are kinds of it."""

    lead = models.TextField(_("lead"), max_length=600, help_text=_("One or two sentences."))
    hero_image = models.ForeignKey(
        "media.PortalImage",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("publication date"), default=timezone.now, db_index=True)
    is_featured = models.BooleanField(_("featured on the home page"), default=False)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("source")]),
                FieldRowPanel([FieldPanel("published_at"), FieldPanel("is_featured")]),
                FieldPanel("tags"),
            ],
            heading=_("Details"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("published_at"),
        # Folded (and exact-form) copies for the portal search: see docs/search.md.
        index.SearchField("folded_title", boost=SEARCH_BOOST_TITLE),
        index.SearchField("folded_lead", boost=SEARCH_BOOST_LEAD),
        index.SearchField("folded_body"),
        index.AutocompleteField("folded_heading"),
    ]
    parent_page_types = ["portal.SectionPage"]
    subpage_types: list[str] = []
    template = "portal/article_page.html"
    serve_select_related = ("hero_image",)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Covering index of the portal search's candidate statements (docs/search.md):
            # the tie-breaker is read without the row, whose large body comes first.
            models.Index(fields=["page_ptr", "published_at"], name="portal_article_pub_cover"),
        ]

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_image.description:
            raise ValidationError(
                {
                    "hero_image": _(
                        "The main image has no description (alt text): add one to the image first."
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: the template shows the lists inside fragments cached per content version, so
        # a warm render never loads them (docs/deployment.md, "Uncached renders").
        tags = SimpleLazyObject(lambda: selectors.article_tags(article=self))
        lists = selectors.ArticleLists(self, tags)
        context["tag_list"] = tags
        context["related_items"] = SimpleLazyObject(lambda: lists.related)
        context["latest_items"] = SimpleLazyObject(lambda: lists.latest)
        return context

    def get_cached_paths(self):
        """The article and its print view (front-end cache purge)."""
        return ["/", "in/"]

    @path("")
    def article(self, request):
        return self.render(request)

    @path("in/", name="print")
    def print_view(self, request):
        return self.render(request, template="portal/article_print.html")


class PhotoStoryPage(ArticlePage):
    """Phóng sự ảnh: a story told mainly in photos."""

    photos = StreamField([("photo", PhotoBlock())], verbose_name=_("photos"), min_num=1)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("photos"),
        FieldPanel("body"),
        *ArticlePage.content_panels[-1:],
    ]
    template = "portal/photo_story_page.html"

    class Meta:
        verbose_name = _("photo story")
        verbose_name_plural = _("photo stories")


class VideoStoryPage(ArticlePage):
    """Video: a story told in one video."""

    video = StreamField([("video", VideoBlock())], verbose_name=_("video"), min_num=1, max_num=1)
    duration = models.CharField(
        _("duration"), max_length=16, blank=True, help_text=_("For example 03:25")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("hero_image"),
        FieldPanel("video"),
        FieldPanel("duration"),
        FieldPanel("body"),
        *ArticlePage.content_panels[-1:],
    ]
    template = "portal/video_story_page.html"

    class Meta:
        verbose_name = _("video story")
        verbose_name_plural = _("video stories")


class StandardPage(PortalPageMixin, FoldedSearchMixin, Page):
    """Trang tĩnh: about the province, organisation chart, contacts."""

    summary_field = "intro"

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        # Folded (and exact-form) copies for the portal search: see docs/search.md.
        index.SearchField("folded_title", boost=SEARCH_BOOST_TITLE),
        index.SearchField("folded_lead", boost=SEARCH_BOOST_LEAD),
        index.SearchField("folded_body"),
        index.AutocompleteField("folded_heading"),
    ]
    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = _("plain page")
        verbose_name_plural = _("plain pages")


class Banner(TranslatableMixin, models.Model):
    """Banner quảng bá in one of the home page's slots."""

    class Slot(models.TextChoices):
        TOP = "top", _("Below the featured stories")
        SIDE = "side", _("Side column")
        BOTTOM = "bottom", _("Above the footer")

    title = models.CharField(_("title"), max_length=255)
    image = models.ForeignKey(
        "media.PortalImage", verbose_name=_("image"), on_delete=models.PROTECT, related_name="+"
    )
    link_url = models.URLField(_("link"), blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("linked page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slot = models.CharField(_("slot"), max_length=16, choices=Slot.choices, default=Slot.SIDE)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("image"),
        FieldPanel("link_url"),
        FieldPanel("link_page"),
        FieldRowPanel([FieldPanel("slot"), FieldPanel("sort_order")]),
        FieldPanel("is_active"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["slot", "sort_order", "pk"]
        verbose_name = _("banner")
        verbose_name_plural = _("banners")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if not self.link_url and not self.link_page_id:
            raise ValidationError(_("Give a link or choose a page."))


class RelatedPortalLink(TranslatableMixin, models.Model):
    """Liên kết website: other official portals the province links to."""

    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("address"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("title"), FieldPanel("url"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "pk"]
        verbose_name = _("related portal link")
        verbose_name_plural = _("related portal links")

    def __str__(self) -> str:
        return self.title
