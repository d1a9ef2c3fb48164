"""Alerts (cảnh báo) on what monitoring found, and response cases (vụ việc xử lý thông tin).

- ``AlertRule``: conditions on items and their story (risk, relevance, topic, growth, watched
  names) and where to send the notification (email, webhook), with a rate limit and a cooldown.
- ``Alert``: one rule firing for one story (or one item without a story); ``dedup_key`` is
  unique, so evaluating the same items again never stores a second alert.
- ``Delivery``: one notification of an alert on one channel, with its attempts.
- ``EvaluationMark``: how far the evaluation has read the items (the watermark).
- ``DigestLog``: the daily digests already sent (one a day).
- ``ResponseCase`` and ``CaseEvent``: a case opened from an item or a story, assigned to a unit
  with a deadline, moved through its statuses; every move is an event on its timeline.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SCORE_VALIDATORS = [MinValueValidator(0.0), MaxValueValidator(1.0)]
_EMAIL_SPLIT = re.compile(r"[\s,;]+")


def split_emails(text: str) -> list[str]:
    """The addresses of a free-text list (commas, semicolons, spaces or new lines)."""
    return [part for part in _EMAIL_SPLIT.split(text or "") if part]


class AlertRule(models.Model):
    """Quy tắc cảnh báo: every condition that is set must hold (they are combined with AND)."""

    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    # Conditions
    min_risk = models.FloatField(
        _("minimum risk"),
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("From 0 to 1; the item's or its story's risk must reach it."),
    )
    min_relevance = models.FloatField(
        _("minimum relevance"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
        help_text=_("Relevance to the province of the item or its story."),
    )
    topic = models.CharField(
        _("topic"), max_length=64, blank=True, help_text=_("Leave empty for any topic.")
    )
    growth_mentions = models.PositiveIntegerField(
        _("at least this many mentions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The story must have at least this many mentions in the hours below."),
    )
    growth_hours = models.PositiveSmallIntegerField(
        _("in the last (hours)"), default=6, validators=[MinValueValidator(1)]
    )
    watch_terms = models.ManyToManyField(
        "monitoring.WatchTerm",
        verbose_name=_("watched terms"),
        blank=True,
        related_name="+",
        help_text=_("Alert on any mention of one of these terms."),
    )
    watch_people = models.BooleanField(
        _("any watched name or official"),
        default=False,
        help_text=_("Alert on any mention of a term of kind watched name or official title."),
    )
    # Channels
    recipient_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users to email"), blank=True, related_name="+"
    )
    recipient_groups = models.ManyToManyField(
        "auth.Group", verbose_name=_("groups to email"), blank=True, related_name="+"
    )
    recipient_emails = models.TextField(
        _("other email addresses"),
        blank=True,
        help_text=_("Separated by commas or new lines."),
    )
    webhook_url = models.URLField(
        _("webhook address"),
        max_length=1000,
        blank=True,
        help_text=_("An http(s) address that receives each alert as JSON (POST)."),
    )
    # Limits
    max_per_hour = models.PositiveIntegerField(
        _("at most notifications per hour"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Alerts beyond this are stored but not sent (they appear in the digest)."),
    )
    cooldown_mentions = models.PositiveIntegerField(
        _("alert again after this many new mentions"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("The same story alerts again only when it has grown by this much."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_condition(self) -> bool:
        return (
            self.min_risk is not None
            or self.min_relevance is not None
            or bool(self.topic)
            or self.growth_mentions is not None
            or self.watch_people
        )

    def clean(self) -> None:
        from .webhooks import webhook_url_problem

        errors: dict[str, object] = {}
        bad = [email for email in split_emails(self.recipient_emails) if not _valid_email(email)]
        if bad:
            errors["recipient_emails"] = _("Not valid email addresses: %(emails)s") % {
                "emails": ", ".join(bad)
            }
        if self.webhook_url:
            problem = webhook_url_problem(self.webhook_url)
            if problem:
                errors["webhook_url"] = problem
        if errors:
            raise ValidationError(errors)


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


class Alert(models.Model):
    """Cảnh báo: a rule fired for a story (or an item that has no story)."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("alert rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    cluster = models.ForeignKey(
        "monitoring.Cluster",
        verbose_name=_("story cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.ForeignKey(
        "monitoring.Item",
        verbose_name=pgettext_lazy("monitoring", "item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    mentions = models.PositiveIntegerField(_("mentions when alerted"), default=0)
    notified = models.BooleanField(
        _("notified"), default=True, help_text=_("False when the rate limit held it back.")
    )
    dedup_key = models.CharField(_("de-duplication key"), max_length=100, unique=True)
    created = models.DateTimeField(
        pgettext_lazy("alert", "created"), default=timezone.now, db_index=True
    )

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["rule", "cluster", "-created"], name="responses_alert_rc")]

    def __str__(self) -> str:
        subject = self.cluster or self.item
        return f"{self.rule} — {subject}" if subject else str(self.rule)


class Delivery(models.Model):
    """One notification of an alert on one channel (gửi cảnh báo)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Held back by the rate limit")

    alert = models.ForeignKey(
        Alert, verbose_name=_("alert"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(
        pgettext_lazy("alert delivery", "channel"), max_length=16, choices=Channel.choices
    )
    target = models.TextField(_("sent to"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["alert", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel"], name="responses_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.channel} {self.status}"


class EvaluationMark(models.Model):
    """How far alert evaluation has read: the last item id evaluated (the watermark)."""

    name = models.CharField(max_length=50, unique=True)
    last_item_id = models.BigIntegerField(default=0)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation watermark")
        verbose_name_plural = _("evaluation watermarks")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_item_id}"


class DigestLog(models.Model):
    """A daily digest (bản tin tổng hợp hằng ngày) that was sent; one a day."""

    day = models.DateField(_("day"), unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.TextField(_("sent to"), blank=True)
    alerts = models.PositiveIntegerField(_("alerts"), default=0)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class ResponseCase(models.Model):
    """Vụ việc: something found online that a unit must verify and answer."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        VERIFYING = "verifying", _("Verifying")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.NEW, Status.VERIFYING)

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(pgettext_lazy("response case", "summary"), blank=True)
    cluster = models.ForeignKey(
        "monitoring.Cluster",
        verbose_name=_("story cluster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item = models.ForeignKey(
        "monitoring.Item",
        verbose_name=pgettext_lazy("monitoring", "item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    article = models.ForeignKey(
        "portal.ArticlePage",
        verbose_name=_("clarification article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article on the portal that gives the accurate information."),
    )
    answer_note = models.TextField(
        _("answer note"),
        blank=True,
        help_text=_("How the case was answered when there is no article on the portal."),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    #: Fields naming the unit whose officers see the case (the registers' unit scoping).
    scope_fields: tuple[str, ...] = ("agency",)

    class Meta:
        verbose_name = _("response case")
        verbose_name_plural = _("response cases")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def clean(self) -> None:
        opened_on = timezone.localdate(self.opened_at) if self.opened_at else timezone.localdate()
        if self.deadline and self.deadline < opened_on:
            raise ValidationError(
                {"deadline": _("The deadline cannot be before the day the case was opened.")}
            )

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.status in self.OPEN_STATUSES)

    is_overdue.boolean = True  # type: ignore[attr-defined]
    is_overdue.short_description = _("overdue")  # type: ignore[attr-defined]

    @property
    def hours_to_first_response(self) -> float | None:
        return _hours(self.opened_at, self.first_response_at)

    @property
    def hours_to_answer(self) -> float | None:
        return _hours(self.opened_at, self.answered_at)


def _hours(start, end) -> float | None:
    if start is None or end is None:
        return None
    return max(end - start, timedelta(0)).total_seconds() / 3600


class CaseEvent(models.Model):
    """One line of a case's timeline: a status change, a comment or a linked article."""

    case = models.ForeignKey(
        ResponseCase,
        verbose_name=_("response case"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=ResponseCase.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=ResponseCase.Status.choices, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(pgettext_lazy("response case", "comment"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_status}→{self.to_status}"

    @property
    def is_transition(self) -> bool:
        return bool(self.to_status) and self.from_status != self.to_status
