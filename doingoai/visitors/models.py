from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteDailyVisits(models.Model):
    """Page views and distinct visitors of the whole portal on one day."""

    day = models.DateField(_("day"), unique=True)
    views = models.PositiveBigIntegerField(_("page views"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily site visits")
        verbose_name_plural = _("daily site visits")

    def __str__(self) -> str:
        return f"{self.day}: {self.views}"


class PageDailyVisits(models.Model):
    """Views of one page in one language on one day (feeds "most read")."""

    page_id = models.PositiveBigIntegerField(_("page"), db_index=True)
    locale = models.CharField(_("language"), max_length=16)
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("page views"), default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["page_id", "locale", "day"], name="unique_page_day")
        ]
        indexes = [models.Index(fields=["locale", "day"])]
        verbose_name = _("daily page visits")
        verbose_name_plural = _("daily page visits")

    def __str__(self) -> str:
        return f"{self.page_id}/{self.locale} {self.day}: {self.views}"


class ReferrerDailyVisits(models.Model):
    """Views on one day by where visitors came from (direct, search, social…)."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        INTERNAL = "internal", _("From this portal")
        SEARCH = "search", _("Search engines")
        SOCIAL = "social", _("Social networks")
        OTHER = "other", _("Other websites")

    day = models.DateField(_("day"))
    kind = models.CharField(_("source"), max_length=16, choices=Kind.choices)
    views = models.PositiveBigIntegerField(_("page views"), default=0)

    class Meta:
        ordering = ["-day", "kind"]
        constraints = [models.UniqueConstraint(fields=["day", "kind"], name="unique_day_kind")]
        verbose_name = _("daily visits by source")
        verbose_name_plural = _("daily visits by source")

    def __str__(self) -> str:
        return f"{self.day} {self.kind}: {self.views}"
