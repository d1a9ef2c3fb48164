"""Reporting periods (kỳ báo cáo): a quarter, a half year or a whole year.

Plain Python, no Django: the labels are the Vietnamese words used on official reports
("Quý I/2025", "6 tháng đầu năm 2025", "Năm 2025"), whatever the back-office language.
Invalid input raises :class:`PeriodError` with a ``code`` the caller turns into a message.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MIN_YEAR = 2000
MAX_YEAR = 2100

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


#: How many periods of each kind a year holds.
PARTS = {PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
#: Months in one period of each kind.
MONTHS = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}


class PeriodError(ValueError):
    """A period that does not exist. ``code``: kind, year, quarter, half or range."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. ``number`` is the quarter (1–4), the half (1–2) or 1 for a year."""

    year: int
    kind: PeriodKind
    number: int = 1

    def __post_init__(self):
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            raise PeriodError("kind", f"unknown period kind {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)
        if not isinstance(self.year, int) or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError("year", f"year {self.year!r} outside {MIN_YEAR}–{MAX_YEAR}")
        if kind is PeriodKind.YEAR and self.number in (None, 0):
            object.__setattr__(self, "number", 1)
        if not isinstance(self.number, int) or not 1 <= self.number <= PARTS[kind]:
            code = {PeriodKind.QUARTER: "quarter", PeriodKind.HALF: "half"}.get(kind, "kind")
            raise PeriodError(code, f"{kind} number {self.number!r} outside 1–{PARTS[kind]}")

    # --- constructors ---------------------------------------------------------------------

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        return cls(year, PeriodKind.QUARTER, number)

    @classmethod
    def half(cls, year: int, number: int) -> Period:
        return cls(year, PeriodKind.HALF, number)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR, 1)

    @classmethod
    def containing(cls, kind: PeriodKind | str, day: date) -> Period:
        kind = PeriodKind(kind)
        return cls(day.year, kind, (day.month - 1) // MONTHS[kind] + 1)

    @classmethod
    def from_range(cls, start: date, end: date) -> Period:
        """The period that runs exactly from ``start`` to ``end``."""
        for kind in PeriodKind:
            period = cls.containing(kind, start)
            if period.start == start and period.end == end:
                return period
        raise PeriodError("range", f"{start} – {end} is not a quarter, half year or year")

    # --- dates ----------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        return (self.number - 1) * MONTHS[self.kind] + 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        month = self.first_month + MONTHS[self.kind] - 1
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    # --- related periods ------------------------------------------------------------------

    def previous(self) -> Period:
        """The period just before: Q1/2025 → Q4/2024, H2 → H1, 2025 → 2024."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, PARTS[self.kind])

    def next(self) -> Period:
        if self.number < PARTS[self.kind]:
            return Period(self.year, self.kind, self.number + 1)
        return Period(self.year + 1, self.kind, 1)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.number)

    def quarters(self) -> list[Period]:
        """The quarters this period is made of."""
        first = (self.first_month - 1) // 3 + 1
        count = MONTHS[self.kind] // 3
        return [Period.quarter(self.year, first + i) for i in range(count)]

    def quarters_of_year_so_far(self) -> list[Period]:
        """Q1 of the period's year up to the last quarter of the period (for charts)."""
        last = (self.end.month - 1) // 3 + 1
        return [Period.quarter(self.year, q) for q in range(1, last + 1)]

    # --- words ----------------------------------------------------------------------------

    @property
    def label(self) -> str:
        """Short label: "Quý I/2025", "6 tháng đầu năm 2025", "Năm 2025"."""
        if self.kind is PeriodKind.QUARTER:
            return f"Quý {ROMAN[self.number]}/{self.year}"
        if self.kind is PeriodKind.HALF:
            which = "đầu" if self.number == 1 else "cuối"
            return f"6 tháng {which} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def phrase(self) -> str:
        """As it reads inside a sentence or a subject line: "quý I năm 2025", "năm 2025"."""
        if self.kind is PeriodKind.QUARTER:
            return f"quý {ROMAN[self.number]} năm {self.year}"
        if self.kind is PeriodKind.HALF:
            which = "đầu" if self.number == 1 else "cuối"
            return f"6 tháng {which} năm {self.year}"
        return f"năm {self.year}"

    @property
    def short_label(self) -> str:
        """For chart axes: "QI/2025", "6T đầu/2025", "2025"."""
        if self.kind is PeriodKind.QUARTER:
            return f"Q{ROMAN[self.number]}/{self.year}"
        if self.kind is PeriodKind.HALF:
            return f"6T {'đầu' if self.number == 1 else 'cuối'}/{self.year}"
        return str(self.year)

    @property
    def slug(self) -> str:
        """For file names: "quy-1-2025", "6-thang-dau-2025", "nam-2025"."""
        if self.kind is PeriodKind.QUARTER:
            return f"quy-{self.number}-{self.year}"
        if self.kind is PeriodKind.HALF:
            return f"6-thang-{'dau' if self.number == 1 else 'cuoi'}-{self.year}"
        return f"nam-{self.year}"

    def __str__(self) -> str:
        return self.label


def period_from_input(kind: str, year, number=None) -> Period:
    """Build a period from form or URL values (strings allowed); raises PeriodError."""
    try:
        kind = PeriodKind(kind)
    except ValueError:
        raise PeriodError("kind", f"unknown period kind {kind!r}") from None
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PeriodError("year", f"year {year!r} is not a number") from None
    if kind is PeriodKind.YEAR:
        return Period.whole_year(year)
    try:
        number = int(number)
    except (TypeError, ValueError):
        code = "quarter" if kind is PeriodKind.QUARTER else "half"
        raise PeriodError(code, f"{kind} {number!r} is not a number") from None
    return Period(year, kind, number)
