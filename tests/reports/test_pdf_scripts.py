"""Chinese and Lao in the PDF report: set in the fonts shipped in reports/data, embedded, and
readable back; a character no shipped font has is logged, never dropped silently."""

from __future__ import annotations

import io
import itertools
import logging
import re
import unicodedata
from datetime import date

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from doingoai.reports.exports import report_document, report_export
from doingoai.reports.exports.pdf_fonts import layout
from doingoai.reports.indicators import BreakdownRow
from doingoai.reports.periods import Period
from doingoai.reports.selectors import report_figures
from doingoai.reports.services import notable_event_add, report_create, report_update

pytestmark = pytest.mark.django_db

TODAY = date(2025, 11, 15)

DELEGATION = "Đoàn đại biểu Châu Hồng Hà (红河州), tỉnh Vân Nam thăm và làm việc tại Lào Cai."
CHINESE = "老街省与云南省红河州举行边境合作会谈，双方就口岸建设、旅游合作和媒体交流达成共识。"
LAO = "ຄະນະຜູ້ແທນແຂວງຫຼວງພະບາງ (ສປປ ລາວ) ເຂົ້າຢ້ຽມຢາມ ແລະ ເຮັດວຽກຢູ່ແຂວງລາວກາຍ, ບໍ່ແມ່ນຄຳເວົ້າ ເຊື່ອມຕໍ່ການຮ່ວມມື."
#: Latin words in a shaped (Lao) paragraph: no ﬁ or ﬆ ligature slips in.
LAO_AND_LATIN = "ຫຼວງພະບາງ: official first staff visit"
#: ຳ under a tone mark: HarfBuzz draws ໍ + tone + າ, and the text reads back in that order.
LAO_AM = ("ນ້ຳ", "ນໍ້າ")


def build_pdf(office, events, *, row_labels=()):
    user = office.users["province"]
    report = report_create(user=user, period=Period.quarter(2025, 2), unit=None)
    report_update(
        user=user,
        report=report,
        number="12",
        symbol="BC-STTTT",
        place="Lào Cai",
        issued_on=date(2025, 7, 5),
        signer_title="Phó Giám đốc",
        signer_name="Nguyễn Văn An",
    )
    for text in events:
        notable_event_add(user=user, report=report, text=text)
    document = report_document(
        report, figures=report_figures(period=report.period, unit=None, today=TODAY), charts=False
    )
    for label in row_labels:  # a table cell in each script
        document.figures.breakdowns[0].rows.append(BreakdownRow(label=label, value=3, previous=1))
    return report_export(report, "pdf", document=document).content


def fonts_of(reader: PdfReader) -> dict[str, dict]:
    """Family → font dictionary of every embedded (subset) font, over every page."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if "+" in name:  # reportlab also lists its unused default, Helvetica
                fonts.setdefault(name.split("+", 1)[1], []).append(font)
    return fonts


def to_unicode(font) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode()
    data = data.split("beginbfchar", 1)[1]
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]*)>", data)
    }


def drawn_characters(font) -> set[str]:
    """The characters whose glyphs the embedded font program has outlines for."""
    program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    embedded = TTFont(io.BytesIO(program))
    glyf = embedded["glyf"]
    # reportlab's subset: one byte code per glyph, in a (1, 0) cmap (code 0: .notdef).
    cmap = embedded["cmap"].tables[0].cmap
    drawn = set()
    for code, text in to_unicode(font).items():
        if code in cmap and glyf[cmap[code]].numberOfContours != 0:  # composite or contours
            drawn.update(text)
    return drawn


def flat(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def pdf(office):
    return build_pdf(
        office,
        [DELEGATION, CHINESE, LAO, LAO_AM[0], LAO_AND_LATIN],
        row_labels=["红河州", "ຫຼວງພະບາງ"],
    )


def test_chinese_and_lao_are_drawn_with_the_embedded_noto_fonts(pdf):
    by_family = {}
    for family, fonts in fonts_of(PdfReader(io.BytesIO(pdf))).items():
        for font in fonts:
            assert "/FontFile2" in font["/FontDescriptor"], f"{family} is not embedded"
            by_family.setdefault(family, set()).update(drawn_characters(font))

    han = {c for c in DELEGATION + CHINESE if "\u4e00" <= c <= "\u9fff"}
    lao = {c for c in LAO if "\u0e80" <= c <= "\u0eff"} - {"\u0eb3"}  # ຳ: ໍ + າ once shaped
    assert han <= by_family["NotoSerifSC-Regular"]
    assert lao <= by_family["NotoSerifLao-Regular"]
    assert "，" in by_family["NotoSerifSC-Regular"]  # CJK punctuation too
    # DejaVu keeps Vietnamese and has neither script.
    dejavu = by_family["DejaVuSerif"]
    assert "ệ" in dejavu and not (han | lao) & dejavu


def test_the_text_extracts_back_as_typed(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    text = flat("".join(page.extract_text() for page in reader.pages))
    for snippet in (DELEGATION, CHINESE, LAO, "红河州", "ຫຼວງພະບາງ", LAO_AM[1], LAO_AND_LATIN):
        assert flat(snippet) in text, snippet
    assert not [c for c in text if "\ue000" <= c <= "\uf8ff"]  # no private-use stand-ins


def test_a_vietnamese_report_embeds_no_extra_font(office):
    pdf = build_pdf(office, ["Khai trương cụm thông tin đối ngoại Kim Thành."])
    families = fonts_of(PdfReader(io.BytesIO(pdf)))
    assert families and all(family.startswith("DejaVuSerif") for family in families)


def test_a_character_no_font_has_is_logged_not_dropped(office, caplog):
    rare = "\U00020000"  # CJK extension B: not in the shipped subset
    with caplog.at_level(logging.WARNING, logger="doingoai.reports.exports.pdf_fonts"):
        pdf = build_pdf(office, [f"Tên riêng {rare}红河"])
    assert "U+20000" in caplog.text
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "红河" in text


def test_runs_switch_font_per_script():
    from doingoai.reports.exports.pdf import register_fonts

    register_fonts()
    result = layout("Đoàn 红河州 & ຫຼວງພະບາງ", "DejaVuSerif")
    assert result.markup() == (
        'Đoàn <font name="NotoSerifSC">红河州</font> &amp; '
        '<font name="NotoSerifLao">ຫຼວງພະບາງ</font>'
    )
    assert result.shape and not result.wrap_cjk and not result.missing

    bold = layout("(ຫຼວງພະບາງ), 2025", "DejaVuSerif-Bold")
    # The whole word, brackets and comma included, in one font so that it can be shaped.
    assert bold.markup() == '<font name="NotoSerifLao-Bold">(ຫຼວງພະບາງ),</font> 2025'

    chinese = layout(CHINESE, "DejaVuSerif")
    assert chinese.wrap_cjk and chinese.markup().startswith('<font name="NotoSerifSC">')
    assert layout("Lào Cai", "DejaVuSerif").markup() == "Lào Cai"


def test_lao_syllables():
    from doingoai.reports.exports.pdf_fonts import syllable_starts

    def cut(text):
        starts = [0, *syllable_starts(text), len(text)]
        return "|".join(text[a:b] for a, b in itertools.pairwise(starts))

    assert cut("ຫຼວງພະບາງ") == "ຫຼວງ|ພະ|ບາງ"
    assert cut("ເຊື່ອມຕໍ່ການຮ່ວມມື") == "ເຊື່ອມ|ຕໍ່|ການ|ຮ່ວມ|ມື"
    assert cut("ແຂວງລາວກາຍ") == "ແຂວງ|ລາວ|ກາຍ"


def test_a_long_lao_word_wraps_between_syllables_inside_a_narrow_cell():
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate, Table

    from doingoai.reports.exports.pdf import _p, _styles

    word = "ຄະນະກຳມະການປະຊາຊົນແຂວງລາວກາຍເຊື່ອມຕໍ່ການຮ່ວມມືບໍ່ພຽງແຕ່"
    width = 4.8 * cm
    cell = _p(word, _styles()["cell"])
    cell.wrap(width - 6, 1000)  # the table's padding
    lines = cell.blPara.lines
    assert len(lines) >= 2
    assert all(line.extraSpace >= 0 for line in lines)  # nothing runs past the cell
    assert {f.fontName for line in lines for f in line.words if f.text} == {"NotoSerifLao"}

    out = io.BytesIO()
    SimpleDocTemplate(out).build([Table([[_p(word, _styles()["cell"])]], colWidths=[width])])
    text = PdfReader(io.BytesIO(out.getvalue())).pages[0].extract_text()
    # Every piece reads back (reportlab's own cut of a shaped word loses the raised marks).
    assert flat(text) == flat(word)


def test_the_shipped_pdf_fonts_cover_gb2312_and_the_demo_content():
    from pathlib import Path

    from doingoai.reports.exports.pdf_fonts import DATA, SCRIPT_FONTS

    han = set(TTFont(DATA / SCRIPT_FONTS["NotoSerifSC"]).getBestCmap())
    gb2312 = set()
    for row in range(16, 88):
        for cell in range(1, 95):
            try:
                gb2312.add(ord(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 6763
    assert len(gb2312 - han) == 33  # rare ones missing from every slice of the font (README)

    demo = Path(__file__).resolve().parents[2] / "doingoai" / "demo"
    text = "".join(p.read_text(encoding="utf-8") for p in demo.rglob("*.json"))
    assert {ord(c) for c in text if "\u4e00" <= c <= "\u9fff"} <= han
    for name in ("NotoSerifLao", "NotoSerifLao-Bold"):
        lao = set(TTFont(DATA / SCRIPT_FONTS[name]).getBestCmap())
        assert {ord(c) for c in text if "\u0e80" <= c <= "\u0eff"} <= lao
