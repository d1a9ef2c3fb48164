"""The annual external-information plan of a unit, with a target per indicator."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..indicators import Indicator
from .base import CountField, RegisterRecord


class AnnualPlan(RegisterRecord, ClusterableModel):
    """Kế hoạch thông tin đối ngoại năm: one per unit and year."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[
            MinValueValidator(2000, message=_("Enter a year between 2000 and 2100.")),
            MaxValueValidator(2100, message=_("Enter a year between 2000 and 2100.")),
        ],
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    natural_key_fields = ("unit", "year")

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="registers_unique_annual_plan",
                violation_error_message=_("This unit already has a plan for this year."),
            )
        ]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")

    def __str__(self) -> str:
        return self.title or f"{self.unit} – {self.year}"


class PlanTarget(models.Model):
    """The target for one indicator in an annual plan."""

    plan = ParentalKey(
        AnnualPlan, verbose_name=_("annual plan"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=Indicator.choices)
    target = CountField(_("target"))

    natural_key_fields = ("plan", "indicator")

    class Meta:
        ordering = ["plan", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator"],
                name="registers_unique_plan_target",
                violation_error_message=_("This indicator already has a target in this plan."),
            )
        ]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.target}"
