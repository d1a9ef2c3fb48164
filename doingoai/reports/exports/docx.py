"""The report as a Word document in the administrative layout of Decree 30/2020/NĐ-CP.

A4 portrait; margins top 2 cm, bottom 2 cm, left 3 cm, right 1.5 cm; Times New Roman; the
header as a two-column table without borders (issuing body and number on the left; national
name, motto and the place and date line on the right); "BÁO CÁO" and the subject centred in
bold; body and tables; "Nơi nhận" bottom left and the signer bottom right; page numbers at the
top centre from the second page.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..formatting import format_number, format_percent
from .document import ReportDocument

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
TABLE_PT = 11
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _font(run, *, size=None, bold=None, italic=None):
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def _paragraph(
    container,
    text="",
    *,
    size=BODY_PT,
    bold=False,
    italic=False,
    align=None,
    first_line=None,
    space_after: float = 6,
    space_before: float = 0,
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(space_before)
    if first_line is not None:
        fmt.first_line_indent = first_line
    if text:
        _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _first_paragraph(cell, text="", **kwargs):
    """A cell starts with an empty paragraph: use it for the first line."""
    paragraph = cell.paragraphs[0]
    if kwargs.get("align") is not None:
        paragraph.alignment = kwargs["align"]
    paragraph.paragraph_format.space_after = Pt(kwargs.get("space_after", 0))
    if text:
        _font(
            paragraph.add_run(text),
            size=kwargs.get("size", HEADER_PT),
            bold=kwargs.get("bold", False),
            italic=kwargs.get("italic", False),
        )
    return paragraph


def _rule(container, *, indent_cm: float):
    """A short centred horizontal line (the strokes under the issuing body and the motto)."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(indent_cm)
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(0)
    fmt.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _cell_text(cell, text, *, bold=False, align=None, size=TABLE_PT, italic=False):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _set_widths(table, widths_cm):
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _page_number_header(section):
    """Page numbers at the top centre, not on the first page (Decree 30)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(2)
    section.bottom_margin = Cm(2)
    section.left_margin = Cm(3)
    section.right_margin = Cm(1.5)
    section.header_distance = Cm(1)
    _page_number_header(section)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _header(document, doc: ReportDocument):
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, [6.5, 10])
    left, right = table.cell(0, 0), table.cell(0, 1)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if doc.superior_body:
        _first_paragraph(left, doc.superior_body, align=center, size=HEADER_PT)
        paragraph = _paragraph(left, doc.issuing_body, size=HEADER_PT, bold=True, align=center)
    else:
        paragraph = _first_paragraph(
            left, doc.issuing_body, align=center, size=HEADER_PT, bold=True
        )
    paragraph.paragraph_format.space_after = Pt(0)
    _rule(left, indent_cm=2.2)
    _first_paragraph(right, doc.national_name, align=center, size=HEADER_PT - 1, bold=True)
    _paragraph(right, doc.motto, size=HEADER_PT + 1, bold=True, align=center, space_after=0)
    _rule(right, indent_cm=2.4)
    number, place = table.cell(1, 0), table.cell(1, 1)
    _first_paragraph(number, doc.reference, align=center, size=HEADER_PT, space_after=6)
    _first_paragraph(place, doc.date_line, align=center, size=HEADER_PT + 1, italic=True)
    _paragraph(document, space_after=6)


def _title(document, doc: ReportDocument):
    center = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, doc.document_type, bold=True, align=center, space_after=0)
    _paragraph(document, doc.subject, bold=True, align=center, space_after=0)
    _rule(document, indent_cm=6.5)
    _paragraph(document, space_after=6)


def _heading(document, text):
    return _paragraph(document, text, bold=True, space_before=6)


def _body(document, text, **kwargs):
    return _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=Cm(1), **kwargs)


def _figures_table(document, doc: ReportDocument):
    header = doc.table_header
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, align=center)
    _repeat_header(table.rows[0])
    for number, cells, level in doc.table_rows():
        row = table.add_row()
        _cell_text(row.cells[0], number, bold=level < 0, align=center)
        if level < 0:  # a group: its title across the row
            merged = row.cells[1].merge(row.cells[-1])
            _cell_text(merged, cells[0], bold=True)
            continue
        _cell_text(row.cells[1], cells[0], italic=level > 0)
        for cell, text in zip(row.cells[2:], cells[1:], strict=True):
            _cell_text(cell, text, align=right)
    widths = [1.0, 5.6, 1.9, 1.9, 1.6] + ([1.9] if doc.figures.shows_year_to_date else [])
    _set_widths(table, [*widths, 1.8, 1.6])


def _breakdown_table(document, doc: ReportDocument, breakdown):
    _paragraph(document, breakdown.title, size=BODY_PT - 1, italic=True, space_before=6)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    words = doc.words
    header = [
        words["indicator"],
        doc.figures.period.label,
        doc.figures.previous_period.label,
        words["change"],
    ]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for item in breakdown.rows:
        cells = table.add_row().cells
        _cell_text(cells[0], item.label)
        _cell_text(cells[1], format_number(item.value), align=WD_ALIGN_PARAGRAPH.RIGHT)
        _cell_text(cells[2], format_number(item.previous), align=WD_ALIGN_PARAGRAPH.RIGHT)
        _cell_text(
            cells[3],
            format_percent(item.change_percent, signed=True),
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )
    cells = table.add_row().cells
    _cell_text(cells[0], words["total"], bold=True)
    _cell_text(cells[1], format_number(breakdown.total), bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _cell_text(
        cells[2],
        format_number(sum(r.previous for r in breakdown.rows)),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _set_widths(table, [7.5, 3, 3, 2.5])


def _signature(document, doc: ReportDocument):
    _paragraph(document, space_after=6)
    table = document.add_table(rows=1, cols=2)
    _set_widths(table, [8, 8.5])
    left, right = table.cell(0, 0), table.cell(0, 1)
    first = _first_paragraph(left, doc.words["recipients"], size=12, bold=True, italic=True)
    first.paragraph_format.space_after = Pt(0)
    recipients = [*doc.recipients, doc.words["archive"]]
    for index, line in enumerate(recipients):
        text = line if line.startswith(("-", "–")) else f"- {line}"
        if index < len(recipients) - 1 and not text.endswith((";", ".")):
            text += ";"
        _paragraph(left, text, size=11, space_after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    lines = [line for line in (doc.signer_authority, doc.signer_title) if line]
    if lines:
        _first_paragraph(right, lines[0], align=center, size=BODY_PT, bold=True)
        for line in lines[1:]:
            _paragraph(right, line, size=BODY_PT, bold=True, align=center, space_after=0)
    for _blank in range(4):  # room for the signature and the seal
        _paragraph(right, space_after=0)
    if doc.signer_name:
        _paragraph(right, doc.signer_name, size=BODY_PT, bold=True, align=center)


def report_docx(doc: ReportDocument) -> bytes:
    document = Document()
    _page_setup(document)
    _header(document, doc)
    _title(document, doc)
    if doc.introduction:
        for block in doc.introduction.split("\n"):
            if block.strip():
                _body(document, block.strip())

    _heading(document, f"I. {doc.words['figures_heading']}")
    for line in doc.summary_paragraphs():
        _body(document, line)
    if not doc.figures.includes_portal:
        _body(document, doc.words["no_portal"], italic=True)
    _paragraph(document, doc.words["as_of"], size=12, italic=True)
    _figures_table(document, doc)

    _heading(document, f"II. {doc.words['breakdowns_heading']}")
    for breakdown in doc.figures.breakdowns:
        _breakdown_table(document, doc, breakdown)

    next_heading = "III"
    if doc.charts:
        _heading(document, f"III. {doc.words['charts_heading']}")
        for png in doc.charts.values():
            picture = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER)
            picture.add_run().add_picture(io.BytesIO(png), width=Cm(15.5))
        next_heading = "IV"

    _heading(document, f"{next_heading}. {doc.words['events_count'].upper()}")
    if doc.notable_events:
        for index, text in enumerate(doc.notable_events, start=1):
            _body(document, f"{index}. {text}")
    else:
        _body(document, doc.words["no_events"], italic=True)

    _signature(document, doc)
    document.core_properties.title = f"{doc.document_type} {doc.subject}"
    document.core_properties.language = "vi-VN"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
