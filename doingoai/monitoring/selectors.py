"""Reads of the monitoring module: the current gazetteer, story growth, trending stories."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from doingoai.textproc.classify import RISK_KINDS
from doingoai.textproc.gazetteer import Gazetteer, Term

from .models import Cluster, Item, MentionHour, Source, WatchTerm

_gazetteer_cache: dict[tuple, Gazetteer] = {}


def gazetteer_current() -> Gazetteer:
    """The gazetteer of active watch terms (rebuilt only when the terms changed)."""
    state = WatchTerm.objects.filter(active=True).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    key = (state["count"], state["changed"])
    gazetteer = _gazetteer_cache.get(key)
    if gazetteer is None:
        terms = WatchTerm.objects.filter(active=True).values_list("term", "kind", "weight")
        gazetteer = Gazetteer(Term(term=t, kind=k, weight=w) for t, k, w in terms)
        _gazetteer_cache.clear()
        _gazetteer_cache[key] = gazetteer
    return gazetteer


def cluster_growth(
    *, cluster: Cluster, by: str = "hour", since: datetime | None = None
) -> list[tuple[datetime | object, int]]:
    """Mentions of a story per hour (UTC hours) or per day (local dates), oldest first."""
    hours = MentionHour.objects.filter(cluster=cluster)
    if since is not None:
        hours = hours.filter(hour__gte=since)
    rows = list(hours.order_by("hour").values_list("hour", "mentions"))
    if by == "hour":
        return rows
    if by != "day":
        raise ValueError("by must be 'hour' or 'day'")
    days: OrderedDict = OrderedDict()
    for hour, mentions in rows:
        day = timezone.localtime(hour).date()
        days[day] = days.get(day, 0) + mentions
    return list(days.items())


def clusters_trending(*, hours: int = 24, limit: int = 20, now: datetime | None = None):
    """Stories with the most mentions in the last ``hours`` hours."""
    now = now or timezone.now()
    since = now - timedelta(hours=hours)
    return (
        Cluster.objects.annotate(recent=Sum("hours__mentions", filter=Q(hours__hour__gte=since)))
        .filter(recent__gt=0)
        .select_related("representative")
        .order_by("-recent", "-last_seen")[:limit]
    )


def sources_unhealthy():
    """Active sources whose last fetch failed, most failures first."""
    return Source.objects.filter(active=True, last_status=Source.Status.ERROR).order_by(
        "-consecutive_failures", "name"
    )


# --- Dashboard (bounded: each function is one query, whatever the number of rows) ----------

RISK_MEDIUM = 0.4  # risk below this is "thấp" (low)
RISK_HIGH = 0.7  # from this on, "cao" (high); in between, "trung bình" (medium)


def risk_band(score: float) -> str:
    """``low``, ``medium`` or ``high`` for a risk score between 0 and 1."""
    if score >= RISK_HIGH:
        return "high"
    if score >= RISK_MEDIUM:
        return "medium"
    return "low"


def clusters_trending_growth(
    *, hours: int = 24, limit: int = 10, now: datetime | None = None
) -> list[Cluster]:
    """Trending stories with ``recent`` (mentions in the last ``hours`` hours) and
    ``previous`` (mentions in the ``hours`` before that), most recent mentions first."""
    now = now or timezone.now()
    since = now - timedelta(hours=hours)
    before = since - timedelta(hours=hours)
    # Filtering first joins only the hours of the two periods, and the sums reuse that join.
    return list(
        Cluster.objects.filter(hours__hour__gte=before)
        .annotate(
            recent=Sum("hours__mentions", filter=Q(hours__hour__gte=since)),
            previous=Sum(
                "hours__mentions", filter=Q(hours__hour__gte=before, hours__hour__lt=since)
            ),
        )
        .filter(recent__gt=0)
        .order_by("-recent", "-last_seen")[:limit]
    )


def mentions_per_hour(*, since: datetime) -> dict[datetime, int]:
    """Mentions of all stories per UTC hour since ``since``."""
    rows = (
        MentionHour.objects.filter(hour__gte=since)
        .values("hour")
        .annotate(total=Sum("mentions"))
        .order_by("hour")
    )
    return {row["hour"]: row["total"] for row in rows}


def _found_since(since: datetime):
    return Item.objects.filter(fetched_at__gte=since, extraction_status=Item.Status.OK)


def items_risk_share(*, since: datetime) -> dict[str, int]:
    """Items with text found since ``since``: ``total``, per risk band (``low``, ``medium``,
    ``high``) and per risk kind (items whose score for that kind is at least medium)."""
    counts = {
        "total": Count("pk"),
        "low": Count("pk", filter=Q(risk_score__lt=RISK_MEDIUM)),
        "medium": Count("pk", filter=Q(risk_score__gte=RISK_MEDIUM, risk_score__lt=RISK_HIGH)),
        "high": Count("pk", filter=Q(risk_score__gte=RISK_HIGH)),
    }
    for kind in RISK_KINDS:
        counts[kind] = Count("pk", filter=Q(**{f"risk_scores__{kind}__gte": RISK_MEDIUM}))
    return _found_since(since).aggregate(**counts)


def items_topic_share(*, since: datetime) -> list[tuple[str, int]]:
    """(topic key, items) for the items with text found since ``since``, most first; the
    key is empty for items not classified yet."""
    rows = _found_since(since).values("topic").annotate(total=Count("pk")).order_by("-total")
    return [(row["topic"], row["total"]) for row in rows]


def sources_health_counts() -> dict[str, int]:
    """Active sources: ``total`` and per last status (``ok``, ``error``, ``never``…)."""
    active = Q(active=True)
    counts = {"total": Count("pk", filter=active)}
    for status in Source.Status:
        counts[status.value] = Count("pk", filter=active & Q(last_status=status))
    return Source.objects.aggregate(**counts)


def sources_failing(*, since: datetime, limit: int = 10) -> list[Source]:
    """Active sources whose last fetch failed, most failures first, with ``found`` (items
    stored from them since ``since``)."""
    return list(
        sources_unhealthy()
        .defer("etag", "last_modified")
        .annotate(found=Count("items", filter=Q(items__fetched_at__gte=since)))[:limit]
    )


def monitoring_summary(*, now: datetime | None = None) -> dict:
    """The figures of the back-office home panel (three queries)."""
    now = now or timezone.now()
    since = now - timedelta(hours=24)
    items = _found_since(since).aggregate(
        total=Count("pk"), high=Count("pk", filter=Q(risk_score__gte=RISK_HIGH))
    )
    top = clusters_trending_growth(hours=24, limit=1, now=now)
    return {
        "items": items["total"],
        "high_risk": items["high"],
        "failing_sources": sources_unhealthy().count(),
        "top_cluster": top[0] if top else None,
    }
