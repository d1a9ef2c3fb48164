"""Delegations: outgoing (đoàn ra) and incoming (đoàn vào)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CountField, RegisterRecord, check_date_range
from .units import Unit


class OutgoingDelegation(RegisterRecord):
    """A delegation sent abroad."""

    destination_country = models.CharField(_("destination country"), max_length=100)
    destination_place = models.CharField(_("destination place"), max_length=255, blank=True)
    purpose = models.TextField(_("purpose"))
    head = models.CharField(
        _("head of delegation"), max_length=255, help_text=_("Name and position.")
    )
    officials_count = CountField(_("number of officials"))
    others_count = CountField(_("number of other individuals"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    authorising_document = models.CharField(
        _("authorising document"),
        max_length=255,
        blank=True,
        help_text=_("Number and symbol of the decision allowing the trip."),
    )

    natural_key_fields = ("unit", "destination_country", "start_date", "head")

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "destination_country", "start_date", "head"],
                name="registers_unique_outgoing_delegation",
                violation_error_message=_(
                    "This unit already recorded this delegation (same country, start date and "
                    "head)."
                ),
            )
        ]
        verbose_name = _("outgoing delegation")
        verbose_name_plural = _("outgoing delegations")

    def __str__(self) -> str:
        return f"{self.destination_country} ({self.start_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        check_date_range(self.start_date, self.end_date)


class IncomingDelegation(RegisterRecord):
    """A foreign delegation received in the province."""

    origin_country = models.CharField(_("country of origin"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=255)
    foreign_visitors = CountField(_("number of foreign visitors"), default=1)
    purpose = models.TextField(_("purpose"))
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("host unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_delegations",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    natural_key_fields = ("unit", "origin_country", "organisation", "start_date")

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "origin_country", "organisation", "start_date"],
                name="registers_unique_incoming_delegation",
                violation_error_message=_(
                    "This unit already recorded this delegation (same country, organisation and "
                    "start date)."
                ),
            )
        ]
        verbose_name = _("incoming delegation")
        verbose_name_plural = _("incoming delegations")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.start_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.foreign_visitors is not None and self.foreign_visitors < 1:
            raise ValidationError(
                {
                    "foreign_visitors": _(
                        "An incoming delegation must have at least one foreign visitor."
                    )
                }
            )
        check_date_range(self.start_date, self.end_date)
