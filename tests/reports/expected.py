"""The expected figures of a report, computed with plain Python over the sample's ledger — the
list of everything the test created — and never through the code under test.

Dates are written out by hand here (not taken from ``doingoai.reports.periods``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

ONE_DAY = dt.timedelta(days=1)

#: (start, end) of the periods the golden tests report on.
Q1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
Q2_2025 = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
Q2_2024 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
H1_2025 = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
H2_2024 = (dt.date(2024, 7, 1), dt.date(2024, 12, 31))
H1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
YEAR_2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
YEAR_2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))

FOREIGN = {"en", "zh", "lo"}
ETHNIC = {"thai", "hmong", "dao", "giay", "ha_nhi"}


def expected_values(ledger, start, end, unit: str | None, today: dt.date) -> dict[str, int]:
    """Every indicator for ``unit`` ("a", "b", "province") or the whole province (None)."""

    def rows(register):
        return ledger.select(register, start, end, unit)

    def total(register, key):
        return sum(row[key] for row in rows(register))

    reference = min(end + ONE_DAY, today)

    def answered(row):
        if row["answered_on"] is not None:
            return row["answered_on"] < reference
        return row["answer"] != ""

    questions = rows("question")
    media = rows("media")
    values = {
        "press_briefings": len(rows("briefing")),
        "press_quarterly_meetings": len(rows("meeting")),
        "press_conferences": len(rows("conference")),
        "press_meetings": len(rows("meeting")) + len(rows("conference")),
        "press_questions_raised": len(questions),
        "press_questions_answered": sum(1 for q in questions if answered(q)),
        "press_questions_overdue": sum(
            1 for q in questions if q["deadline"] < reference and not answered(q)
        ),
        "press_releases": len(rows("release")),
        "outgoing_delegations": len(rows("outgoing")),
        "outgoing_officials": total("outgoing", "officials"),
        "outgoing_others": total("outgoing", "others"),
        "incoming_delegations": len(rows("incoming")),
        "foreign_visitors": total("incoming", "visitors"),
        "agreements_signed": len(rows("agreement")),
        "border_letters": len(rows("letter")),
        "joint_patrols": len(rows("patrol")),
        "periodic_talks": len(rows("talk")),
        "outreach_sessions": len(rows("outreach")),
        "outreach_officers": total("outreach", "officers"),
        "outreach_residents": total("outreach", "residents"),
        "media_products": sum(m["quantity"] for m in media),
        "photos": sum(m["quantity"] for m in media if m["kind"] == "photo"),
        "videos": sum(m["quantity"] for m in media if m["kind"] in ("video", "documentary")),
        "foreign_language_products": sum(m["quantity"] for m in media if m["language"] in FOREIGN),
        "ethnic_language_products": sum(m["quantity"] for m in media if m["language"] in ETHNIC),
        "events_attended": len(rows("event")),
        # The sample opens no response cases; tests/responses checks these figures.
        "cases_opened": 0,
        "cases_answered": 0,
        "cases_overdue": 0,
        "case_hours_first_response": 0,
        "case_hours_to_answer": 0,
    }
    if unit is None:
        items = ledger.select("item", start, end)
        values["items_published"] = len(items)
        values["foreign_language_items"] = sum(1 for i in items if i["language"] != "vi")
        visits = ledger.select("site_visits", start, end)
        values["page_views"] = sum(v["views"] for v in visits)
        values["visits"] = sum(v["visitors"] for v in visits)
    return values


def expected_targets(ledger, unit: str | None, year: int = 2025) -> dict[str, int]:
    """Targets per registers indicator code: the unit's plan or the sum of every plan."""
    targets: Counter = Counter()
    for row in ledger.rows:
        if (
            row["register"] == "target"
            and row["day"].year == year
            and (unit is None or row["unit"] == unit)
        ):
            targets[row["indicator"]] += row["target"]
    return dict(targets)


def expected_items_by(ledger, start, end, key: str) -> dict[str, int]:
    return dict(Counter(row[key] for row in ledger.select("item", start, end)))


def expected_media_by(ledger, start, end, unit, key: str) -> dict[str, int]:
    counter: Counter = Counter()
    for row in ledger.select("media", start, end, unit):
        counter[row[key]] += row["quantity"]
    return dict(counter)


def vn(number: int) -> str:
    """1234 → "1.234", written out independently of the code under test."""
    return f"{number:,}".replace(",", ".")
