"""Listing filters of the registers: a date range, the unit, and each register's kinds."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import PressEvent, PressQuestion, Unit
from .selectors import records_visible_to, units_for_user


def _units(request):
    return units_for_user(request.user) if request is not None else Unit.objects.none()


def register_filterset(model, *, date_field: str, fields: tuple[str, ...] = ()):
    """A filter set with the date as a from–to range, the unit (among the user's units) and
    the given fields (choices become radio buttons)."""
    date_label = model._meta.get_field(date_field).verbose_name
    attrs = {
        date_field: django_filters.DateFromToRangeFilter(
            label=date_label, widget=DateRangePickerWidget
        ),
        "unit": django_filters.ModelChoiceFilter(label=_("Unit"), queryset=_units),
        "Meta": type("Meta", (), {"model": model, "fields": [date_field, "unit", *fields]}),
    }
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), attrs)


def _events(request):
    if request is None:
        return PressEvent.objects.none()
    return records_visible_to(user=request.user, queryset=PressEvent.objects.all())


class PressQuestionFilterSet(WagtailFilterSet):
    STATUS_CHOICES = [
        ("answered", _("Answered")),
        ("unanswered", _("Not answered yet")),
    ]

    event = django_filters.ModelChoiceFilter(label=_("Press event"), queryset=_events)
    assigned_unit = django_filters.ModelChoiceFilter(
        label=_("Unit assigned to answer"), queryset=Unit.objects.all()
    )
    deadline = django_filters.DateFromToRangeFilter(
        label=_("Answer deadline"), widget=DateRangePickerWidget
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )

    class Meta:
        model = PressQuestion
        fields = ["event", "assigned_unit", "deadline", "status"]

    def filter_status(self, queryset, name, value):
        answered = queryset.exclude(answered_on__isnull=True, answer="")
        if value == "answered":
            return answered
        if value == "unanswered":
            return queryset.filter(answered_on__isnull=True, answer="")
        return queryset
