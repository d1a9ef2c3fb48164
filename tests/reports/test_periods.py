"""Period maths and the Vietnamese formats of the report files (plain Python, no database)."""

from datetime import date

import pytest

from doingoai.reports.formatting import date_line, format_number, format_percent
from doingoai.reports.periods import Period, PeriodError, PeriodKind, period_from_input


@pytest.mark.parametrize(
    ("period", "start", "end", "label"),
    [
        (Period.quarter(2025, 1), date(2025, 1, 1), date(2025, 3, 31), "Quý I/2025"),
        (Period.quarter(2025, 2), date(2025, 4, 1), date(2025, 6, 30), "Quý II/2025"),
        (Period.quarter(2025, 3), date(2025, 7, 1), date(2025, 9, 30), "Quý III/2025"),
        (Period.quarter(2024, 4), date(2024, 10, 1), date(2024, 12, 31), "Quý IV/2024"),
        (Period.half(2025, 1), date(2025, 1, 1), date(2025, 6, 30), "6 tháng đầu năm 2025"),
        (Period.half(2025, 2), date(2025, 7, 1), date(2025, 12, 31), "6 tháng cuối năm 2025"),
        (Period.whole_year(2025), date(2025, 1, 1), date(2025, 12, 31), "Năm 2025"),
        (Period.quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31), "Quý I/2024"),
    ],
)
def test_dates_and_labels(period, start, end, label):
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.from_range(start, end) == period
    assert period.contains(start) and period.contains(end)
    assert not period.contains(date(start.year - 1, 12, 31))


def test_leap_year_february_is_inside_q1():
    assert Period.quarter(2024, 1).contains(date(2024, 2, 29))


@pytest.mark.parametrize(
    ("period", "previous", "last_year"),
    [
        (Period.quarter(2025, 1), Period.quarter(2024, 4), Period.quarter(2024, 1)),
        (Period.quarter(2025, 3), Period.quarter(2025, 2), Period.quarter(2024, 3)),
        (Period.half(2025, 1), Period.half(2024, 2), Period.half(2024, 1)),
        (Period.half(2025, 2), Period.half(2025, 1), Period.half(2024, 2)),
        (Period.whole_year(2025), Period.whole_year(2024), Period.whole_year(2024)),
    ],
)
def test_previous_period_and_same_period_last_year(period, previous, last_year):
    assert period.previous() == previous
    assert period.same_period_last_year() == last_year
    assert previous.next() == period
    assert previous.end.toordinal() + 1 == period.start.toordinal()


def test_quarters_inside_and_so_far():
    assert Period.half(2025, 2).quarters() == [Period.quarter(2025, 3), Period.quarter(2025, 4)]
    assert Period.whole_year(2025).quarters() == [Period.quarter(2025, q) for q in (1, 2, 3, 4)]
    assert Period.quarter(2025, 3).quarters_of_year_so_far() == [
        Period.quarter(2025, 1),
        Period.quarter(2025, 2),
        Period.quarter(2025, 3),
    ]


def test_containing_and_phrases():
    assert Period.containing("quarter", date(2025, 8, 15)) == Period.quarter(2025, 3)
    assert Period.containing(PeriodKind.HALF, date(2025, 6, 30)) == Period.half(2025, 1)
    assert Period.quarter(2025, 4).phrase == "quý IV năm 2025"
    assert Period.half(2025, 1).phrase == "6 tháng đầu năm 2025"
    assert Period.whole_year(2025).phrase == "năm 2025"
    assert Period.quarter(2025, 2).slug == "quy-2-2025"


@pytest.mark.parametrize(
    ("kind", "year", "number", "code"),
    [
        ("quarter", 2025, 5, "quarter"),
        ("quarter", 2025, 0, "quarter"),
        ("quarter", 2025, "x", "quarter"),
        ("quarter", 2025, None, "quarter"),
        ("half", 2025, 3, "half"),
        ("quarter", 1800, 1, "year"),
        ("year", 2200, None, "year"),
        ("year", "năm", None, "year"),
        ("month", 2025, 1, "kind"),
    ],
)
def test_impossible_periods_are_refused(kind, year, number, code):
    with pytest.raises(PeriodError) as error:
        period_from_input(kind, year, number)
    assert error.value.code == code


def test_range_that_is_no_period_is_refused():
    with pytest.raises(PeriodError):
        Period.from_range(date(2025, 1, 1), date(2025, 2, 28))


def test_vietnamese_number_and_date_formats():
    assert format_number(54537) == "54.537"
    assert format_number(1234.5, 1) == "1.234,5"
    assert format_number(1000000) == "1.000.000"
    assert format_number(None) == "–"
    assert format_percent(12.345) == "12,3%"
    assert format_percent(-4.0, signed=True) == "−4,0%"
    assert format_percent(7, signed=True) == "+7,0%"
    assert format_percent(None) == "–"
    assert date_line("Lào Cai", date(2024, 12, 15)) == "Lào Cai, ngày 15 tháng 12 năm 2024"
    # Decree 30: days below 10 and months below 3 take a leading zero.
    assert date_line("Lào Cai", date(2025, 2, 5)) == "Lào Cai, ngày 05 tháng 02 năm 2025"
    assert date_line("Lào Cai", date(2025, 7, 5)) == "Lào Cai, ngày 05 tháng 7 năm 2025"
