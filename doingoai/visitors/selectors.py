"""Reads: the visitor counter and "most read" lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from .buffer import get_visit_store
from .models import PageDailyVisits, SiteDailyVisits


@dataclass(frozen=True)
class VisitCounter:
    """Bộ đếm truy cập: online now, today, this week, this month, all time."""

    online: int
    today: int
    week: int
    month: int
    total: int


def period_starts(today: date) -> tuple[date, date]:
    """Start of the ISO week (Monday) and of the calendar month containing ``today``."""
    return today - timedelta(days=today.weekday()), today.replace(day=1)


def visit_counter(*, today: date | None = None, use_cache: bool = True) -> VisitCounter:
    today = today or timezone.localdate()
    cache_key = f"visits:counter:{today.isoformat()}"
    if use_cache and (cached := cache.get(cache_key)) is not None:
        return cached
    week_start, month_start = period_starts(today)
    since = min(week_start, month_start)
    recent = dict(
        SiteDailyVisits.objects.filter(day__gte=since, day__lte=today).values_list("day", "views")
    )
    earlier = (
        SiteDailyVisits.objects.filter(day__lt=since).aggregate(total=Sum("views"))["total"] or 0
    )
    store = get_visit_store()
    pending_today = store.pending_site_views(today)
    recent[today] = recent.get(today, 0) + pending_today
    counter = VisitCounter(
        online=store.online_count(window_seconds=settings.VISITS_ONLINE_WINDOW_SECONDS),
        today=recent[today],
        week=sum(v for d, v in recent.items() if d >= week_start),
        month=sum(v for d, v in recent.items() if d >= month_start),
        total=earlier + sum(recent.values()),
    )
    if use_cache:
        cache.set(cache_key, counter, 15)
    return counter


def most_read_page_ids(
    *, locale: str, days: int = 30, limit: int = 5, today: date | None = None
) -> list[int]:
    today = today or timezone.localdate()
    rows = (
        PageDailyVisits.objects.filter(locale=locale, day__gt=today - timedelta(days=days))
        .values("page_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-page_id")[:limit]
    )
    return [row["page_id"] for row in rows]


@dataclass(frozen=True)
class DayViews:
    day: date
    views: int
    visitors: int


def visits_per_day(*, days: int, today: date | None = None) -> list[DayViews]:
    """One row per day of the period, zeros included, oldest first."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = {row.day: row for row in SiteDailyVisits.objects.filter(day__gte=start, day__lte=today)}
    result = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = rows.get(day)
        result.append(DayViews(day, row.views if row else 0, row.visitors if row else 0))
    return result


def views_by_language(*, days: int, today: date | None = None) -> list[tuple[str, int]]:
    today = today or timezone.localdate()
    rows = (
        PageDailyVisits.objects.filter(day__gt=today - timedelta(days=days), day__lte=today)
        .values("locale")
        .annotate(total=Sum("views"))
        .order_by("-total")
    )
    return [(row["locale"], row["total"]) for row in rows]


def views_by_referrer(*, days: int, today: date | None = None) -> list[tuple[str, int]]:
    from .models import ReferrerDailyVisits

    today = today or timezone.localdate()
    rows = (
        ReferrerDailyVisits.objects.filter(day__gt=today - timedelta(days=days), day__lte=today)
        .values("kind")
        .annotate(total=Sum("views"))
        .order_by("-total")
    )
    labels = dict(ReferrerDailyVisits.Kind.choices)
    return [(labels.get(row["kind"], row["kind"]), row["total"]) for row in rows]


def top_pages(*, days: int, limit: int = 20, today: date | None = None) -> list[dict]:
    """Most viewed pages of the period, all languages, with their titles (two queries)."""
    from wagtail.models import Page

    today = today or timezone.localdate()
    rows = list(
        PageDailyVisits.objects.filter(day__gt=today - timedelta(days=days), day__lte=today)
        .values("page_id", "locale")
        .annotate(total=Sum("views"))
        .order_by("-total", "page_id")[:limit]
    )
    pages = Page.objects.in_bulk([row["page_id"] for row in rows])
    names = dict(settings.LANGUAGES)  # each language in its own name: "English", "简体中文"
    return [
        {
            "page": pages.get(row["page_id"]),
            "locale": row["locale"],
            "language": names.get(row["locale"], row["locale"]),
            "views": row["total"],
        }
        for row in rows
    ]
