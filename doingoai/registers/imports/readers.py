"""Read an XLSX or CSV table into rows keyed by header. No Django here: plain data in, out."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_ROWS = 20_000


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``code`` says why (mapped to a message upstream)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass
class Table:
    headers: list[str]
    # (row number as the user sees it in the file, {normalised header: raw value})
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def normalise_header(text: object) -> str:
    """Headers compare without case, accents' composition form or surrounding spaces."""
    value = unicodedata.normalize("NFC", str(text or "")).strip().lower()
    return re.sub(r"\s+", " ", value)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(raw_rows: list[list[object]]) -> Table:
    if not raw_rows:
        raise UnreadableFile("empty")
    headers = [normalise_header(cell) for cell in raw_rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile("empty")
    table = Table(headers=headers)
    for number, cells in enumerate(raw_rows[1:], start=2):
        if all(_is_blank(cell) for cell in cells):
            continue
        values = {
            header: cells[index] if index < len(cells) else None
            for index, header in enumerate(headers)
            if header
        }
        table.rows.append((number, values))
        if len(table.rows) > MAX_ROWS:
            raise UnreadableFile("too_many_rows", str(MAX_ROWS))
    return table


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("bad_xlsx", str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table(rows)


def read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile("bad_encoding", str(error)) from error
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows = [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return _table(rows)


def read_table(name: str, data: bytes) -> Table:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(data)
    if lowered.endswith(".csv"):
        return read_csv(data)
    raise UnreadableFile("bad_type")


# --- cell values ------------------------------------------------------------------------------


class CellError(Exception):
    """A cell cannot be turned into the value its column wants; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def cell_date(value: object) -> date | None:
    """A date cell: a real spreadsheet date, or text written day first (dd/mm/yyyy)."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("date")


_GROUPED = re.compile(r"^-?\d{1,3}([.,\s]\d{3})+$")


def cell_int(value: object) -> int | None:
    """A whole number; 1.624 and 1,624 are read as thousands (counts are never fractional)."""
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("int")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("int")
    text = cell_text(value).replace("\u00a0", " ")
    if _GROUPED.match(text):
        text = re.sub(r"[.,\s]", "", text)
    try:
        return int(text)
    except ValueError:
        raise CellError("int") from None


def cell_list(value: object) -> list[str]:
    """Several names in one cell, separated by semicolons or new lines."""
    return [part.strip() for part in re.split(r"[;\n]", cell_text(value)) if part.strip()]


def fold(text: str) -> str:
    """Compare labels without case or extra spaces (accents are kept: they carry meaning)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).strip().lower())
