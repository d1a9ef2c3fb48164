"""Border outreach sessions, media produced, and events, festivals and fairs taken part in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import CountField, RegisterRecord, check_date_range


class BorderOutreachSession(RegisterRecord):
    """A session informing border residents (tuyên truyền biên giới)."""

    held_on = models.DateField(_("date"))
    commune = models.CharField(_("commune"), max_length=255)
    border_post = models.CharField(_("border post"), max_length=255, blank=True)
    officers = models.TextField(
        _("officers taking part"), blank=True, help_text=_("Names, one per line.")
    )
    officers_count = CountField(_("number of officers"))
    residents_reached = CountField(_("residents reached"))
    topics = models.TextField(_("topics"), blank=True)
    legal_documents = models.TextField(
        _("legal documents presented"),
        blank=True,
        help_text=_("E.g. the 1999 land-border treaty, the 2009 demarcation protocol."),
    )

    natural_key_fields = ("unit", "held_on", "commune", "border_post")

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "held_on", "commune", "border_post"],
                name="registers_unique_outreach_session",
                violation_error_message=_(
                    "This unit already recorded a session in this commune with this border post "
                    "on this date."
                ),
            )
        ]
        verbose_name = _("border outreach session")
        verbose_name_plural = _("border outreach sessions")

    def __str__(self) -> str:
        return f"{self.commune} ({self.held_on:%d/%m/%Y})"


class MediaProduct(RegisterRecord):
    """Photos, videos, documentaries, banners, publications, broadcast programmes produced."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        VIDEO = "video", _("Video clip")
        DOCUMENTARY = "documentary", _("Documentary")
        BANNER = "banner", _("Banner")
        PUBLICATION = "publication", _("Publication")
        BROADCAST = "broadcast", _("Broadcast programme")

    class Language(models.TextChoices):
        VIETNAMESE = "vi", _("Vietnamese")
        ENGLISH = "en", _("English")
        CHINESE = "zh", _("Chinese")
        LAO = "lo", _("Lao")
        THAI_ETHNIC = "thai", _("Thái (ethnic minority language)")
        HMONG = "hmong", _("Mông (ethnic minority language)")
        DAO = "dao", _("Dao (ethnic minority language)")
        GIAY = "giay", _("Giáy (ethnic minority language)")
        HA_NHI = "ha_nhi", _("Hà Nhì (ethnic minority language)")
        OTHER = "other", _("Other language")

    ETHNIC_LANGUAGES = frozenset({"thai", "hmong", "dao", "giay", "ha_nhi"})
    FOREIGN_LANGUAGES = frozenset({"en", "zh", "lo"})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(
        _("language"), max_length=20, choices=Language.choices, default=Language.VIETNAMESE
    )
    channel = models.CharField(
        _("channel"), max_length=255, blank=True, help_text=_("E.g. portal, radio, Facebook.")
    )
    quantity = CountField(_("quantity"), default=1)
    produced_on = models.DateField(_("date"))

    natural_key_fields = ("unit", "kind", "title", "language", "produced_on")

    class Meta:
        ordering = ["-produced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "title", "language", "produced_on"],
                name="registers_unique_media_product",
                violation_error_message=_(
                    "This unit already recorded this product in this language on this date."
                ),
            )
        ]
        verbose_name = _("media product")
        verbose_name_plural = _("media produced")

    def __str__(self) -> str:
        return self.title


class EventParticipation(RegisterRecord):
    """An event, festival or trade fair the province took part in."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Event")
        FESTIVAL = "festival", _("Festival")
        TRADE_FAIR = "trade_fair", _("Trade fair")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EVENT)
    name = models.CharField(_("name"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    description = models.TextField(_("what the province did"), blank=True)

    natural_key_fields = ("unit", "name", "start_date")

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "start_date"],
                name="registers_unique_event_participation",
                violation_error_message=_(
                    "This unit already recorded this event with this start date."
                ),
            )
        ]
        verbose_name = _("event, festival or fair")
        verbose_name_plural = _("events, festivals and fairs")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        check_date_range(self.start_date, self.end_date)
