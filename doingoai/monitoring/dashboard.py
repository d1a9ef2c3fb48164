"""The monitoring dashboard (Tổng quan): what it shows, computed with a bounded number of
queries whatever the number of stories, items and sources.

- trending stories of the period with their growth against the period before;
- mentions over time (per hour for 24 hours, per local day otherwise) as bars;
- risk share (items per risk band and per risk kind) and topic share;
- source health (counts per status and the failing sources with their last error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .selectors import RISK_HIGH, RISK_MEDIUM

# The portal's sections, which are the classifier's topics.
TOPIC_NAMES = {
    "thoi-su": _("Current affairs"),
    "kinh-te": _("Economy"),
    "du-lich": _("Tourism"),
    "hop-tac": _("International cooperation"),
    "bien-gioi": _("Border"),
    "quoc-phong": _("Defence and security"),
    "xa-hoi": _("Society"),
}
RISK_BAND_NAMES = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}
RISK_KIND_NAMES = {
    "negative": _("Negative"),
    "harmful": _("Harmful or inciting"),
    "false": _("Possibly false"),
}


@dataclass(frozen=True)
class Period:
    key: str
    label: object
    hours: int
    by: str  # "hour" or "day"


PERIODS = (
    Period("24h", _("Last 24 hours"), 24, "hour"),
    Period("7d", _("Last 7 days"), 24 * 7, "day"),
    Period("30d", _("Last 30 days"), 24 * 30, "day"),
)
DEFAULT_PERIOD = PERIODS[0]
PERIOD_PARAM = "ky"


def period_from(value: str | None) -> Period:
    """The period named by the query string (``?ky=7d``), the last 24 hours otherwise."""
    return next((period for period in PERIODS if period.key == value), DEFAULT_PERIOD)


def topic_name(key: str) -> str:
    if not key:
        return str(_("Not classified yet"))
    return str(TOPIC_NAMES.get(key, key))


@dataclass
class Bucket:
    start: datetime | date
    mentions: int


def mention_buckets(*, period: Period, now: datetime) -> list[Bucket]:
    """Mentions per hour (the last ``period.hours`` UTC hours, shown in local time) or per
    local day (whole days, today included), oldest first, empty hours and days included."""
    if period.by == "hour":
        current_hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        first_hour = current_hour - timedelta(hours=period.hours - 1)
        per_hour = selectors.mentions_per_hour(since=first_hour)
        hours = (first_hour + timedelta(hours=n) for n in range(period.hours))
        return [Bucket(hour, per_hour.get(hour, 0)) for hour in hours]
    today = timezone.localtime(now).date()
    days = [today - timedelta(days=n) for n in range(period.hours // 24 - 1, -1, -1)]
    first_midnight = timezone.make_aware(datetime.combine(days[0], time.min))
    buckets = dict.fromkeys(days, 0)
    for hour, mentions in selectors.mentions_per_hour(since=first_midnight).items():
        day = timezone.localtime(hour).date()
        if day in buckets:
            buckets[day] += mentions
    return [Bucket(day, mentions) for day, mentions in buckets.items()]


@dataclass
class Chart:
    """Geometry of an inline SVG bar chart (no JavaScript; each bar has a text title and
    the same figures are in a table)."""

    bars: list[dict] = field(default_factory=list)
    width: int = 720
    height: int = 200
    peak: int = 0
    total: int = 0


def bar_chart(buckets: list[Bucket], *, width: int = 720, height: int = 200) -> Chart:
    peak = max((bucket.mentions for bucket in buckets), default=0)
    scale = (height - 20) / (peak or 1)
    step = width / max(len(buckets), 1)
    bars = [
        {
            "x": round(index * step, 2),
            "y": round(height - bucket.mentions * scale, 2),
            "width": round(max(step - 2, 1), 2),
            "height": round(bucket.mentions * scale, 2),
            "bucket": bucket,
        }
        for index, bucket in enumerate(buckets)
    ]
    total = sum(bucket.mentions for bucket in buckets)
    return Chart(bars=bars, width=width, height=height, peak=peak, total=total)


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def trending_rows(*, period: Period, now: datetime, limit: int = 10) -> list[dict]:
    rows = []
    for cluster in selectors.clusters_trending_growth(hours=period.hours, limit=limit, now=now):
        previous = cluster.previous or 0
        rows.append(
            {
                "cluster": cluster,
                "recent": cluster.recent,
                "previous": previous,
                "growth": cluster.recent - previous,
                "growth_percent": percent(cluster.recent - previous, previous)
                if previous
                else None,
                "risk_band": selectors.risk_band(cluster.max_risk),
                "risk_name": RISK_BAND_NAMES[selectors.risk_band(cluster.max_risk)],
                "topic": topic_name(cluster.topic),
            }
        )
    return rows


def risk_rows(*, since: datetime) -> dict:
    share = selectors.items_risk_share(since=since)
    total = share["total"]

    def row(key: str, names: dict) -> dict:
        return {
            "key": key,
            "name": names[key],
            "items": share[key],
            "percent": percent(share[key], total),
        }

    return {
        "total": total,
        "bands": [row(key, RISK_BAND_NAMES) for key in RISK_BAND_NAMES],
        "kinds": [row(key, RISK_KIND_NAMES) for key in RISK_KIND_NAMES],
    }


def topic_rows(*, since: datetime) -> list[dict]:
    share = selectors.items_topic_share(since=since)
    total = sum(items for _key, items in share)
    return [
        {"key": key, "name": topic_name(key), "items": items, "percent": percent(items, total)}
        for key, items in share
    ]


def dashboard_context(*, period: Period, now: datetime | None = None) -> dict:
    """Everything the dashboard template shows (a fixed number of queries)."""
    now = now or timezone.now()
    since = now - timedelta(hours=period.hours)
    buckets = mention_buckets(period=period, now=now)
    return {
        "period": period,
        "periods": PERIODS,
        "period_param": PERIOD_PARAM,
        "trending": trending_rows(period=period, now=now),
        "buckets": buckets,
        "chart": bar_chart(buckets),
        "risk": risk_rows(since=since),
        "topics": topic_rows(since=since),
        "health": selectors.sources_health_counts(),
        "failing": selectors.sources_failing(since=since),
        "risk_medium": RISK_MEDIUM,
        "risk_high": RISK_HIGH,
    }
