"""Press work: briefings, press meetings and conferences, the questions raised, releases."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import RegisterRecord
from .units import PressAgency, Unit


class PressEvent(RegisterRecord):
    """A weekly press briefing, a quarterly press meeting or a press conference."""

    class Kind(models.TextChoices):
        WEEKLY_BRIEFING = "weekly_briefing", _("Weekly press briefing")
        QUARTERLY_MEETING = "quarterly_meeting", _("Quarterly press meeting")
        PRESS_CONFERENCE = "press_conference", _("Press conference")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("date"))
    spokesperson = models.CharField(_("spokesperson"), max_length=255)
    topics = models.TextField(_("topics"), blank=True)
    agencies = models.ManyToManyField(
        PressAgency,
        verbose_name=_("press agencies attending"),
        blank=True,
        related_name="press_events",
    )

    natural_key_fields = ("unit", "kind", "held_on", "title")

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "held_on", "title"],
                name="registers_unique_press_event",
                violation_error_message=_(
                    "This unit already recorded a press event of this kind, date and title."
                ),
            )
        ]
        verbose_name = _("press event")
        verbose_name_plural = _("press events")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class PressQuestion(models.Model):
    """A question the press raised at an event, and the unit assigned to answer it."""

    event = models.ForeignKey(
        PressEvent,
        verbose_name=_("press event"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    # The event's unit, copied so that questions are scoped like every other record.
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    asker = models.CharField(_("asked by"), max_length=255)
    agency = models.ForeignKey(
        PressAgency,
        verbose_name=_("press agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    question = models.TextField(_("question"))
    assigned_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit assigned to answer"),
        on_delete=models.PROTECT,
        related_name="assigned_press_questions",
    )
    deadline = models.DateField(_("answer deadline"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The event's unit and the unit assigned to answer both see (and may answer) the question.
    scope_fields = ("unit", "assigned_unit")
    natural_key_fields = ("event", "asker", "question")

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("press question")
        verbose_name_plural = _("press questions")

    def __str__(self) -> str:
        text = " ".join(self.question.split())
        return text if len(text) <= 80 else f"{text[:79]}…"

    def save(self, *args, **kwargs):
        if self.event_id:
            self.unit_id = self.event.unit_id
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.event_id:
            self.unit_id = self.event.unit_id
            if self.deadline and self.deadline < self.event.held_on:
                errors["deadline"] = _("The deadline cannot be before the date of the press event.")
            if self.answered_on and self.answered_on < self.event.held_on:
                errors["answered_on"] = _(
                    "The answer date cannot be before the date of the press event."
                )
        if self.answered_on and not self.answer.strip():
            errors["answer"] = _("Enter the answer given on that date.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_answered(self) -> bool:
        return bool(self.answered_on or self.answer.strip())


class PressQuestionReminder(models.Model):
    """Records that the overdue reminder for a question went out, so it goes out once."""

    question = models.OneToOneField(
        PressQuestion,
        verbose_name=_("press question"),
        on_delete=models.CASCADE,
        related_name="reminder",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.sent_at:%d/%m/%Y %H:%M}"


class PressRelease(RegisterRecord):
    """A press release (thông cáo báo chí), optionally carried by a portal article."""

    title = models.CharField(_("title"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    summary = models.TextField(_("summary"), blank=True)
    article = models.ForeignKey(
        "portal.ArticlePage",
        verbose_name=_("portal article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article on the portal that carries this release."),
    )

    natural_key_fields = ("unit", "issued_on", "title")

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "issued_on", "title"],
                name="registers_unique_press_release",
                violation_error_message=_(
                    "This unit already recorded a press release with this title on this date."
                ),
            )
        ]
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def __str__(self) -> str:
        return self.title
