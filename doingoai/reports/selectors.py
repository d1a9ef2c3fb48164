"""Reads: every figure of a report, computed from the registers and the portal.

Which records count for a period (all dates inclusive, in the province's time zone):

- press events by ``held_on``; the questions raised at them by the event's date — a question
  counts as *answered* when it was answered before the end of the period (or has an answer
  with no date), and as *overdue* when its deadline passed before the end of the period (or
  before today, for a period still running) with no answer by then;
- press releases by ``issued_on``; delegations by their start date; agreements and memoranda
  by ``signed_on``, except those still under negotiation; border cooperation by ``date``;
  outreach sessions by ``held_on``; media products by ``produced_on`` (their ``quantity``
  summed); events, festivals and fairs by their start date;
- portal items: live articles (photo and video stories included, aliases not) by
  ``published_at``; visits: the daily visit tables by day;
- response cases (``doingoai.responses``) of the responsible unit: see
  ``responses.selectors.case_response_times``.

A unit's report counts the records filed under that unit (a press question also when the unit
is the one assigned to answer it, as in the registers' unit scoping); the whole province counts
every record. Portal figures belong to the whole province only: articles have no unit.
Plan targets: the unit's annual plan, or for the whole province the sum of every unit's plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext

from doingoai.portal.models import ArticlePage, SectionPage
from doingoai.registers.models import (
    Agreement,
    AnnualPlan,
    BorderCooperation,
    BorderOutreachSession,
    EventParticipation,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PlanTarget,
    PressEvent,
    PressQuestion,
    PressRelease,
    TwinningRelation,
    Unit,
)
from doingoai.registers.selectors import user_unit_scope
from doingoai.responses.selectors import case_report_values
from doingoai.visitors.models import PageDailyVisits, SiteDailyVisits

from .formatting import format_percent
from .indicators import (
    BREAKDOWNS,
    CHART_INDICATORS,
    GROUPS,
    INDICATORS,
    Breakdown,
    BreakdownRow,
    Figure,
    FigureGroup,
    QuarterSeries,
    ReportFigures,
)
from .periods import Period

# --- who reports on what ----------------------------------------------------------------------


def report_units_for(user) -> QuerySet[Unit]:
    """The units a user may report on: their own, or every unit for province-level staff."""
    scope = user_unit_scope(user)
    if scope.all_units:
        return Unit.objects.all()
    return Unit.objects.filter(pk__in=scope.unit_ids)


def user_may_report(user) -> bool:
    scope = user_unit_scope(user)
    return scope.all_units or bool(scope.unit_ids)


def user_may_report_on(user, unit: Unit | None) -> bool:
    """Province-level staff report on any unit and on the whole province (``unit`` None);
    a unit's officers on their own unit only."""
    scope = user_unit_scope(user)
    if unit is None:
        return scope.all_units
    return scope.allows(unit.pk)


def reports_visible_to(user, queryset=None):
    from .models import Report

    queryset = Report.objects.all() if queryset is None else queryset
    scope = user_unit_scope(user)
    if scope.all_units:
        return queryset
    return queryset.filter(unit_id__in=scope.unit_ids)


# --- the records of a period ------------------------------------------------------------------

#: register model → the date field that places a record in a period.
DATE_FIELDS = {
    PressEvent: "held_on",
    PressQuestion: "event__held_on",
    PressRelease: "issued_on",
    OutgoingDelegation: "start_date",
    IncomingDelegation: "start_date",
    Agreement: "signed_on",
    TwinningRelation: "established_on",
    BorderCooperation: "date",
    BorderOutreachSession: "held_on",
    MediaProduct: "produced_on",
    EventParticipation: "start_date",
}


def unit_condition(model, unit: Unit | None) -> Q:
    if unit is None:
        return Q()
    condition = Q()
    for name in getattr(model, "scope_fields", ("unit",)):
        condition |= Q(**{name: unit})
    return condition


def period_records(model, *, start: dt.date, end: dt.date, unit: Unit | None) -> QuerySet:
    """The records of one register in a date range, for one unit or the whole province,
    oldest first."""
    date_field = DATE_FIELDS[model]
    queryset = model.objects.filter(unit_condition(model, unit)).filter(
        **{f"{date_field}__range": (start, end)}
    )
    if model is Agreement:
        queryset = queryset.exclude(status=Agreement.Status.NEGOTIATING)
    related = [f.name for f in model._meta.fields if f.many_to_one]
    if model is PressQuestion:
        related.append("event")
    return queryset.select_related(*related).order_by(date_field, "pk")


def portal_articles(*, start: dt.date, end: dt.date) -> QuerySet[ArticlePage]:
    """Live portal items (not aliases) published in the range, in the province's time zone."""
    return ArticlePage.objects.live().filter(
        alias_of__isnull=True,
        published_at__gte=_day_start(start),
        published_at__lt=_day_start(end + dt.timedelta(days=1)),
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def answer_reference_day(end: dt.date, today: dt.date) -> dt.date:
    """Answers and deadlines are judged on the day after the period (or today, if sooner)."""
    return min(end + dt.timedelta(days=1), today)


# --- counting ---------------------------------------------------------------------------------


@dataclass
class RangeCounts:
    values: dict[str, int] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)


class _Counter:
    """Counts every indicator for date ranges; each range is counted once."""

    def __init__(self, *, unit: Unit | None, today: dt.date, include_portal: bool):
        self.unit = unit
        self.today = today
        self.include_portal = include_portal
        self.section_titles: dict[str, str] = {}
        self._cache: dict[tuple[dt.date, dt.date], RangeCounts] = {}

    def counts(self, start: dt.date, end: dt.date) -> RangeCounts:
        key = (start, end)
        if key not in self._cache:
            self._cache[key] = self._count(start, end)
        return self._cache[key]

    def _filter(self, model, start, end) -> QuerySet:
        return model.objects.filter(unit_condition(model, self.unit)).filter(
            **{f"{DATE_FIELDS[model]}__range": (start, end)}
        )

    def _count(self, start: dt.date, end: dt.date) -> RangeCounts:
        result = RangeCounts()
        v = result.values

        kinds = PressEvent.Kind
        events = self._filter(PressEvent, start, end).aggregate(
            briefings=Count("pk", filter=Q(kind=kinds.WEEKLY_BRIEFING)),
            quarterly=Count("pk", filter=Q(kind=kinds.QUARTERLY_MEETING)),
            conferences=Count("pk", filter=Q(kind=kinds.PRESS_CONFERENCE)),
        )
        v["press_briefings"] = events["briefings"]
        v["press_quarterly_meetings"] = events["quarterly"]
        v["press_conferences"] = events["conferences"]
        v["press_meetings"] = events["quarterly"] + events["conferences"]

        day = answer_reference_day(end, self.today)
        answered = Q(answered_on__lt=day) | (Q(answered_on__isnull=True) & ~Q(answer=""))
        not_answered = Q(answered_on__isnull=True, answer="") | Q(answered_on__gte=day)
        questions = self._filter(PressQuestion, start, end).aggregate(
            raised=Count("pk"),
            answered=Count("pk", filter=answered),
            overdue=Count("pk", filter=Q(deadline__lt=day) & not_answered),
        )
        v["press_questions_raised"] = questions["raised"]
        v["press_questions_answered"] = questions["answered"]
        v["press_questions_overdue"] = questions["overdue"]

        v["press_releases"] = self._filter(PressRelease, start, end).count()

        outgoing = self._filter(OutgoingDelegation, start, end).aggregate(
            n=Count("pk"), officials=Sum("officials_count"), others=Sum("others_count")
        )
        v["outgoing_delegations"] = outgoing["n"]
        v["outgoing_officials"] = outgoing["officials"] or 0
        v["outgoing_others"] = outgoing["others"] or 0

        incoming = self._filter(IncomingDelegation, start, end).aggregate(
            n=Count("pk"), visitors=Sum("foreign_visitors")
        )
        v["incoming_delegations"] = incoming["n"]
        v["foreign_visitors"] = incoming["visitors"] or 0

        v["agreements_signed"] = (
            self._filter(Agreement, start, end).exclude(status=Agreement.Status.NEGOTIATING).count()
        )

        border = BorderCooperation.Kind
        cooperation = self._filter(BorderCooperation, start, end).aggregate(
            letters=Count("pk", filter=Q(kind=border.LETTER)),
            patrols=Count("pk", filter=Q(kind=border.JOINT_PATROL)),
            talks=Count("pk", filter=Q(kind=border.PERIODIC_TALK)),
        )
        v["border_letters"] = cooperation["letters"]
        v["joint_patrols"] = cooperation["patrols"]
        v["periodic_talks"] = cooperation["talks"]

        outreach = self._filter(BorderOutreachSession, start, end).aggregate(
            n=Count("pk"), officers=Sum("officers_count"), residents=Sum("residents_reached")
        )
        v["outreach_sessions"] = outreach["n"]
        v["outreach_officers"] = outreach["officers"] or 0
        v["outreach_residents"] = outreach["residents"] or 0

        by_kind: dict[str, int] = defaultdict(int)
        by_language: dict[str, int] = defaultdict(int)
        media_rows = (
            self._filter(MediaProduct, start, end)
            .values("kind", "language")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for row in media_rows:
            by_kind[row["kind"]] += row["total"] or 0
            by_language[row["language"]] += row["total"] or 0
        media = MediaProduct.Kind
        v["media_products"] = sum(by_kind.values())
        v["photos"] = by_kind[media.PHOTO]
        v["videos"] = by_kind[media.VIDEO] + by_kind[media.DOCUMENTARY]
        v["foreign_language_products"] = sum(
            by_language[code] for code in MediaProduct.FOREIGN_LANGUAGES
        )
        v["ethnic_language_products"] = sum(
            by_language[code] for code in MediaProduct.ETHNIC_LANGUAGES
        )
        result.breakdowns["media_by_kind"] = dict(by_kind)
        result.breakdowns["media_by_language"] = dict(by_language)

        v["events_attended"] = self._filter(EventParticipation, start, end).count()
        v.update(case_report_values(start=start, end=end, unit=self.unit, today=self.today))

        if self.include_portal:
            self._count_portal(start, end, result)
        return result

    def _count_portal(self, start: dt.date, end: dt.date, result: RangeCounts) -> None:
        v = result.values
        items = list(
            portal_articles(start=start, end=end).values_list("path", "locale__language_code")
        )
        by_language: dict[str, int] = defaultdict(int)
        for _path, language in items:
            by_language[language] += 1
        v["items_published"] = len(items)
        v["foreign_language_items"] = len(items) - by_language.get(settings.LANGUAGE_CODE, 0)
        result.breakdowns["items_by_language"] = dict(by_language)
        result.breakdowns["items_by_section"] = self._items_by_section(items)

        site = SiteDailyVisits.objects.filter(day__range=(start, end)).aggregate(
            views=Sum("views"), visitors=Sum("visitors")
        )
        v["page_views"] = site["views"] or 0
        v["visits"] = site["visitors"] or 0
        views_by_language = (
            PageDailyVisits.objects.filter(day__range=(start, end))
            .values("locale")
            .annotate(total=Sum("views"))
            .order_by()
        )
        result.breakdowns["views_by_language"] = {
            row["locale"]: row["total"] or 0 for row in views_by_language
        }

    def _items_by_section(self, items) -> dict[str, int]:
        """Items per section; a section and its translations count as one (its Vietnamese
        title names it)."""
        steplen = ArticlePage.steplen
        per_parent: dict[str, int] = defaultdict(int)
        for path, _language in items:
            per_parent[path[:-steplen]] += 1
        sections = SectionPage.objects.filter(path__in=list(per_parent)).values(
            "path", "title", "translation_key", "locale__language_code"
        )
        counts: dict[str, int] = defaultdict(int)
        keys = set()
        for section in sections:
            key = str(section["translation_key"])
            keys.add(key)
            counts[key] += per_parent[section["path"]]
            if section["locale__language_code"] == settings.LANGUAGE_CODE or (
                key not in self.section_titles
            ):
                self.section_titles[key] = section["title"]
        missing = keys - set(self.section_titles)
        if missing:
            vietnamese = SectionPage.objects.filter(
                translation_key__in=missing, locale__language_code=settings.LANGUAGE_CODE
            ).values_list("translation_key", "title")
            for key, title in vietnamese:
                self.section_titles[str(key)] = title
        return dict(counts)


def plan_targets(*, year: int, unit: Unit | None) -> dict[str, int]:
    """Targets per indicator code: the unit's annual plan, or the sum of all plans."""
    targets = PlanTarget.objects.filter(plan__year=year)
    if unit is not None:
        targets = targets.filter(plan__unit=unit)
    rows = targets.values("indicator").annotate(total=Sum("target")).order_by()
    return {row["indicator"]: row["total"] or 0 for row in rows}


def plan_exists(*, year: int, unit: Unit | None) -> bool:
    plans = AnnualPlan.objects.filter(year=year)
    return (plans.filter(unit=unit) if unit is not None else plans).exists()


# --- labels of breakdown rows -----------------------------------------------------------------


def language_label(code: str) -> str:
    """Portal locales and media languages share the registers' language names."""
    code = {"zh-hans": "zh", "zh_Hans": "zh"}.get(code, code)
    try:
        return str(MediaProduct.Language(code).label)
    except ValueError:
        return code


def _breakdown_rows(
    this: dict[str, int],
    previous: dict[str, int],
    order: list[str],
    label,
    *,
    keep_empty: bool = False,
) -> list[BreakdownRow]:
    codes = [c for c in order if keep_empty or this.get(c) or previous.get(c)]
    codes += sorted(c for c in set(this) | set(previous) if c not in order)
    return [BreakdownRow(label(c), this.get(c, 0), previous.get(c, 0)) for c in codes]


def _breakdowns(counter: _Counter, this: RangeCounts, previous: RangeCounts) -> list[Breakdown]:
    result = []
    for code, title in BREAKDOWNS.items():
        if code not in this.breakdowns:
            continue
        now, before = this.breakdowns[code], previous.breakdowns.get(code, {})
        if code == "media_by_kind":
            rows = _breakdown_rows(
                now,
                before,
                list(MediaProduct.Kind.values),
                lambda c: str(MediaProduct.Kind(c).label),
                keep_empty=True,
            )
        elif code == "media_by_language":
            rows = _breakdown_rows(now, before, list(MediaProduct.Language.values), language_label)
        elif code in ("items_by_language", "views_by_language"):
            rows = _breakdown_rows(
                now,
                before,
                [language for language, _name in settings.LANGUAGES],
                language_label,
                keep_empty=True,
            )
        else:  # items_by_section: most items first
            order = sorted(set(now) | set(before), key=lambda c: (-now.get(c, 0), c))
            rows = _breakdown_rows(now, before, order, lambda c: counter.section_titles.get(c, "?"))
        result.append(Breakdown(code=code, title=str(title), rows=rows))
    return result


# --- the report -------------------------------------------------------------------------------


def report_figures(
    *, period: Period, unit: Unit | None, today: dt.date | None = None
) -> ReportFigures:
    """Every figure of the report on ``period`` for ``unit`` (None: the whole province), with
    the previous period, the same period last year, the year so far and the plan's targets.
    Labels are in the report's language (Vietnamese)."""
    today = today or timezone.localdate()
    include_portal = unit is None
    counter = _Counter(unit=unit, today=today, include_portal=include_portal)
    with translation.override(settings.LANGUAGE_CODE):
        this = counter.counts(period.start, period.end)
        previous_period = period.previous()
        previous = counter.counts(previous_period.start, previous_period.end)
        last_year_period = period.same_period_last_year()
        last_year = counter.counts(last_year_period.start, last_year_period.end)
        year_to_date = counter.counts(period.year_start, period.end)
        targets = plan_targets(year=period.year, unit=unit)

        groups = []
        for group in GROUPS:
            if group.portal and not include_portal:
                continue
            figures = [
                Figure(
                    code=ind.code,
                    label=str(ind.label),
                    level=ind.level,
                    value=this.values[ind.code],
                    previous=previous.values[ind.code],
                    last_year=last_year.values[ind.code],
                    year_to_date=year_to_date.values[ind.code],
                    target=targets.get(ind.target) if ind.target else None,
                )
                for ind in group.indicators
            ]
            groups.append(FigureGroup(code=group.code, title=str(group.title), figures=figures))

        quarters = period.quarters_of_year_so_far()
        chart_codes = [*CHART_INDICATORS, *(["items_published"] if include_portal else [])]
        per_quarter = [counter.counts(q.start, q.end) for q in quarters]
        quarterly = QuarterSeries(
            quarters=[q.short_label for q in quarters],
            series={
                str(INDICATORS[code].label): [c.values[code] for c in per_quarter]
                for code in chart_codes
            },
        )
        breakdowns = _breakdowns(counter, this, previous)
        scope_name = unit.name if unit is not None else gettext("Whole province")
    return ReportFigures(
        period=period,
        scope_name=scope_name,
        unit_id=unit.pk if unit is not None else None,
        includes_portal=include_portal,
        as_of=min(period.end, today),
        groups=groups,
        breakdowns=breakdowns,
        quarterly=quarterly,
    )


# --- the dashboard ----------------------------------------------------------------------------


@dataclass
class YearComparison:
    code: str
    label: str
    this_year: int
    last_year: int

    @property
    def change_percent(self):
        from .indicators import percent_change

        return percent_change(self.this_year, self.last_year)

    @property
    def change_text(self) -> str:
        return format_percent(self.change_percent, signed=True)


@dataclass
class TargetProgress:
    code: str
    label: str
    target: int
    done: int

    @property
    def percent(self) -> float:
        return self.done * 100 / self.target if self.target else 0.0

    @property
    def percent_text(self) -> str:
        return format_percent(self.percent)

    @property
    def bar_percent(self) -> int:
        return min(round(self.percent), 100)


def dashboard_figures(*, unit: Unit | None, today: dt.date | None = None) -> dict:
    """This year so far against the same days of last year, and the plan's progress."""
    from doingoai.registers.indicators import Indicator

    today = today or timezone.localdate()
    include_portal = unit is None
    counter = _Counter(unit=unit, today=today, include_portal=include_portal)
    year_start = dt.date(today.year, 1, 1)
    try:
        same_day_last_year = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        same_day_last_year = today.replace(year=today.year - 1, day=28)
    this = counter.counts(year_start, today)
    before = counter.counts(year_start.replace(year=today.year - 1), same_day_last_year)
    comparisons, progress = [], []
    targets = plan_targets(year=today.year, unit=unit)
    for group in GROUPS:
        if group.portal and not include_portal:
            continue
        for ind in group.indicators:
            if ind.level:
                continue
            comparisons.append(
                YearComparison(
                    ind.code, str(ind.label), this.values[ind.code], before.values[ind.code]
                )
            )
    for ind in INDICATORS.values():
        if ind.target and ind.target in targets and ind.code in this.values:
            progress.append(
                TargetProgress(
                    ind.code,
                    str(Indicator(ind.target).label),
                    targets[ind.target],
                    this.values[ind.code],
                )
            )
    return {
        "year": today.year,
        "today": today,
        "same_day_last_year": same_day_last_year,
        "comparisons": comparisons,
        "progress": progress,
    }
