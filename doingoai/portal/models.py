"""Page types and shared content of the public portal (cổng thông tin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from doingoai.text import vietnamese

from . import selectors
from .blocks import ArticleBodyBlock, PhotoBlock, VideoBlock

SECTION_PAGE_SIZE = 12
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


class HomePage(Page):
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


class SectionPage(Page):
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
        paginator = Paginator(selectors.section_items(section=self), SECTION_PAGE_SIZE)
        try:
            items = paginator.page(request.GET.get("trang", 1))
        except PageNotAnInteger:
            items = paginator.page(1)
        except EmptyPage:
            items = paginator.page(paginator.num_pages)
        items.object_list = list(items.object_list)
        selectors.attach_card_images(items.object_list)
        context["items"] = items
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "portal.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(FoldedSearchMixin, RoutablePageMixin, Page):
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

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

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
        context["tag_list"] = list(self.tags.all())
        context["related_items"] = selectors.article_related(article=self, tags=context["tag_list"])
        context["latest_items"] = selectors.latest_items(locale_id=self.locale_id, exclude=self)
        selectors.attach_card_images(context["related_items"], context["latest_items"])
        return context

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


class StandardPage(FoldedSearchMixin, Page):
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
