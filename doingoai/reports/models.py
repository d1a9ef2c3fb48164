"""Periodic reports (báo cáo định kỳ): what is reported on, the document's header and
signature block, and the notable events staff pick and order. The figures themselves are never
stored while a report is a draft: they are computed from the registers and the portal each time
(see selectors.report_figures); a final report keeps the figures it was signed with."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .periods import Period, PeriodError, PeriodKind

DEFAULT_PLACE = "Lào Cai"


class Report(models.Model):
    class Kind(models.TextChoices):
        QUARTER = PeriodKind.QUARTER.value, _("Quarterly report")
        HALF = PeriodKind.HALF.value, _("Six-monthly report")
        YEAR = PeriodKind.YEAR.value, _("Annual report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    title = models.CharField(
        pgettext_lazy("report", "subject"),
        max_length=255,
        help_text=_("The subject line under “BÁO CÁO”."),
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole province."),
    )
    superior_body = models.CharField(
        _("governing body"),
        max_length=255,
        blank=True,
        help_text=_("The body above the issuing body, e.g. UBND TỈNH LÀO CAI."),
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=255, help_text=_("E.g. SỞ THÔNG TIN VÀ TRUYỀN THÔNG.")
    )
    number = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_("Left empty until the document is registered, e.g. 12."),
    )
    symbol = models.CharField(_("symbol"), max_length=50, blank=True, help_text=_("E.g. BC-STTTT."))
    place = models.CharField(
        pgettext_lazy("report", "place"), max_length=100, default=DEFAULT_PLACE
    )
    issued_on = models.DateField(_("date"), default=timezone.localdate)
    signer_authority = models.CharField(
        _("signing on behalf"),
        max_length=50,
        blank=True,
        help_text=_("E.g. KT. GIÁM ĐỐC or TM. ỦY BAN NHÂN DÂN; empty when the head signs."),
    )
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True)
    recipients = models.TextField(
        pgettext_lazy("report", "recipients"),
        blank=True,
        help_text=_("“Nơi nhận”: one recipient per line."),
    )
    introduction = models.TextField(
        pgettext_lazy("report", "introduction"),
        blank=True,
        help_text=_("A short paragraph before the figures (optional)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    figures_snapshot = models.JSONField(
        _("figures when finalised"), null=True, blank=True, editable=False
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")

    def __str__(self) -> str:
        return f"{self.period.label} – {self.scope_name}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end:
            try:
                period = Period.from_range(self.period_start, self.period_end)
            except PeriodError:
                raise ValidationError(
                    _("The period must be a quarter, a half year or a whole year.")
                ) from None
            if period.kind != self.period_kind:
                raise ValidationError(_("The period dates do not match the kind of report."))

    @property
    def period(self) -> Period:
        return Period.from_range(self.period_start, self.period_end)

    @property
    def is_province(self) -> bool:
        return self.unit_id is None

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def scope_name(self) -> str:
        return self.unit.name if self.unit_id else str(_("Whole province"))

    @property
    def reference(self) -> str:
        """ "12/BC-STTTT"; while unnumbered, the blank left for the number: "   /BC-STTTT"."""
        number = self.number.strip() or "\u00a0" * 6
        return f"{number}/{self.symbol}" if self.symbol else number

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class NotableEvent(models.Model):
    """One of the "N notable events" of the period, in the order staff put them."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="notable_events"
    )
    text = models.TextField(_("event"))
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    # When the event was picked from a register: which record (e.g. "outgoingdelegation", 12).
    source_model = models.CharField(_("register"), max_length=50, blank=True, editable=False)
    source_id = models.PositiveIntegerField(_("record"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("notable event")
        verbose_name_plural = _("notable events")

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else f"{text[:79]}…"
