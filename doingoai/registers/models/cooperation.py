"""Agreements and memoranda, twinning relations and cooperation with the border force across."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import RegisterRecord, check_date_range


class Agreement(RegisterRecord):
    """An international agreement or memorandum of understanding signed by the province."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement")
        MEMORANDUM = "memorandum", _("Memorandum of understanding")

    class Status(models.TextChoices):
        NEGOTIATING = "negotiating", _("Under negotiation")
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEMORANDUM)
    title = models.CharField(_("title"), max_length=255)
    parties = models.TextField(_("parties"), help_text=_("The signing parties, one per line."))
    signed_on = models.DateField(_("signed on"))
    period_start = models.DateField(_("valid from"), null=True, blank=True)
    period_end = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )

    natural_key_fields = ("unit", "title", "signed_on")

    class Meta:
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "title", "signed_on"],
                name="registers_unique_agreement",
                violation_error_message=_(
                    "This unit already recorded an agreement with this title signed on this date."
                ),
            )
        ]
        verbose_name = _("agreement or memorandum")
        verbose_name_plural = _("agreements and memoranda")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        check_date_range(
            self.period_start, self.period_end, start_field="period_start", end_field="period_end"
        )


class TwinningRelation(RegisterRecord):
    """A twinning (kết nghĩa) between a local and a foreign locality or body."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    local_party = models.CharField(_("local party"), max_length=255)
    foreign_party = models.CharField(_("foreign party"), max_length=255)
    country = models.CharField(_("country"), max_length=100)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)

    natural_key_fields = ("unit", "local_party", "foreign_party")

    class Meta:
        ordering = ["local_party", "foreign_party"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "local_party", "foreign_party"],
                name="registers_unique_twinning",
                violation_error_message=_("This unit already recorded this twinning relation."),
            )
        ]
        verbose_name = _("twinning relation")
        verbose_name_plural = _("twinning relations")

    def __str__(self) -> str:
        return f"{self.local_party} – {self.foreign_party}"


class BorderCooperation(RegisterRecord):
    """A letter exchanged, a joint patrol or a periodic talk with the border force across."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter exchanged")
        JOINT_PATROL = "joint_patrol", _("Joint patrol")
        PERIODIC_TALK = "periodic_talk", _("Periodic talk")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    counterpart = models.CharField(
        _("counterpart"), max_length=255, help_text=_("The border force or post across the border.")
    )
    summary = models.TextField(_("summary"), blank=True)

    natural_key_fields = ("unit", "kind", "date", "counterpart")

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "date", "counterpart"],
                name="registers_unique_border_cooperation",
                violation_error_message=_(
                    "This unit already recorded this activity with this counterpart on this date."
                ),
            )
        ]
        verbose_name = _("border cooperation activity")
        verbose_name_plural = _("border cooperation")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.counterpart} ({self.date:%d/%m/%Y})"
