"""Indicators (chỉ tiêu) of external-information work.

The annual plan sets a target per indicator; the periodic reports count the same indicators
from the registers. Keep the codes stable: they are stored in the database and in files.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.TextChoices):
    ITEMS_PUBLISHED = "items_published", _("News items published")
    FOREIGN_LANGUAGE_ITEMS = "foreign_language_items", _("Foreign-language items published")
    PRESS_BRIEFINGS = "press_briefings", _("Press briefings held")
    PRESS_CONFERENCES = "press_conferences", _("Press conferences held")
    PRESS_RELEASES = "press_releases", _("Press releases issued")
    OUTGOING_DELEGATIONS = "outgoing_delegations", _("Outgoing delegations")
    OUTGOING_OFFICIALS = "outgoing_officials", _("Officials sent abroad")
    INCOMING_DELEGATIONS = "incoming_delegations", _("Incoming delegations")
    FOREIGN_VISITORS = "foreign_visitors", _("Foreign visitors received")
    AGREEMENTS_SIGNED = "agreements_signed", _("Agreements and memoranda signed")
    BORDER_LETTERS = "border_letters", _("Letters exchanged with the border force across")
    JOINT_PATROLS = "joint_patrols", _("Joint patrols")
    PERIODIC_TALKS = "periodic_talks", _("Periodic talks")
    OUTREACH_SESSIONS = "outreach_sessions", _("Border outreach sessions")
    OUTREACH_OFFICERS = "outreach_officers", _("Officer participations in outreach")
    OUTREACH_RESIDENTS = "outreach_residents", _("Border residents reached")
    MEDIA_PRODUCTS = "media_products", _("Media products")
    PHOTOS = "photos", _("Photos produced")
    VIDEOS = "videos", _("Videos and documentaries produced")
    ETHNIC_LANGUAGE_PRODUCTS = (
        "ethnic_language_products",
        _("Products in ethnic-minority languages"),
    )
    EVENTS_ATTENDED = "events_attended", _("Events, festivals and fairs attended")
