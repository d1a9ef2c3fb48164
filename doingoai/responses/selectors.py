"""Reads: who receives alerts, what the digest shows, which cases a user sees, response times
(thời gian phản hồi) for the reports module."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from doingoai.monitoring.selectors import clusters_trending
from doingoai.registers.selectors import user_unit_scope

from .conf import setting
from .models import Alert, AlertRule, ResponseCase, split_emails

# --- recipients -------------------------------------------------------------------------------


def rule_recipients(rule: AlertRule) -> list[str]:
    """Every address a rule emails: its users, the members of its groups, its other addresses
    (active users with an address only; each address once, in order)."""
    if rule.pk is None:
        return split_emails(rule.recipient_emails)
    users = (
        get_user_model()
        .objects.filter(
            Q(pk__in=rule.recipient_users.all()) | Q(groups__in=rule.recipient_groups.all())
        )
        .filter(is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )
    return list(dict.fromkeys([*users, *split_emails(rule.recipient_emails)]))


def digest_recipients() -> list[str]:
    """The digest goes to every active rule's recipients and to ``RESPONSES_DIGEST_EMAILS``."""
    emails: list[str] = list(setting("RESPONSES_DIGEST_EMAILS"))
    for rule in AlertRule.objects.filter(active=True):
        emails += rule_recipients(rule)
    return list(dict.fromkeys(emails))


# --- digest -----------------------------------------------------------------------------------


@dataclass
class DigestContent:
    start: datetime
    end: datetime
    alerts: list[Alert] = field(default_factory=list)
    trending: list = field(default_factory=list)
    open_cases: list[ResponseCase] = field(default_factory=list)
    overdue_count: int = 0


def digest_content(*, start: datetime, end: datetime, today: date) -> DigestContent:
    alerts = list(
        Alert.objects.filter(created__gte=start, created__lt=end)
        .select_related("rule", "cluster", "item")
        .order_by("created", "pk")[:200]
    )
    open_cases = list(
        ResponseCase.objects.filter(status__in=ResponseCase.OPEN_STATUSES)
        .select_related("agency")
        .order_by("deadline", "opened_at")[:100]
    )
    return DigestContent(
        start=start,
        end=end,
        alerts=alerts,
        trending=list(clusters_trending(hours=24, limit=5, now=end)),
        open_cases=open_cases,
        overdue_count=cases_overdue(today=today).count(),
    )


# --- cases ------------------------------------------------------------------------------------


def cases_overdue(*, today: date | None = None) -> QuerySet[ResponseCase]:
    """Open cases whose deadline has passed (quá hạn)."""
    today = today or timezone.localdate()
    return ResponseCase.objects.filter(status__in=ResponseCase.OPEN_STATUSES, deadline__lt=today)


def cases_visible_to(*, user, queryset: QuerySet[ResponseCase] | None = None) -> QuerySet:
    """Province-level staff see every case; a unit's officers the cases assigned to their unit;
    anybody also sees the cases they opened."""
    queryset = ResponseCase.objects.all() if queryset is None else queryset
    scope = user_unit_scope(user)
    if scope.all_units:
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    return queryset.filter(Q(agency_id__in=scope.unit_ids) | Q(opened_by=user))


def case_is_visible_to(*, user, case: ResponseCase) -> bool:
    scope = user_unit_scope(user)
    if scope.allows(case.agency_id):
        return True
    return bool(user and user.is_authenticated and case.opened_by_id == user.pk)


# --- response times ---------------------------------------------------------------------------


@dataclass
class ResponseTimes:
    """Cases of a period: opened, answered and closed in it, and how fast they were handled."""

    opened: int = 0
    answered: int = 0
    closed: int = 0
    overdue: int = 0
    mean_hours_to_first_response: float | None = None
    median_hours_to_first_response: float | None = None
    mean_hours_to_answer: float | None = None
    median_hours_to_answer: float | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _mean_median(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    return statistics.fmean(values), statistics.median(values)


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def case_response_times(
    *, start: date, end: date, unit=None, today: date | None = None
) -> ResponseTimes:
    """Response times of the cases of ``start``–``end`` (days, inclusive, local time) for one
    unit (the responsible unit) or all. Opened, answered, closed: counted by the day it
    happened. Hours to first response / to answer: over the cases opened in the period that
    had one. Overdue: cases opened in the period whose deadline passed (before the end of the
    period, or today for a running period) with neither an answer nor a closing by then."""
    today = today or timezone.localdate()
    lower, upper = _day_start(start), _day_start(end + timedelta(days=1))
    reference = min(end + timedelta(days=1), today)
    queryset = ResponseCase.objects.filter(
        Q(opened_at__gte=lower, opened_at__lt=upper)
        | Q(answered_at__gte=lower, answered_at__lt=upper)
        | Q(closed_at__gte=lower, closed_at__lt=upper)
    )
    if unit is not None:
        queryset = queryset.filter(agency=unit)
    rows = queryset.values_list(
        "opened_at", "first_response_at", "answered_at", "closed_at", "deadline"
    )
    times = ResponseTimes()
    first, answer = [], []
    for opened_at, first_at, answered_at, closed_at, deadline in rows:
        times.answered += _within(answered_at, lower, upper)
        times.closed += _within(closed_at, lower, upper)
        if not _within(opened_at, lower, upper):
            continue
        times.opened += 1
        if first_at is not None:
            first.append((first_at - opened_at).total_seconds() / 3600)
        if answered_at is not None:
            answer.append((answered_at - opened_at).total_seconds() / 3600)
        if deadline is not None and deadline < reference:
            done = [moment for moment in (answered_at, closed_at) if moment is not None]
            if not any(timezone.localdate(moment) <= deadline for moment in done):
                times.overdue += 1
    times.mean_hours_to_first_response, times.median_hours_to_first_response = _mean_median(first)
    times.mean_hours_to_answer, times.median_hours_to_answer = _mean_median(answer)
    return times


def case_report_values(*, start: date, end: date, unit=None, today: date | None = None) -> dict:
    """The reports module's indicators of the group "Xử lý thông tin trên mạng" (whole numbers;
    mean hours rounded)."""
    times = case_response_times(start=start, end=end, unit=unit, today=today)
    return {
        "cases_opened": times.opened,
        "cases_answered": times.answered,
        "cases_overdue": times.overdue,
        "case_hours_first_response": round(times.mean_hours_to_first_response or 0),
        "case_hours_to_answer": round(times.mean_hours_to_answer or 0),
    }
