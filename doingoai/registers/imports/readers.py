"""Read an XLSX or CSV table into rows keyed by header. No Django here: plain data in, out.

Files come as officers' machines write them:

- CSV from Excel with Vietnamese regional settings is separated by ";" (or by tabs, or by ","),
  has Windows line ends (CRLF), cells holding the separator in double quotes, and may start with
  a UTF-8 byte order mark. The separator is found by ``csv.Sniffer`` (limited to those three) and
  checked against the header row: when Sniffer fails, or picks a separator the header row does
  not use, the one used most often in the header row outside quotes is taken.
- Text is UTF-8 (with or without BOM). Anything else is tried as Windows-1258 (Vietnamese) and
  Windows-1252, and accepted only when exactly one of them turns the header row into more of the
  register's Vietnamese column names than the other (headers in plain ASCII prove nothing);
  otherwise the file is refused and the officer is told how to save it as UTF-8. Windows-1258
  writes tone marks as separate combining characters, so decoded text is normalised to NFC.
- XLSX is streamed (openpyxl read-only): reading stops as soon as a limit is passed, only the
  columns up to the last header are read, and parts openpyxl loads whole (shared strings,
  styles) are refused when they unpack to more than ``MAX_XLSX_PART_BYTES``. A file of a few
  hundred KB that unpacks to two million rows is refused in about a second, in little memory.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# Data rows (blank rows not counted) one file may hold.
MAX_ROWS = 20_000
# Rows of a sheet or lines of a CSV read in all, blank ones included: past this the file is
# refused without reading on (two million blank rows must not take minutes).
MAX_SHEET_ROWS = 5 * MAX_ROWS
# An XLSX part openpyxl reads whole (shared strings, styles, workbook) larger than this unpacked
# is refused; worksheets are streamed and bounded by the row limits instead.
MAX_XLSX_PART_BYTES = 100 * 1024 * 1024
# Columns the header row may have (the registers have a dozen): beyond, the file is refused
# rather than every row being read that wide.
MAX_COLUMNS = 64

CSV_DELIMITERS = ",;\t"
# Tried in this order when a CSV file is not UTF-8: Vietnamese, then Western European.
LEGACY_ENCODINGS = ("cp1258", "cp1252")
# csv.Sniffer's patterns can take time quadratic in the sample: keep it short.
_SNIFF_CHARS = 4096
_HEADER_CHARS = 64 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a table; ``code`` says why (mapped to a message upstream),
    ``limit`` is the limit passed when it is one."""

    def __init__(self, code: str, detail: str = "", limit: int | None = None):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail
        self.limit = limit


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


def _headers(cells: Sequence[object] | None) -> list[str]:
    headers = [normalise_header(cell) for cell in cells or ()]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile("empty")
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile("too_many_columns", str(MAX_COLUMNS), MAX_COLUMNS)
    return headers


def _table(headers: list[str], rows: Iterable[Sequence[object]]) -> Table:
    """Collect the data rows (the file's row 2 onwards), stopping as soon as a limit is passed."""
    table = Table(headers=headers)
    max_rows, max_sheet_rows = MAX_ROWS, MAX_SHEET_ROWS
    for number, cells in enumerate(rows, start=2):
        if number > max_sheet_rows:
            raise UnreadableFile("too_many_sheet_rows", str(max_sheet_rows), max_sheet_rows)
        if all(_is_blank(cell) for cell in cells):
            continue
        values = {
            header: cells[index] if index < len(cells) else None
            for index, header in enumerate(headers)
            if header
        }
        table.rows.append((number, values))
        if len(table.rows) > max_rows:
            raise UnreadableFile("too_many_rows", str(max_rows), max_rows)
    return table


# --- XLSX ---------------------------------------------------------------------------------------


def _open_workbook(data: bytes):
    """The workbook, read only, values not formulas, its sheets not scanned up front.

    openpyxl's read-only sheet looks for the sheet's size (<dimension>) when it is opened, and
    when the element is missing it parses the whole sheet, keeping every row element, before a
    single row is read: that is what made a 2-million-row file take minutes and most of a GB.
    The element can only come before <sheetData>, so our sheets stop looking there; the size is
    not used anyway (``_read_sheet`` resets it and reads up to the last header's column).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension_tag = f"{{{SHEET_MAIN_NS}}}dimension"
    data_tag = f"{{{SHEET_MAIN_NS}}}sheetData"

    class Sheet(ReadOnlyWorksheet):
        def _get_size(self):
            with self._get_source() as source:
                for event, element in iterparse(source, events=("start", "end")):
                    if element.tag == data_tag:
                        return
                    if event == "end" and element.tag == dimension_tag:
                        boundaries = SheetDimension.from_tree(element).boundaries
                        if boundaries is not None:
                            (self._min_column, self._min_row, self._max_column, self._max_row) = (
                                boundaries
                            )
                        return

    class Reader(ExcelReader):
        def read_worksheets(self):
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                worksheet = Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _check_parts(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile("bad_xlsx", str(error)) from error
    for part in parts:
        if "/worksheets/" in part.filename:
            continue
        if part.file_size > MAX_XLSX_PART_BYTES:
            limit = MAX_XLSX_PART_BYTES // (1024 * 1024)
            raise UnreadableFile("xlsx_too_large", part.filename, limit)


def read_xlsx(data: bytes) -> Table:
    _check_parts(data)
    try:
        workbook = _open_workbook(data)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("bad_xlsx", str(error)) from error
    try:
        if not workbook.worksheets:
            raise UnreadableFile("empty")
        return _read_sheet(workbook.worksheets[0])
    except UnreadableFile:
        raise
    except Exception as error:  # a damaged sheet shows itself only while it is read
        raise UnreadableFile("bad_xlsx", str(error)) from error
    finally:
        workbook.close()


def _read_sheet(sheet) -> Table:
    # The size a sheet declares may be wrong (too small: rows lost; 16,384 columns: every row
    # padded to that width): read what is there, up to the last header's column.
    sheet.reset_dimensions()
    first = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
    try:
        headers = _headers(next(first, None))
    finally:
        first.close()
    rows = sheet.iter_rows(min_row=2, max_col=len(headers), values_only=True)
    try:
        return _table(headers, rows)
    finally:
        rows.close()


# --- CSV ----------------------------------------------------------------------------------------


def _header_delimiters(text: str) -> dict[str, int]:
    """How often each separator occurs in the first row, outside double quotes."""
    counts = dict.fromkeys(CSV_DELIMITERS, 0)
    quoted = False
    for char in text[:_HEADER_CHARS]:
        if char == '"':
            quoted = not quoted  # a doubled quote inside a quoted cell toggles twice
        elif not quoted:
            if char in "\r\n":
                break
            if char in counts:
                counts[char] += 1
    return counts


def csv_delimiter(text: str) -> str:
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    counts = _header_delimiters(text)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter in counts and counts[delimiter] >= max(counts.values()):
        return delimiter
    # Sniffer failed (a quoted ";" in a row makes the rows' counts differ), or it chose a
    # separator the header row uses less than another one: the header row decides.
    best = max(CSV_DELIMITERS, key=lambda char: counts[char])
    return best if counts[best] else ","


def _csv_rows(text: str):
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=csv_delimiter(text),
        quotechar='"',
        doublequote=True,
        skipinitialspace=False,
        strict=False,
    )
    try:
        yield from reader
    except csv.Error as error:  # e.g. a cell longer than the csv module's field limit
        raise UnreadableFile("bad_csv", str(error)) from error


def _first_row(text: str) -> list[str]:
    rows = _csv_rows(text)
    try:
        return next(rows, [])
    except UnreadableFile:
        return []
    finally:
        rows.close()


def decode_csv(data: bytes, expected_headers: Collection[str] = ()) -> str:
    """The file's text: UTF-8, or a legacy encoding only when the headers make it certain."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        utf8_error = error
    else:
        return unicodedata.normalize("NFC", text).replace("\r\n", "\n")
    # Only headers with letters outside ASCII tell one code page from another.
    wanted = {normalise_header(h) for h in expected_headers} - {""}
    telling = {h for h in wanted if not h.isascii()}
    scores: dict[str, tuple[int, str]] = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            text = unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
        text = text.replace("\r\n", "\n")
        found = {normalise_header(cell) for cell in _first_row(text)}
        scores[encoding] = (len(found & telling), text)
    ranked = sorted(scores.values(), key=lambda score: score[0], reverse=True)
    if ranked and ranked[0][0] > 0 and (len(ranked) == 1 or ranked[1][0] < ranked[0][0]):
        return ranked[0][1]
    raise UnreadableFile("bad_encoding", str(utf8_error))


def read_csv(data: bytes, expected_headers: Collection[str] = ()) -> Table:
    text = decode_csv(data, expected_headers)
    rows = _csv_rows(text)
    try:
        headers = _headers(next(rows, None))
        return _table(headers, rows)
    finally:
        rows.close()


def read_table(name: str, data: bytes, expected_headers: Collection[str] = ()) -> Table:
    """``expected_headers``: the register's column names, used to tell a CSV file's encoding."""
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(data)
    if lowered.endswith(".csv"):
        return read_csv(data, expected_headers)
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
