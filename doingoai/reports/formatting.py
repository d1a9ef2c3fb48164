"""Vietnamese number and date formats for the report files: 1.234,5 and dd/mm/yyyy.

Plain Python, so the DOCX, XLSX, PDF and charts format alike whatever the request language.
"""

from __future__ import annotations

from datetime import date

DASH = "–"


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """1234 → "1.234", 1234.5 (1 decimal) → "1.234,5", None → "–"."""
    if value is None:
        return DASH
    text = f"{value:,.{decimals}f}"  # 1,234.5
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value: float | None, decimals: int = 1, *, signed: bool = False) -> str:
    """12.345 → "12,3%"; signed: "+12,3%" / "−4,0%"; None → "–"."""
    if value is None:
        return DASH
    text = format_number(abs(value) if signed else value, decimals) + "%"
    if signed:
        if round(value, decimals) > 0:
            return "+" + text
        if round(value, decimals) < 0:
            return "−" + text
    return text


def format_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def date_line(place: str, day: date) -> str:
    """The place and date line of Decree 30: "Lào Cai, ngày 05 tháng 03 năm 2025".

    Days below 10 and months below 3 are written with a leading zero (Decree 30, Appendix I).
    """
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"
