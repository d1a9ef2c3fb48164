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
