"""The report as PDF (reportlab), with the same content and header as the DOCX.

Times New Roman is not free to ship, so the PDF uses DejaVu Serif — a Unicode serif with every
Vietnamese glyph — from matplotlib's own font directory (matplotlib is already a dependency).
Chinese and Lao runs are set in the Noto Serif fonts shipped in ``reports/data`` (see
``pdf_fonts``): every paragraph and table cell goes through ``_p``.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..formatting import format_number, format_percent
from .document import ReportDocument
from .pdf_fonts import ReportFont, paragraph

FAMILY = "DejaVuSerif"
CONTENT_TYPE = "application/pdf"
BODY = 12
SMALL = 8.5


@cache
def register_fonts() -> str:
    """Register DejaVu Serif (regular, bold, italic, bold italic) once; returns the family."""
    directory = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    faces = {
        FAMILY: "DejaVuSerif.ttf",
        f"{FAMILY}-Bold": "DejaVuSerif-Bold.ttf",
        f"{FAMILY}-Italic": "DejaVuSerif-Italic.ttf",
        f"{FAMILY}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    }
    for name, file_name in faces.items():
        # No GSUB when a Lao paragraph is shaped: its Latin words get no ﬁ/ﬆ ligatures.
        pdfmetrics.registerFont(ReportFont(name, str(directory / file_name), substitutions=False))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=FAMILY,
        bold=f"{FAMILY}-Bold",
        italic=f"{FAMILY}-Italic",
        boldItalic=f"{FAMILY}-BoldItalic",
    )
    return FAMILY


@cache  # the same styles for every report (pdf_fonts caches a variant or two of each)
def _styles() -> dict[str, ParagraphStyle]:
    family = register_fonts()
    base = ParagraphStyle("base", fontName=family, fontSize=BODY, leading=BODY * 1.3)

    def style(name, **kwargs):
        return ParagraphStyle(name, parent=base, **kwargs)

    return {
        "header": style("header", fontSize=11, leading=14, alignment=TA_CENTER),
        "header_bold": style(
            "header_bold", fontName=f"{family}-Bold", fontSize=11, leading=14, alignment=TA_CENTER
        ),
        "national": style(
            "national", fontName=f"{family}-Bold", fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        "motto": style(
            "motto", fontName=f"{family}-Bold", fontSize=11.5, leading=14, alignment=TA_CENTER
        ),
        "date": style(
            "date", fontName=f"{family}-Italic", fontSize=11.5, leading=14, alignment=TA_CENTER
        ),
        "title": style(
            "title", fontName=f"{family}-Bold", fontSize=13, leading=17, alignment=TA_CENTER
        ),
        "heading": style(
            "heading", fontName=f"{family}-Bold", spaceBefore=8, spaceAfter=4, alignment=TA_LEFT
        ),
        "body": style("body", alignment=TA_JUSTIFY, firstLineIndent=1 * cm, spaceAfter=4),
        "note": style("note", fontName=f"{family}-Italic", fontSize=10, leading=13, spaceAfter=4),
        "cell": style("cell", fontSize=SMALL, leading=SMALL * 1.25),
        "cell_bold": style("cell_bold", fontName=f"{family}-Bold", fontSize=SMALL, leading=11),
        "cell_sub": style("cell_sub", fontName=f"{family}-Italic", fontSize=SMALL, leading=11),
        "cell_num": style("cell_num", fontSize=SMALL, leading=11, alignment=TA_RIGHT),
        "cell_head": style(
            "cell_head", fontName=f"{family}-Bold", fontSize=SMALL, leading=11, alignment=TA_CENTER
        ),
        "recipients_head": style(
            "recipients_head", fontName=f"{family}-BoldItalic", fontSize=10.5, leading=13
        ),
        "recipients": style("recipients", fontSize=9.5, leading=12),
        "signer": style(
            "signer", fontName=f"{family}-Bold", fontSize=12, leading=15, alignment=TA_CENTER
        ),
    }


def _p(text: str, style) -> Paragraph:
    """A paragraph or table cell; Chinese and Lao runs in their own fonts."""
    return paragraph(text, style)


GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _header(doc: ReportDocument, s) -> list:
    left = []
    if doc.superior_body:
        left.append(_p(doc.superior_body, s["header"]))
    left += [
        _p(doc.issuing_body, s["header_bold"]),
        HRFlowable(width="35%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=4),
        _p(doc.reference, s["header"]),
    ]
    right = [
        _p(doc.national_name, s["national"]),
        _p(doc.motto, s["motto"]),
        HRFlowable(width="62%", thickness=0.6, color=colors.black, spaceBefore=3, spaceAfter=4),
        _p(doc.date_line, s["date"]),
    ]
    table = Table([[left, right]], colWidths=[6.8 * cm, 9.7 * cm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")])
    )
    return [
        table,
        Spacer(1, 0.6 * cm),
        _p(doc.document_type, s["title"]),
        _p(doc.subject, s["title"]),
        HRFlowable(width="25%", thickness=0.6, color=colors.black, spaceBefore=5, spaceAfter=10),
    ]


def _figures_table(doc: ReportDocument, s) -> Table:
    data = [[_p(text, s["cell_head"]) for text in doc.table_header]]
    spans = []
    for number, cells, level in doc.table_rows():
        if level < 0:
            row = [_p(number, s["cell_bold"]), _p(cells[0], s["cell_bold"])]
            row += [""] * (len(doc.table_header) - 2)
            spans.append(("SPAN", (1, len(data)), (-1, len(data))))
        else:
            label_style = s["cell_sub"] if level else s["cell"]
            row = [_p(number, s["cell"]), _p(cells[0], label_style)]
            row += [_p(text, s["cell_num"]) for text in cells[1:]]
        data.append(row)
    widths = [1.0, 4.8, 1.7, 1.7, 1.5] + ([1.7] if doc.figures.shows_year_to_date else [])
    widths += [1.6, 1.5]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle(spans))
    return table


def _breakdown_table(doc: ReportDocument, breakdown, s) -> list:
    words = doc.words
    data = [
        [
            _p(words["indicator"], s["cell_head"]),
            _p(doc.figures.period.label, s["cell_head"]),
            _p(doc.figures.previous_period.label, s["cell_head"]),
            _p(words["change"], s["cell_head"]),
        ]
    ]
    for row in breakdown.rows:
        data.append(
            [
                _p(row.label, s["cell"]),
                _p(format_number(row.value), s["cell_num"]),
                _p(format_number(row.previous), s["cell_num"]),
                _p(format_percent(row.change_percent, signed=True), s["cell_num"]),
            ]
        )
    data.append(
        [
            _p(words["total"], s["cell_bold"]),
            _p(format_number(breakdown.total), s["cell_num"]),
            _p(format_number(sum(r.previous for r in breakdown.rows)), s["cell_num"]),
            "",
        ]
    )
    table = Table(data, colWidths=[7 * cm, 3 * cm, 3 * cm, 2.5 * cm], repeatRows=1)
    table.setStyle(GRID)
    return [KeepTogether([_p(breakdown.title, s["note"]), table]), Spacer(1, 0.3 * cm)]


def _signature(doc: ReportDocument, s) -> Table:
    recipients = [*doc.recipients, doc.words["archive"]]
    left = [_p(doc.words["recipients"], s["recipients_head"])]
    for index, line in enumerate(recipients):
        text = line if line.startswith(("-", "–")) else f"- {line}"
        if index < len(recipients) - 1 and not text.endswith((";", ".")):
            text += ";"
        left.append(_p(text, s["recipients"]))
    right = [_p(line, s["signer"]) for line in (doc.signer_authority, doc.signer_title) if line]
    right.append(Spacer(1, 2.2 * cm))
    if doc.signer_name:
        right.append(_p(doc.signer_name, s["signer"]))
    table = Table([[left, right]], colWidths=[8 * cm, 8.5 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _page_number(canvas, document):
    canvas.saveState()
    canvas.setFont(FAMILY, 11)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, str(document.page))
    canvas.restoreState()


def report_pdf(doc: ReportDocument) -> bytes:
    s = _styles()
    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
        leftMargin=3 * cm,
        rightMargin=1.5 * cm,
        title=f"{doc.document_type} {doc.subject}",
        author=doc.issuing_body,
        lang="vi-VN",
    )
    story: list = _header(doc, s)
    for block in doc.introduction.split("\n"):
        if block.strip():
            story.append(_p(block.strip(), s["body"]))
    story.append(_p(f"I. {doc.words['figures_heading']}", s["heading"]))
    story += [_p(line, s["body"]) for line in doc.summary_paragraphs()]
    if not doc.figures.includes_portal:
        story.append(_p(doc.words["no_portal"], s["note"]))
    story += [_p(doc.words["as_of"], s["note"]), _figures_table(doc, s)]

    story.append(_p(f"II. {doc.words['breakdowns_heading']}", s["heading"]))
    for breakdown in doc.figures.breakdowns:
        story += _breakdown_table(doc, breakdown, s)

    next_heading = "III"
    if doc.charts:
        heading = _p(f"III. {doc.words['charts_heading']}", s["heading"])
        for index, png in enumerate(doc.charts.values()):
            image = Image(io.BytesIO(png))
            ratio = image.imageHeight / image.imageWidth
            image.drawWidth, image.drawHeight = 14 * cm, 14 * cm * ratio
            block = [image, Spacer(1, 0.3 * cm)]
            story.append(KeepTogether([heading, *block] if index == 0 else block))
        next_heading = "IV"

    story.append(_p(f"{next_heading}. {doc.words['events_count'].upper()}", s["heading"]))
    events = [
        _p(f"{index}. {text}", s["body"]) for index, text in enumerate(doc.notable_events, start=1)
    ] or [_p(doc.words["no_events"], s["note"])]
    # The signature block never stands alone on the last page.
    story += [*events[:-1], KeepTogether([events[-1], Spacer(1, 0.5 * cm), _signature(doc, s)])]
    template.build(story, onLaterPages=_page_number)
    return out.getvalue()
