#!/usr/bin/env python
"""An XLSX "bomb" against the register import reader (issue #14).

Builds an XLSX of a few hundred KB whose one sheet unpacks to 2,000,000 rows (the header row of
the outgoing-delegations register, then one tiny number cell per row, no <dimension> element,
as some exporters write it), then reads it with

- ``old``: the reader as it was before issue #14 (openpyxl ``load_workbook(read_only=True)``,
  every row gathered into a list, the row limit checked afterwards); skip it with ``--skip-old``
  (on a shared machine it takes a minute or more and about a GB);
- ``new``: ``doingoai.registers.imports.readers.read_xlsx`` (stops as soon as the limit is passed).

Each reader runs in its own child process, so that one's memory does not hide the other's; the
figures are wall-clock seconds and the child's peak resident memory (ru_maxrss) above what it
used before reading (Python, openpyxl and the file's bytes already loaded).

    .venv/bin/python bench/import_xlsx_bomb.py [--rows 2000000] [--skip-old]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = ["STT", "Đơn vị", "Nước đến", "Địa điểm", "Mục đích", "Trưởng đoàn", "Ngày đi"]

_PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def bomb(rows: int, headers=HEADERS) -> bytes:
    """An XLSX whose sheet has ``headers`` then ``rows`` rows of one number each.

    Rows and cells carry no ``r`` attribute (it is optional: they follow one another), so the
    sheet XML is one short row repeated and deflates about a thousand times.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PACKAGE.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData><row>"
            )
            for header in headers:
                sheet.write(f'<c t="inlineStr"><is><t>{header}</t></is></c>'.encode())
            sheet.write(b"</row>")
            block = b"<row><c><v>1</v></c></row>" * 10_000
            whole, rest = divmod(rows, 10_000)
            for _ in range(whole):
                sheet.write(block)
            sheet.write(b"<row><c><v>1</v></c></row>" * rest)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def read_old(data: bytes) -> str:
    """The reader before issue #14 (doingoai/registers/imports/readers.py at 84bbd0e)."""
    from openpyxl import load_workbook

    from doingoai.registers.imports import readers

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    data_rows = sum(1 for row in rows[1:] if any(cell is not None for cell in row))
    if data_rows > readers.MAX_ROWS:
        return f"refused: too_many_rows ({len(rows):,} rows read first)"
    return f"read {data_rows} rows"


def read_new(data: bytes) -> str:
    from doingoai.registers.imports import readers

    try:
        table = readers.read_xlsx(data)
    except readers.UnreadableFile as error:
        return f"refused: {error.code} (limit {error.limit})"
    return f"read {len(table.rows)} rows"


def child(which: str, path: str) -> None:
    import openpyxl  # noqa: F401  (loaded before the baseline, as in a running server)

    import doingoai.registers.imports.readers  # noqa: F401

    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = (read_old if which == "old" else read_new)(data)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({"outcome": outcome, "seconds": seconds, "peak_kb": peak}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--skip-old", action="store_true", help="do not run the old reader")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    start = time.perf_counter()
    data = bomb(args.rows)
    built = time.perf_counter() - start
    print(f"XLSX: {args.rows:,} rows + header, {len(data) / 1024:,.0f} KB ({built:.1f} s to build)")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(data)
        file.flush()
        for which in ("old", "new"):
            if which == "old" and args.skip_old:
                print("old: skipped (--skip-old)")
                continue
            done = subprocess.run(
                [sys.executable, __file__, "--child", which, file.name],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            megabytes = result["peak_kb"] / 1024
            print(
                f"{which}: {result['seconds']:.2f} s, peak memory +{megabytes:,.0f} MB"
                f" — {result['outcome']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
