"""Reads: which units a user belongs to, which records they see, overdue press questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import PressQuestion, Unit, UnitMembership

_CACHE_ATTR = "_registers_unit_scope"


@dataclass(frozen=True)
class UnitScope:
    """What a user may reach: every unit (province level) or the units they belong to."""

    all_units: bool
    unit_ids: frozenset[int]

    def allows(self, unit_id: int | None) -> bool:
        return self.all_units or (unit_id is not None and unit_id in self.unit_ids)


def user_unit_scope(user) -> UnitScope:
    """Province-level staff (superusers, members of a province-level unit) reach every unit;
    a unit's officers reach their own unit(s); anybody else reaches none. Cached on the user
    object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return UnitScope(all_units=False, unit_ids=frozenset())
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(
        UnitMembership.objects.filter(user=user).values_list("unit_id", "unit__is_province_level")
    )
    scope = UnitScope(
        all_units=user.is_superuser or any(is_province for _id, is_province in rows),
        unit_ids=frozenset(unit_id for unit_id, _p in rows),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def user_is_province_level(user) -> bool:
    return user_unit_scope(user).all_units


def units_for_user(user) -> QuerySet[Unit]:
    """The units a user may file records under."""
    scope = user_unit_scope(user)
    if scope.all_units:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=scope.unit_ids)


def user_default_unit(user) -> Unit | None:
    """The unit a new record is filed under unless the user picks another one."""
    membership = (
        UnitMembership.objects.filter(user=user)
        .select_related("unit")
        .order_by("-unit__is_province_level", "pk")
        .first()
    )
    return membership.unit if membership else None


def records_visible_to(*, user, queryset: QuerySet) -> QuerySet:
    """Restrict a register queryset to the records of the units the user reaches."""
    scope = user_unit_scope(user)
    if scope.all_units:
        return queryset
    if not scope.unit_ids:
        return queryset.none()
    condition = Q()
    for field in getattr(queryset.model, "scope_fields", ("unit",)):
        condition |= Q(**{f"{field}_id__in": scope.unit_ids})
    return queryset.filter(condition)


def record_is_visible_to(*, user, record) -> bool:
    scope = user_unit_scope(user)
    if scope.all_units:
        return True
    fields = getattr(type(record), "scope_fields", ("unit",))
    return any(scope.allows(getattr(record, f"{field}_id", None)) for field in fields)


def press_questions_overdue(*, today: date | None = None) -> QuerySet[PressQuestion]:
    """Questions whose deadline has passed with no answer recorded."""
    today = today or timezone.localdate()
    return (
        PressQuestion.objects.filter(deadline__lt=today, answered_on__isnull=True, answer="")
        .select_related("event", "assigned_unit", "agency")
        .order_by("deadline", "pk")
    )


def press_questions_needing_reminder(*, today: date | None = None) -> QuerySet[PressQuestion]:
    """Overdue questions whose assigned unit has not been reminded yet."""
    return press_questions_overdue(today=today).filter(reminder__isnull=True)
