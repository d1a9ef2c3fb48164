"""Writes: move buffered visits into the database."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from .buffer import get_visit_store
from .models import PageDailyVisits, ReferrerDailyVisits, SiteDailyVisits
from .store import DrainedVisits

logger = logging.getLogger(__name__)


def _write(drained: DrainedVisits) -> None:
    with transaction.atomic():
        for (page_id, locale, day), views in sorted(drained.page_views.items()):
            updated = PageDailyVisits.objects.filter(
                page_id=page_id, locale=locale, day=day
            ).update(views=F("views") + views)
            if not updated:
                PageDailyVisits.objects.create(page_id=page_id, locale=locale, day=day, views=views)
        for day, views in sorted(drained.site_views.items()):
            visitors = drained.site_visitors.get(day, 0)
            updated = SiteDailyVisits.objects.filter(day=day).update(
                views=F("views") + views, visitors=Greatest(F("visitors"), visitors)
            )
            if not updated:
                SiteDailyVisits.objects.create(day=day, views=views, visitors=visitors)
        for (day, kind), views in sorted(drained.referrer_views.items()):
            updated = ReferrerDailyVisits.objects.filter(day=day, kind=kind).update(
                views=F("views") + views
            )
            if not updated:
                ReferrerDailyVisits.objects.create(day=day, kind=kind, views=views)


def visits_flush(store=None) -> int:
    """Drain the buffer into the daily tables; returns the number of page views written.

    On a database error the counts go back into the buffer (or stay in Redis or in the SQLite
    store's draining table), so a failed flush loses nothing. One flush at a time
    (``store.flush_lock()``: a Redis lock, a file lock, or none for the process's memory).
    """
    store = store or get_visit_store()
    with store.flush_lock():
        drained = store.drain()
        if not drained.site_views and not drained.page_views:
            store.acknowledge()
            return 0
        try:
            _write(drained)
        except Exception:
            store.restore(drained)
            logger.exception("Flushing visits failed; counts kept for the next flush")
            raise
        store.acknowledge()
    return sum(drained.site_views.values())
