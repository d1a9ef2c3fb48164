"""Units (đơn vị) that keep registers, who belongs to them, and the press agencies they meet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A department, board, border-guard command, district or other body that keeps records."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        BOARD = "board", _("Board")
        BORDER_GUARD = "border_guard", _("Border guard")
        DISTRICT = "district", _("District")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_province_level = models.BooleanField(
        _("province level"),
        default=False,
        help_text=_("Members of a province-level unit see and edit the records of every unit."),
    )
    email = models.EmailField(_("unit email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class UnitMembership(models.Model):
    """A user's place in a unit: they see and edit that unit's records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        ordering = ["unit__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="registers_unique_membership")
        ]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.unit}"


class PressAgency(models.Model):
    """A press agency (cơ quan báo chí) attending briefings and asking questions."""

    class Kind(models.TextChoices):
        LOCAL = "local", _("Local press")
        CENTRAL = "central", _("Central press")
        FOREIGN = "foreign", _("Foreign press")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LOCAL)

    class Meta:
        ordering = ["name"]
        verbose_name = _("press agency")
        verbose_name_plural = _("press agencies")

    def __str__(self) -> str:
        return self.name
