"""What the monitoring module watches and what it found.

- ``Source``: a place to read (feed, sitemap, listing page, single URL, social export) with
  its schedule and its health (last fetch, status, error, failures in a row, validators for
  conditional GET).
- ``Item``: one document at one canonical URL (an article, a post, a comment), with its
  extracted text and metadata, its relevance to the province and its story cluster.
- ``Cluster``: one story, however many sites republished it; ``MentionHour`` counts its
  mentions per hour, so its growth over time can be drawn (per hour, or summed per day).
- ``WatchTerm``: the gazetteer of the province and the watch keywords, with weights.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


def source_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a source's address (a message for staff), or None when it can:
    the checks of the fetch itself (``fetching.url_refusal``), at save time."""
    from .fetching import BlockedAddressError, url_refusal

    refusal = url_refusal(url)
    if refusal is None:
        return None
    if isinstance(refusal, BlockedAddressError):
        return _("A source may not point inside the network. %(reason)s") % {"reason": refusal}
    return str(refusal)


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("RSS/Atom feed")
        SITEMAP = "sitemap", _("Sitemap")
        LISTING = "listing", _("HTML listing page")
        URL = "url", _("Single URL")
        SOCIAL = "social", _("Social-media export")

    class Platform(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        ZALO = "zalo", "Zalo"
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEVER = "never", _("Not fetched yet")
        OK = "ok", _("Working")
        NOT_MODIFIED = "not_modified", _("Not modified")
        ERROR = "error", _("Error")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(
        _("address"),
        max_length=2048,
        blank=True,
        help_text=_("Leave empty for a social-media export imported from a file."),
    )
    platform = models.CharField(
        _("platform"),
        max_length=16,
        choices=Platform.choices,
        blank=True,
        help_text=_("For social-media exports: used when a row does not name its platform."),
    )
    link_pattern = models.CharField(
        _("link pattern"),
        max_length=200,
        blank=True,
        help_text=_("For listing pages: a regular expression; only links that match it are read."),
    )
    fetch_interval_minutes = models.PositiveIntegerField(
        _("fetch every (minutes)"), default=60, validators=[MinValueValidator(5)]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Health
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_status = models.CharField(
        _("last status"), max_length=16, choices=Status.choices, default=Status.NEVER
    )
    last_http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_new_items = models.PositiveIntegerField(_("new items (last fetch)"), default=0)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=64, blank=True, editable=False)
    next_fetch_at = models.DateTimeField(_("next fetch"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        # Monitoring officers fetch now and import exports without editing the source list.
        permissions = [("fetch_source", _("Can fetch sources now and import exports"))]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind != self.Kind.SOCIAL and not self.url:
            errors["url"] = _("This kind of source needs an address.")
        if self.url:
            problem = source_url_problem(self.url)
            if problem:
                errors["url"] = problem
        if self.link_pattern:
            from .connectors.listing import LinkPatternError, link_pattern_compile

            try:
                link_pattern_compile(self.link_pattern)
            except LinkPatternError as error:
                errors["link_pattern"] = str(error)
        if errors:
            raise ValidationError(errors)

    @property
    def last_error_short(self) -> str:
        return Truncator(self.last_error.splitlines()[0] if self.last_error else "").chars(80)

    @property
    def fetch_interval(self) -> timedelta:
        return timedelta(minutes=self.fetch_interval_minutes)

    @property
    def is_fetchable(self) -> bool:
        """Sources with an address are fetched on schedule; file-only exports are not."""
        return bool(self.url)


class Cluster(models.Model):
    """One story: the items that are the same text, or nearly, wherever they were published."""

    representative = models.ForeignKey(
        "Item",
        verbose_name=_("representative item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    first_seen = models.DateTimeField(_("first seen"), db_index=True)
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    mention_count = models.PositiveIntegerField(_("mentions"), default=0, db_index=True)
    source_count = models.PositiveIntegerField(_("sources"), default=0)
    max_relevance = models.FloatField(_("relevance"), default=0.0)
    # Highest risk among the story's items and the topic of its representative item.
    max_risk = models.FloatField(_("risk"), default=0.0, db_index=True)
    topic = models.CharField(_("topic"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("story cluster")
        verbose_name_plural = _("story clusters")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.title or _("Story %(id)s") % {"id": self.pk}


class Item(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("Text extracted")
        NO_TEXT = "no_text", _("No text")
        FETCH_ERROR = "fetch_error", _("Fetch error")

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        POST = "post", _("Post")
        COMMENT = "comment", _("Comment")

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="items"
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("story cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ARTICLE)
    url = models.CharField(_("address"), max_length=2048, blank=True)
    canonical_url = models.CharField(_("canonical address"), max_length=2048, unique=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now, db_index=True)
    extraction_status = models.CharField(
        _("extraction"), max_length=16, choices=Status.choices, default=Status.OK, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    fetch_attempts = models.PositiveSmallIntegerField(_("fetch attempts"), default=1)
    relevance = models.FloatField(_("relevance"), default=0.0, db_index=True)
    matched_terms = models.JSONField(_("matched terms"), default=list, blank=True)
    signature = models.BinaryField(null=True, blank=True, editable=False)
    # Classification (chủ đề / mức độ rủi ro): written by the active classifier.
    topic = models.CharField(_("topic"), max_length=64, blank=True, db_index=True)
    topic_score = models.FloatField(_("topic score"), default=0.0)
    risk_score = models.FloatField(_("risk"), default=0.0, db_index=True)
    risk_scores = models.JSONField(_("risk by kind"), default=dict, blank=True)
    classifier_version = models.CharField(_("classifier"), max_length=64, blank=True)
    extra = models.JSONField(_("extra data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["-fetched_at"]
        indexes = [models.Index(fields=["source", "-fetched_at"], name="monitoring_item_source")]

    def __str__(self) -> str:
        return self.title or self.url or self.canonical_url

    @property
    def mentioned_at(self):
        """When the item counts as a mention: its publication time, else when we found it."""
        return self.published_at or self.fetched_at


class MentionHour(models.Model):
    """Mentions of a story in one hour (UTC): the growth curve of a cluster."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="hours")
    hour = models.DateTimeField(_("hour"))
    mentions = models.PositiveIntegerField(_("mentions"), default=0)

    class Meta:
        verbose_name = _("mentions per hour")
        verbose_name_plural = _("mentions per hour")
        ordering = ["cluster", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "hour"], name="monitoring_mention_hour")
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id} {self.hour:%Y-%m-%d %H}:00 {self.mentions}"


class WatchTerm(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        DISTRICT = "district", _("District, town or city")
        COMMUNE = "commune", _("Commune or ward")
        LANDMARK = "landmark", _("Landmark or border gate")
        OFFICIAL = "official", _("Official title or agency")
        PERSON = "person", _("Watched name")
        KEYWORD = "keyword", _("Watch keyword")

    term = models.CharField(_("term"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.KEYWORD)
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0.0)])
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("watch term")
        verbose_name_plural = _("watch terms")
        ordering = ["kind", "term"]

    def __str__(self) -> str:
        return self.term


class ItemLabel(models.Model):
    """The topic and risk a staff member gave an item (gán nhãn): training data for the
    classifier. One current label per item; relabelling replaces it."""

    class Topic(models.TextChoices):
        THOI_SU = "thoi-su", _("Current affairs")
        KINH_TE = "kinh-te", _("Economy")
        DU_LICH = "du-lich", _("Tourism")
        HOP_TAC = "hop-tac", _("International cooperation")
        BIEN_GIOI = "bien-gioi", _("Border")
        QUOC_PHONG = "quoc-phong", _("Defence and security")
        XA_HOI = "xa-hoi", _("Society")

    class Risk(models.TextChoices):
        NONE = "none", _("No risk")
        NEGATIVE = "negative", _("Negative")
        HARMFUL = "harmful", _("Harmful or inciting")
        FALSE = "false", _("Suspected false")

    item = models.OneToOneField(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="label"
    )
    topic = models.CharField(_("topic"), max_length=64, choices=Topic.choices, blank=True)
    risk = models.CharField(_("risk"), max_length=16, choices=Risk.choices, default=Risk.NONE)
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("labelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    labelled_at = models.DateTimeField(_("labelled at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("item label")
        verbose_name_plural = _("item labels")
        ordering = ["-labelled_at"]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_topic_display() or '-'} / {self.get_risk_display()}"
