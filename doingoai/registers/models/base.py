"""What every register record shares: its unit, who entered it and when, count fields that
refuse negative numbers, and a start/end date check."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NEGATIVE_COUNT = _("This number cannot be negative.")
END_BEFORE_START = _("The end date cannot be before the start date.")


class CountField(models.PositiveIntegerField):
    """A number of things or people: never negative, with a clear message in forms too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", 0)
        kwargs.setdefault("validators", [MinValueValidator(0, message=NEGATIVE_COUNT)])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        messages = {"min_value": NEGATIVE_COUNT, **kwargs.pop("error_messages", {})}
        return super().formfield(error_messages=messages, **kwargs)


class RegisterRecord(models.Model):
    """One entry of a register (sổ theo dõi), owned by a unit."""

    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
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

    #: Fields naming the units whose officers see the record (see selectors.records_visible_to).
    scope_fields: tuple[str, ...] = ("unit",)
    #: Fields that identify a record for imports: re-importing a row updates, never duplicates.
    natural_key_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True


def check_date_range(
    start, end, *, start_field: str = "start_date", end_field: str = "end_date"
) -> None:
    """Refuse an end date before the start date (the error goes on the end field)."""
    if start and end and end < start:
        raise ValidationError({end_field: END_BEFORE_START})
