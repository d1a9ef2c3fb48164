"""A sample of two years (2024–2025) of register records, portal items and visits for three
units, written through the registers' factories.

Every record created is also written down in a :class:`Ledger` as a plain dict, so the tests
can compute the expected figures with plain Python over what was created — never through the
code under test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Locale

from doingoai.portal.models import ArticlePage, SectionPage
from doingoai.registers.models import (
    Agreement,
    BorderCooperation,
    EventParticipation,
    MediaProduct,
    PressEvent,
)
from doingoai.visitors.models import PageDailyVisits, SiteDailyVisits
from tests.factories import add_page
from tests.registers import factories as f

MONTHS = [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 13)]
MEDIA_LANGUAGES = ["hmong", "en", "dao", "zh", "vi", "lo"]


@dataclass
class Ledger:
    rows: list[dict] = field(default_factory=list)

    def add(self, register: str, unit: str | None, day: dt.date, **values) -> None:
        self.rows.append({"register": register, "unit": unit, "day": day, **values})

    def select(self, register: str, start: dt.date, end: dt.date, unit: str | None = None):
        return [
            row
            for row in self.rows
            if row["register"] == register
            and start <= row["day"] <= end
            and (unit is None or row["unit"] == unit or row.get("assigned") == unit)
        ]


def build_registers(units: dict, ledger: Ledger) -> None:
    """``units``: {"a": Unit, "b": Unit, "province": Unit}."""
    keys = ["a", "b", "province"]
    agency = f.PressAgencyFactory(name="Báo Lào Cai")
    for m_index, (year, month) in enumerate(MONTHS, start=1):
        for u, key in enumerate(keys):
            unit = units[key]

            # Weekly press briefings: 1–3 a month.
            for week in range((m_index + u) % 3 + 1):
                day = dt.date(year, month, 3 + 7 * week)
                f.PressEventFactory(unit=unit, held_on=day, kind=PressEvent.Kind.WEEKLY_BRIEFING)
                ledger.add("briefing", key, day)

            # Quarterly press meetings (the province) and press conferences on events, held
            # late in the month so that some answers fall after the end of the period.
            meetings = []
            if key == "province" and month % 3 == 0:
                meetings.append(PressEvent.Kind.QUARTERLY_MEETING)
            if (m_index + u) % 4 == 0:
                meetings.append(PressEvent.Kind.PRESS_CONFERENCE)
            for kind in meetings:
                day = dt.date(year, month, 27 if kind == PressEvent.Kind.PRESS_CONFERENCE else 28)
                event = f.PressEventFactory(unit=unit, held_on=day, kind=kind)
                event.agencies.add(agency)
                ledger.add(
                    "meeting" if kind == PressEvent.Kind.QUARTERLY_MEETING else "conference",
                    key,
                    day,
                )
                other = keys[(u + 1) % 3]
                questions = [
                    # answered three days later (maybe after the end of the period)
                    {"assigned": key, "answered_on": day + dt.timedelta(days=3), "answer": "Đã"},
                    # assigned to another unit, never answered: overdue after a week
                    {"assigned": other, "answered_on": None, "answer": ""},
                    # an answer with no date counts as answered
                    {"assigned": key, "answered_on": None, "answer": "Trả lời tại chỗ"},
                ]
                for n, q in enumerate(questions):
                    deadline = day + dt.timedelta(days=7)
                    f.PressQuestionFactory(
                        event=event,
                        agency=agency,
                        question=f"Câu hỏi {n} ngày {day:%d/%m/%Y} của {key}?",
                        assigned_unit=units[q["assigned"]],
                        deadline=deadline,
                        answered_on=q["answered_on"],
                        answer=q["answer"],
                    )
                    ledger.add(
                        "question",
                        key,
                        day,
                        assigned=q["assigned"],
                        deadline=deadline,
                        answered_on=q["answered_on"],
                        answer=q["answer"],
                    )

            # Press releases.
            for n in range((m_index + u) % 2 + (1 if key == "province" else 0)):
                day = dt.date(year, month, 5 + n)
                f.PressReleaseFactory(unit=unit, issued_on=day)
                ledger.add("release", key, day)

            # Outgoing delegations every other month.
            if m_index % 2 == u % 2:
                day = dt.date(year, month, 12)
                officials, others = 3 + (m_index * (u + 1)) % 5, m_index % 3
                f.OutgoingDelegationFactory(
                    unit=unit,
                    start_date=day,
                    end_date=day + dt.timedelta(days=3),
                    officials_count=officials,
                    others_count=others,
                )
                ledger.add("outgoing", key, day, officials=officials, others=others)

            # Incoming delegations, received by the two field units.
            if key != "province":
                day = dt.date(year, month, 20)
                visitors = 5 + (m_index * 3 + u) % 9
                f.IncomingDelegationFactory(
                    unit=unit,
                    start_date=day,
                    end_date=day + dt.timedelta(days=2),
                    foreign_visitors=visitors,
                    host_unit=units["province"],
                )
                ledger.add("incoming", key, day, visitors=visitors)

            # Agreements: signed ones count, those under negotiation do not.
            if m_index % 5 == u:
                day = dt.date(year, month, 15)
                f.AgreementFactory(unit=unit, signed_on=day, status=Agreement.Status.IN_FORCE)
                ledger.add("agreement", key, day)
            if m_index % 7 == u:
                f.AgreementFactory(
                    unit=unit,
                    signed_on=dt.date(year, month, 16),
                    status=Agreement.Status.NEGOTIATING,
                )

            # Border cooperation: the border guard.
            if key == "a":
                for day_of_month in (2, 16):
                    day = dt.date(year, month, day_of_month)
                    f.BorderCooperationFactory(
                        unit=unit, date=day, kind=BorderCooperation.Kind.LETTER
                    )
                    ledger.add("letter", key, day)
                if month % 3 == 0:
                    day = dt.date(year, month, 9)
                    f.BorderCooperationFactory(
                        unit=unit, date=day, kind=BorderCooperation.Kind.JOINT_PATROL
                    )
                    ledger.add("patrol", key, day)
                if month % 6 == 0:
                    day = dt.date(year, month, 25)
                    f.BorderCooperationFactory(
                        unit=unit, date=day, kind=BorderCooperation.Kind.PERIODIC_TALK
                    )
                    ledger.add("talk", key, day)

            # Border outreach sessions.
            if key != "province":
                for n in range(m_index % 2 + 1):
                    day = dt.date(year, month, 8 + n)
                    officers, residents = 4 + u, 100 + m_index * 10 + u
                    f.BorderOutreachSessionFactory(
                        unit=unit,
                        held_on=day,
                        officers_count=officers,
                        residents_reached=residents,
                    )
                    ledger.add("outreach", key, day, officers=officers, residents=residents)

            # Media products.
            day = dt.date(year, month, 18)
            media = [(MediaProduct.Kind.PHOTO, "vi", 10 + m_index)]
            media.append(
                (MediaProduct.Kind.VIDEO, MEDIA_LANGUAGES[(m_index + u) % len(MEDIA_LANGUAGES)], 1)
            )
            if month in (6, 12):
                media.append((MediaProduct.Kind.DOCUMENTARY, "en", 1))
            if key == "province" and month % 4 == 1:
                media.append((MediaProduct.Kind.BANNER, "zh", 3))
            for kind, language, quantity in media:
                f.MediaProductFactory(
                    unit=unit, kind=kind, language=language, quantity=quantity, produced_on=day
                )
                ledger.add("media", key, day, kind=kind, language=language, quantity=quantity)

            # Events, festivals and fairs.
            if m_index % 4 == u + 1:
                day = dt.date(year, month, 21)
                f.EventParticipationFactory(
                    unit=unit,
                    start_date=day,
                    end_date=day + dt.timedelta(days=2),
                    kind=EventParticipation.Kind.FESTIVAL,
                )
                ledger.add("event", key, day)

    # The 2025 plans: targets for unit A and the province unit; unit B has none.
    plan_a = f.AnnualPlanFactory(unit=units["a"], year=2025)
    plan_p = f.AnnualPlanFactory(unit=units["province"], year=2025)
    for plan, key, targets in (
        (plan_a, "a", {"press_briefings": 30, "outreach_residents": 4000, "media_products": 300}),
        (plan_p, "province", {"press_briefings": 40, "items_published": 20, "press_releases": 30}),
    ):
        for indicator, target in targets.items():
            f.PlanTargetFactory(plan=plan, indicator=indicator, target=target)
            ledger.add("target", key, dt.date(2025, 1, 1), indicator=indicator, target=target)
    # Another year's plan must not count.
    f.PlanTargetFactory(
        plan=f.AnnualPlanFactory(unit=units["a"], year=2024), indicator="press_briefings"
    )


def _aware(year, month, day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


#: (language, section slug, published at local time, live)
PORTAL_ITEMS = [
    ("vi", "thoi-su", (2025, 1, 15), True),
    ("vi", "thoi-su", (2025, 4, 1, 0, 10), True),  # just after midnight, first day of Q2
    ("vi", "thoi-su", (2025, 5, 5), True),
    ("vi", "du-lich", (2025, 5, 6), True),
    ("vi", "du-lich", (2025, 6, 30, 23, 30), True),  # last evening of Q2 (16:30 UTC)
    ("vi", "du-lich", (2025, 7, 1, 0, 5), True),  # Q3
    ("vi", "thoi-su", (2025, 5, 9), False),  # a draft: not published
    ("en", "thoi-su", (2025, 4, 20), True),
    ("en", "du-lich", (2025, 6, 2), True),
    ("zh-hans", "du-lich", (2025, 5, 19), True),
    ("lo", "thoi-su", (2025, 2, 11), True),
    ("lo", "thoi-su", (2025, 6, 11), True),
    ("vi", "thoi-su", (2024, 5, 10), True),
    ("en", "du-lich", (2024, 4, 3), True),
]


def build_portal_items(portal, ledger: Ledger) -> None:
    for n, (language, slug, when, live) in enumerate(PORTAL_ITEMS, start=1):
        vi_section = portal.sections[slug]
        section = SectionPage.objects.get(
            translation_key=vi_section.translation_key,
            locale=Locale.objects.get(language_code=language),
        )
        day = dt.date(*when[:3])
        add_page(
            section,
            ArticlePage,
            publish=live,
            title=f"Tin mẫu {n} ({language})",
            slug=f"tin-mau-{n}",
            lead="Tin mẫu cho báo cáo.",
            published_at=_aware(*when),
        )
        if live:
            ledger.add("item", None, day, language=language, section=vi_section.title)


def build_visits(ledger: Ledger) -> None:
    day = dt.date(2024, 1, 1)
    while day <= dt.date(2025, 12, 31):
        if day.day in (1, 10, 30):
            views, visitors = 100 + day.month * 7 + day.day, 40 + day.day
            SiteDailyVisits.objects.create(day=day, views=views, visitors=visitors)
            ledger.add("site_visits", None, day, views=views, visitors=visitors)
            for language, share in (("vi", 0.7), ("en", 0.2), ("lo", 0.1)):
                page_views = int(views * share)
                PageDailyVisits.objects.create(
                    page_id=1, locale=language, day=day, views=page_views
                )
                ledger.add("page_visits", None, day, language=language, views=page_views)
        day += dt.timedelta(days=1)
