"""Reads of the monitoring module: the current gazetteer, story growth, trending stories."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from doingoai.textproc.gazetteer import Gazetteer, Term

from .models import Cluster, MentionHour, Source, WatchTerm

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
