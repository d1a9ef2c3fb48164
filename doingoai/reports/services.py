"""Writes: create a report, change its details, pick and order its notable events, finalise.

Each service checks who may do it (the registers' unit scoping: an officer reports on their own
unit, province-level staff on any unit or the whole province) and raises ``PermissionDenied``
or ``ValidationError`` with a message in Vietnamese; views and tests call the same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doingoai.audit import actions as audit_actions
from doingoai.audit.services import audit_log
from doingoai.registers.models import (
    Agreement,
    BorderCooperation,
    EventParticipation,
    IncomingDelegation,
    OutgoingDelegation,
    PressEvent,
    Unit,
    UnitMembership,
)

from .formatting import format_date, format_number
from .models import DEFAULT_PLACE, NotableEvent, Report
from .periods import Period
from .selectors import period_records, report_figures, user_may_report, user_may_report_on


def _refuse(message: str):
    raise PermissionDenied(message)


def report_check_access(*, user, report: Report) -> None:
    """Refuse a report on a unit (or the whole province) the user may not report on."""
    if not user_may_report_on(user, report.unit):
        _refuse(_("You can only report on your own unit."))


def report_check_editable(*, user, report: Report) -> None:
    report_check_access(user=user, report=report)
    if report.is_final:
        raise ValidationError(_("This report is final: return it to draft before changing it."))


def _province_bodies(unit: Unit | None, user) -> tuple[str, str]:
    """Default header: the governing body and the issuing body (upper case, Decree 30)."""
    province = getattr(settings, "REPORTS_PROVINCE_NAME", DEFAULT_PLACE)
    superior = f"UBND TỈNH {province}".upper()
    if unit is None:
        membership = (
            UnitMembership.objects.filter(user=user, unit__is_province_level=True)
            .select_related("unit")
            .first()
        )
        issuing = membership.unit.name if membership else f"Ủy ban nhân dân tỉnh {province}"
        if membership is None:
            superior = ""
    else:
        issuing = unit.name
    return superior, issuing.upper()


def report_default_title(period: Period, unit: Unit | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("External-information work in %(period)s") % {"period": period.phrase}
        if unit is not None:
            subject = _("%(subject)s of %(unit)s") % {"subject": subject, "unit": unit.name}
    return subject


@transaction.atomic
def report_create(
    *,
    user,
    period: Period,
    unit: Unit | None,
    signer_title: str = "",
    signer_name: str = "",
) -> Report:
    """A draft report on ``period`` for ``unit`` (None: the whole province)."""
    if not user_may_report(user):
        _refuse(_("You belong to no unit, so you cannot make reports."))
    if unit is None and not user_may_report_on(user, None):
        _refuse(_("Only province-level staff can report on the whole province."))
    if unit is not None and not user_may_report_on(user, unit):
        _refuse(_("You can only report on your own unit."))
    superior, issuing = _province_bodies(unit, user)
    report = Report(
        title=report_default_title(period, unit),
        period_kind=str(period.kind),
        period_start=period.start,
        period_end=period.end,
        unit=unit,
        superior_body=superior,
        issuing_body=issuing,
        place=getattr(settings, "REPORTS_PLACE", DEFAULT_PLACE),
        issued_on=timezone.localdate(),
        signer_title=signer_title,
        signer_name=signer_name,
        created_by=user,
    )
    report.full_clean()
    report.save()
    audit_log(report, "wagtail.create", user=user)
    return report


DETAIL_FIELDS = (
    "title",
    "superior_body",
    "issuing_body",
    "number",
    "symbol",
    "place",
    "issued_on",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
    "introduction",
)


@transaction.atomic
def report_update(*, user, report: Report, **values) -> Report:
    report_check_editable(user=user, report=report)
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    # As stored (a bound form has already put the new values on ``report``).
    stored = Report.objects.filter(pk=report.pk).values(*values).first() or {}
    changes = []
    for name, value in values.items():
        if name in stored and stored[name] != value:
            changes.append(_change(name, stored[name], value))
        setattr(report, name, value)
    report.full_clean()
    report.save()
    if changes:
        audit_log(report, "wagtail.edit", user=user, changes=changes)
    return report


def _change(name: str, old, new) -> dict:
    from doingoai.audit.changes import display_value

    label = str(Report._meta.get_field(name).verbose_name)
    return {
        "field": name,
        "label": label[:1].upper() + label[1:],
        "old": display_value(old),
        "new": display_value(new),
    }


def _events_changed(report: Report, user, **change) -> None:
    """Notable events are part of the report: their changes are edits of the report."""
    change = {"field": "notable_events", "label": str(_("Notable events")), **change}
    change.setdefault("added", [])
    change.setdefault("removed", [])
    audit_log(report, "wagtail.edit", user=user, changes=[change])


@transaction.atomic
def report_finalise(*, user, report: Report, today: dt.date | None = None) -> Report:
    """Mark final and keep the figures it is signed with."""
    report_check_editable(user=user, report=report)
    figures = report_figures(period=report.period, unit=report.unit, today=today)
    report.figures_snapshot = figures.to_dict()
    report.status = Report.Status.FINAL
    report.finalised_at = timezone.now()
    report.save()
    audit_log(report, audit_actions.FINALISE, user=user)
    return report


@transaction.atomic
def report_reopen(*, user, report: Report) -> Report:
    """Back to draft: the figures are computed afresh again."""
    report_check_access(user=user, report=report)
    report.status = Report.Status.DRAFT
    report.figures_snapshot = None
    report.finalised_at = None
    report.save()
    audit_log(report, audit_actions.REOPEN, user=user)
    return report


def report_delete(*, user, report: Report) -> None:
    report_check_editable(user=user, report=report)
    with transaction.atomic():
        audit_log(report, "wagtail.delete", user=user)
        report.delete()


def report_current_figures(*, report: Report, today: dt.date | None = None):
    """The figures to show: stored ones for a final report, computed ones for a draft."""
    from .indicators import ReportFigures

    if report.is_final and report.figures_snapshot:
        return ReportFigures.from_dict(report.figures_snapshot)
    return report_figures(period=report.period, unit=report.unit, today=today)


# --- notable events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A register record that could be one of the notable events."""

    key: str  # "outgoingdelegation:12"
    day: dt.date
    register: str
    text: str


def _dates(start: dt.date, end: dt.date | None) -> str:
    if end and end != start:
        return f"từ {format_date(start)} đến {format_date(end)}"
    return f"ngày {format_date(start)}"


def _candidate_text(record) -> tuple[dt.date, str]:
    if isinstance(record, OutgoingDelegation):
        place = ", ".join(p for p in (record.destination_place, record.destination_country) if p)
        people = record.officials_count + record.others_count
        return record.start_date, (
            f"Đoàn công tác do {record.head} làm trưởng đoàn ({format_number(people)} người) "
            f"đi {place} {_dates(record.start_date, record.end_date)}: {record.purpose}"
        )
    if isinstance(record, IncomingDelegation):
        return record.start_date, (
            f"Đón đoàn {record.organisation} ({record.origin_country}, "
            f"{format_number(record.foreign_visitors)} khách) "
            f"{_dates(record.start_date, record.end_date)}: {record.purpose}"
        )
    if isinstance(record, Agreement):
        return record.signed_on, (
            f"Ký {record.get_kind_display().lower()} “{record.title}” "
            f"ngày {format_date(record.signed_on)}"
        )
    if isinstance(record, PressEvent):
        return record.held_on, (
            f"{record.get_kind_display()} “{record.title}” ngày {format_date(record.held_on)}, "
            f"người phát ngôn: {record.spokesperson}"
        )
    if isinstance(record, EventParticipation):
        where = ", ".join(p for p in (record.place, record.country) if p)
        return record.start_date, (
            f"Tham gia {record.get_kind_display().lower()} “{record.name}”"
            f"{f' tại {where}' if where else ''} {_dates(record.start_date, record.end_date)}"
        )
    if isinstance(record, BorderCooperation):
        return record.date, (
            f"{record.get_kind_display()} với {record.counterpart} ngày {format_date(record.date)}"
        )
    raise TypeError(type(record))


CANDIDATE_REGISTERS = (
    OutgoingDelegation,
    IncomingDelegation,
    Agreement,
    PressEvent,
    EventParticipation,
    BorderCooperation,
)


def notable_event_candidates(*, report: Report) -> list[Candidate]:
    """The period's delegations, agreements, press meetings and conferences, events and
    periodic talks of the report's unit (or province), oldest first."""
    period = report.period
    candidates = []
    with translation.override(settings.LANGUAGE_CODE):
        for model in CANDIDATE_REGISTERS:
            records = period_records(model, start=period.start, end=period.end, unit=report.unit)
            if model is PressEvent:
                records = records.exclude(kind=PressEvent.Kind.WEEKLY_BRIEFING)
            if model is BorderCooperation:
                records = records.filter(kind=BorderCooperation.Kind.PERIODIC_TALK)
            for record in records:
                day, text = _candidate_text(record)
                candidates.append(
                    Candidate(
                        key=f"{model._meta.model_name}:{record.pk}",
                        day=day,
                        register=str(model._meta.verbose_name),
                        text=" ".join(text.split()),
                    )
                )
    candidates.sort(key=lambda c: (c.day, c.key))
    return candidates


def _next_order(report: Report) -> int:
    last = report.notable_events.aggregate(last=Max("sort_order"))["last"]
    return (last or 0) + 1


@transaction.atomic
def notable_event_add(*, user, report: Report, text: str) -> NotableEvent:
    report_check_editable(user=user, report=report)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the event."))
    event = NotableEvent.objects.create(report=report, text=text, sort_order=_next_order(report))
    _events_changed(report, user, added=[text])
    return event


@transaction.atomic
def notable_events_pick(*, user, report: Report, keys: list[str]) -> list[NotableEvent]:
    """Add the chosen register records (``Candidate.key``) as notable events, in date order,
    after the ones already there; a record already picked is not added twice."""
    report_check_editable(user=user, report=report)
    available = {c.key: c for c in notable_event_candidates(report=report)}
    unknown = [key for key in keys if key not in available]
    if unknown:
        raise ValidationError(_("Choose records of the report's period and unit."))
    already = {
        f"{model}:{pk}"
        for model, pk in report.notable_events.exclude(source_id=None).values_list(
            "source_model", "source_id"
        )
    }
    order = _next_order(report)
    created = []
    for candidate in sorted((available[k] for k in set(keys)), key=lambda c: (c.day, c.key)):
        if candidate.key in already:
            continue
        model, pk = candidate.key.split(":")
        created.append(
            NotableEvent.objects.create(
                report=report,
                text=candidate.text,
                sort_order=order,
                source_model=model,
                source_id=int(pk),
            )
        )
        order += 1
    if created:
        _events_changed(report, user, added=[event.text for event in created])
    return created


@transaction.atomic
def notable_events_save(
    *, user, report: Report, changes: dict[int, tuple[str, int]], delete: set[int]
) -> None:
    """Change the text and order of the events (``{pk: (text, order)}``) and delete some;
    the order is then renumbered 1, 2, 3…"""
    report_check_editable(user=user, report=report)
    events = {event.pk: event for event in report.notable_events.all()}
    before = {pk: (event.text, event.sort_order) for pk, event in events.items()}
    removed = []
    for pk in delete:
        if pk in events:
            event = events.pop(pk)
            removed.append(event.text)
            event.delete()
    for pk, (text, order) in changes.items():
        event = events.get(pk)
        if event is None:
            continue
        if not text.strip():
            raise ValidationError(_("Write the event."))
        event.text, event.sort_order = text.strip(), order
    ordered = sorted(events.values(), key=lambda e: (e.sort_order, e.pk))
    for position, event in enumerate(ordered, start=1):
        event.sort_order = position
    NotableEvent.objects.bulk_update(ordered, ["text", "sort_order"])
    edited = [e.text for e in ordered if before[e.pk][0] != e.text]
    moved = [e.pk for e in ordered if before[e.pk][1] != e.sort_order]
    if removed or edited or moved:
        _events_changed(report, user, removed=removed, edited=edited, order=bool(moved))


@transaction.atomic
def notable_event_move(*, user, report: Report, event_id: int, step: int) -> None:
    """Move one event up (step −1) or down (+1)."""
    report_check_editable(user=user, report=report)
    events = list(report.notable_events.all())
    index = next((i for i, e in enumerate(events) if e.pk == event_id), None)
    if index is None:
        raise ValidationError(_("This event is not in the report."))
    target = index + step
    if 0 <= target < len(events):
        events[index], events[target] = events[target], events[index]
    for position, event in enumerate(events, start=1):
        event.sort_order = position
    NotableEvent.objects.bulk_update(events, ["sort_order"])
    if 0 <= target < len(events):
        _events_changed(report, user, order=True)
