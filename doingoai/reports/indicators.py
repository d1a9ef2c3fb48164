"""The indicators a periodic report shows, and the plain dataclasses its figures travel in.

Every output (the preview screen, DOCX, XLSX, PDF, charts) renders the same
:class:`ReportFigures`, so they cannot disagree. The figures are computed by
``selectors.report_figures``; a final report stores them (``to_dict``) and renders them back
(``from_dict``) so a signed report does not change when the registers do.

Where a row has a ``target``, it is the code of ``registers.indicators.Indicator`` that the
annual plan (``PlanTarget``) sets a target for.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doingoai.registers.indicators import Indicator

from .periods import Period, PeriodKind


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    label: object  # a lazy translation
    target: str | None = None
    level: int = 0  # 1: a "trong đó" (of which) line under the row above


@dataclass(frozen=True)
class GroupDef:
    code: str
    title: object
    indicators: tuple[IndicatorDef, ...]
    portal: bool = False  # portal figures: the whole province only


I = Indicator  # noqa: E741

GROUPS: tuple[GroupDef, ...] = (
    GroupDef(
        "press",
        _("Press work and the spokesperson"),
        (
            IndicatorDef(
                "press_briefings",
                pgettext_lazy("report indicator", "Weekly press briefings held"),
                I.PRESS_BRIEFINGS,
            ),
            IndicatorDef(
                "press_meetings",
                pgettext_lazy("report indicator", "Press meetings and press conferences held"),
                I.PRESS_CONFERENCES,
            ),
            IndicatorDef(
                "press_quarterly_meetings",
                pgettext_lazy("report indicator", "of which quarterly press meetings"),
                level=1,
            ),
            IndicatorDef(
                "press_conferences",
                pgettext_lazy("report indicator", "of which press conferences on events"),
                level=1,
            ),
            IndicatorDef(
                "press_questions_raised",
                pgettext_lazy("report indicator", "Questions raised by the press"),
            ),
            IndicatorDef(
                "press_questions_answered",
                pgettext_lazy("report indicator", "of which answered"),
                level=1,
            ),
            IndicatorDef(
                "press_questions_overdue",
                pgettext_lazy("report indicator", "of which overdue, not answered"),
                level=1,
            ),
            IndicatorDef(
                "press_releases",
                pgettext_lazy("report indicator", "Press releases issued"),
                I.PRESS_RELEASES,
            ),
        ),
    ),
    GroupDef(
        "foreign",
        _("Delegations and international cooperation"),
        (
            IndicatorDef(
                "outgoing_delegations",
                pgettext_lazy("report indicator", "Outgoing delegations"),
                I.OUTGOING_DELEGATIONS,
            ),
            IndicatorDef(
                "outgoing_officials",
                pgettext_lazy("report indicator", "Officials sent abroad"),
                I.OUTGOING_OFFICIALS,
                level=1,
            ),
            IndicatorDef(
                "outgoing_others",
                pgettext_lazy("report indicator", "Other individuals sent abroad"),
                level=1,
            ),
            IndicatorDef(
                "incoming_delegations",
                pgettext_lazy("report indicator", "Incoming delegations received"),
                I.INCOMING_DELEGATIONS,
            ),
            IndicatorDef(
                "foreign_visitors",
                pgettext_lazy("report indicator", "Foreign visitors received"),
                I.FOREIGN_VISITORS,
                level=1,
            ),
            IndicatorDef(
                "agreements_signed",
                pgettext_lazy("report indicator", "Agreements and memoranda signed"),
                I.AGREEMENTS_SIGNED,
            ),
        ),
    ),
    GroupDef(
        "border",
        _("Border cooperation and informing border residents"),
        (
            IndicatorDef(
                "border_letters",
                pgettext_lazy("report indicator", "Letters exchanged with the border force across"),
                I.BORDER_LETTERS,
            ),
            IndicatorDef(
                "joint_patrols", pgettext_lazy("report indicator", "Joint patrols"), I.JOINT_PATROLS
            ),
            IndicatorDef(
                "periodic_talks",
                pgettext_lazy("report indicator", "Periodic talks"),
                I.PERIODIC_TALKS,
            ),
            IndicatorDef(
                "outreach_sessions",
                pgettext_lazy("report indicator", "Border outreach sessions held"),
                I.OUTREACH_SESSIONS,
            ),
            IndicatorDef(
                "outreach_officers",
                pgettext_lazy("report indicator", "Officer participations in outreach"),
                I.OUTREACH_OFFICERS,
                level=1,
            ),
            IndicatorDef(
                "outreach_residents",
                pgettext_lazy("report indicator", "Border residents reached"),
                I.OUTREACH_RESIDENTS,
                level=1,
            ),
        ),
    ),
    GroupDef(
        "media",
        _("Media products, events and fairs"),
        (
            IndicatorDef(
                "media_products",
                pgettext_lazy("report indicator", "Media products made"),
                I.MEDIA_PRODUCTS,
            ),
            IndicatorDef(
                "photos", pgettext_lazy("report indicator", "of which photos"), I.PHOTOS, level=1
            ),
            IndicatorDef(
                "videos",
                pgettext_lazy("report indicator", "of which videos and documentaries"),
                I.VIDEOS,
                level=1,
            ),
            IndicatorDef(
                "foreign_language_products",
                pgettext_lazy("report indicator", "of which in foreign languages"),
                level=1,
            ),
            IndicatorDef(
                "ethnic_language_products",
                pgettext_lazy("report indicator", "of which in ethnic-minority languages"),
                I.ETHNIC_LANGUAGE_PRODUCTS,
                level=1,
            ),
            IndicatorDef(
                "events_attended",
                pgettext_lazy("report indicator", "Events, festivals and fairs taken part in"),
                I.EVENTS_ATTENDED,
            ),
        ),
    ),
    GroupDef(
        "online",
        _("Responding to online information"),
        (
            IndicatorDef(
                "cases_opened", pgettext_lazy("report indicator", "Response cases opened")
            ),
            IndicatorDef(
                "cases_overdue",
                pgettext_lazy("report indicator", "of the cases opened, overdue"),
                level=1,
            ),
            IndicatorDef(
                "cases_answered",
                pgettext_lazy("report indicator", "Response cases answered"),
            ),
            IndicatorDef(
                "case_hours_first_response",
                pgettext_lazy("report indicator", "Mean hours to the first response"),
            ),
            IndicatorDef(
                "case_hours_to_answer",
                pgettext_lazy("report indicator", "Mean hours to the answer"),
            ),
        ),
    ),
    GroupDef(
        "portal",
        _("External-information portal"),
        (
            IndicatorDef(
                "items_published",
                pgettext_lazy("report indicator", "News items published on the portal"),
                I.ITEMS_PUBLISHED,
            ),
            IndicatorDef(
                "foreign_language_items",
                pgettext_lazy("report indicator", "of which in foreign languages"),
                I.FOREIGN_LANGUAGE_ITEMS,
                level=1,
            ),
            IndicatorDef("page_views", pgettext_lazy("report indicator", "Portal page views")),
            IndicatorDef("visits", pgettext_lazy("report indicator", "Portal visits")),
        ),
        portal=True,
    ),
)

INDICATORS: dict[str, IndicatorDef] = {
    indicator.code: indicator for group in GROUPS for indicator in group.indicators
}

#: Breakdowns shown as their own small tables (and the per-language chart).
BREAKDOWNS = {
    "media_by_kind": _("Media products by kind"),
    "media_by_language": _("Media products by language"),
    "items_by_language": _("Portal items published by language"),
    "items_by_section": _("Portal items published by section"),
    "views_by_language": _("Portal page views by language"),
}
PORTAL_BREAKDOWNS = frozenset({"items_by_language", "items_by_section", "views_by_language"})

#: The indicators drawn as per-quarter bars.
CHART_INDICATORS = (
    "press_briefings",
    "outgoing_delegations",
    "incoming_delegations",
    "outreach_sessions",
)


# --- figures ----------------------------------------------------------------------------------


def percent_change(value: int, previous: int) -> float | None:
    """Change against the previous period, in per cent; none when there was nothing before."""
    if not previous:
        return None
    return (value - previous) * 100 / previous


@dataclass
class Figure:
    """One indicator of the report for its period."""

    code: str
    label: str
    level: int
    value: int
    previous: int
    last_year: int
    year_to_date: int
    target: int | None = None

    @property
    def change_percent(self) -> float | None:
        return percent_change(self.value, self.previous)

    @property
    def change_last_year_percent(self) -> float | None:
        return percent_change(self.value, self.last_year)

    @property
    def target_percent(self) -> float | None:
        """The year so far (to the end of the period) against the annual target."""
        if not self.target:
            return None
        return self.year_to_date * 100 / self.target


@dataclass
class FigureGroup:
    code: str
    title: str
    figures: list[Figure]


@dataclass
class BreakdownRow:
    label: str
    value: int
    previous: int

    @property
    def change_percent(self) -> float | None:
        return percent_change(self.value, self.previous)


@dataclass
class Breakdown:
    code: str
    title: str
    rows: list[BreakdownRow]

    @property
    def total(self) -> int:
        return sum(row.value for row in self.rows)


@dataclass
class QuarterSeries:
    """Per-quarter values of a few indicators, Q1 to the end of the period (the bar chart)."""

    quarters: list[str]
    series: dict[str, list[int]] = field(default_factory=dict)  # label → one value a quarter


@dataclass
class ReportFigures:
    period: Period
    scope_name: str
    unit_id: int | None
    includes_portal: bool
    as_of: date
    groups: list[FigureGroup]
    breakdowns: list[Breakdown]
    quarterly: QuarterSeries

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def last_year_period(self) -> Period:
        return self.period.same_period_last_year()

    @property
    def shows_year_to_date(self) -> bool:
        return self.period.kind is not PeriodKind.YEAR

    def figures(self) -> list[Figure]:
        return [figure for group in self.groups for figure in group.figures]

    def figure(self, code: str) -> Figure:
        for figure in self.figures():
            if figure.code == code:
                return figure
        raise KeyError(code)

    def breakdown(self, code: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.code == code), None)

    # --- storing a final report's figures ---------------------------------------------------

    def to_dict(self) -> dict:
        data = asdict(self)
        data["period"] = {
            "year": self.period.year,
            "kind": str(self.period.kind),
            "number": self.period.number,
        }
        data["as_of"] = self.as_of.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ReportFigures:
        return cls(
            period=Period(data["period"]["year"], data["period"]["kind"], data["period"]["number"]),
            scope_name=data["scope_name"],
            unit_id=data["unit_id"],
            includes_portal=data["includes_portal"],
            as_of=date.fromisoformat(data["as_of"]),
            groups=[
                FigureGroup(
                    code=group["code"],
                    title=group["title"],
                    figures=[Figure(**figure) for figure in group["figures"]],
                )
                for group in data["groups"]
            ],
            breakdowns=[
                Breakdown(
                    code=b["code"],
                    title=b["title"],
                    rows=[BreakdownRow(**row) for row in b["rows"]],
                )
                for b in data["breakdowns"]
            ],
            quarterly=QuarterSeries(**data["quarterly"]),
        )
