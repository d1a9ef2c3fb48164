"""The golden test: two years of records written by the test → every figure of the report
equals the sum the test computes itself over what it created (tests/reports/expected.py);
then the DOCX, XLSX and PDF are read back and must show the same figures and the layout of
Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from doingoai.reports.exports import report_document, report_export
from doingoai.reports.periods import Period
from doingoai.reports.selectors import report_figures
from doingoai.reports.services import notable_event_add, report_create, report_update

from .expected import (
    H1_2024,
    H1_2025,
    H2_2024,
    Q1_2025,
    Q2_2024,
    Q2_2025,
    YEAR_2024,
    YEAR_2025,
    expected_items_by,
    expected_media_by,
    expected_targets,
    expected_values,
    vn,
)

pytestmark = pytest.mark.django_db

TODAY = date(2025, 11, 15)

#: Report row → the indicator of registers.indicators.Indicator its plan target is set for.
TARGET_OF = {
    "press_briefings": "press_briefings",
    "press_meetings": "press_conferences",
    "press_releases": "press_releases",
    "outgoing_delegations": "outgoing_delegations",
    "outgoing_officials": "outgoing_officials",
    "incoming_delegations": "incoming_delegations",
    "foreign_visitors": "foreign_visitors",
    "agreements_signed": "agreements_signed",
    "border_letters": "border_letters",
    "joint_patrols": "joint_patrols",
    "periodic_talks": "periodic_talks",
    "outreach_sessions": "outreach_sessions",
    "outreach_officers": "outreach_officers",
    "outreach_residents": "outreach_residents",
    "media_products": "media_products",
    "photos": "photos",
    "videos": "videos",
    "ethnic_language_products": "ethnic_language_products",
    "events_attended": "events_attended",
    "items_published": "items_published",
    "foreign_language_items": "foreign_language_items",
}

CASES = {
    # period, its range, the previous period, the same period last year, Jan 1 → end
    "quarter": (Period.quarter(2025, 2), Q2_2025, Q1_2025, Q2_2024, H1_2025),
    "half": (Period.half(2025, 1), H1_2025, H2_2024, H1_2024, H1_2025),
    "year": (Period.whole_year(2025), YEAR_2025, YEAR_2024, YEAR_2024, YEAR_2025),
}


@pytest.mark.parametrize(
    ("case", "unit"),
    [
        ("quarter", None),
        ("quarter", "a"),
        ("half", "b"),
        ("year", None),
        ("year", "province"),
    ],
)
def test_every_figure_equals_the_sum_of_the_records(sample, case, unit):
    period, this_range, previous_range, last_year_range, ytd_range = CASES[case]
    ledger = sample.ledger
    unit_obj = sample.office.units[unit] if unit else None
    figures = report_figures(period=period, unit=unit_obj, today=TODAY)

    this = expected_values(ledger, *this_range, unit, TODAY)
    previous = expected_values(ledger, *previous_range, unit, TODAY)
    last_year = expected_values(ledger, *last_year_range, unit, TODAY)
    year_to_date = expected_values(ledger, *ytd_range, unit, TODAY)
    targets = expected_targets(ledger, unit)

    got = {figure.code: figure for figure in figures.figures()}
    assert set(got) == set(this)
    for code, value in this.items():
        figure = got[code]
        assert figure.value == value, code
        assert figure.previous == previous[code], code
        assert figure.last_year == last_year[code], code
        assert figure.year_to_date == year_to_date[code], code
        target = targets.get(TARGET_OF[code]) if code in TARGET_OF else None
        assert figure.target == target, code
        if target:
            assert figure.target_percent == pytest.approx(year_to_date[code] * 100 / target)
        if previous[code]:
            assert figure.change_percent == pytest.approx(
                (value - previous[code]) * 100 / previous[code]
            )
        else:
            assert figure.change_percent is None
    # The sample is rich enough to exercise every rule: nothing trivially zero.
    assert all(this[code] > 0 for code in ("press_questions_overdue", "press_questions_answered"))
    assert this["press_questions_answered"] < this["press_questions_raised"]


def test_breakdowns_and_quarter_series_match_the_records(sample):
    ledger = sample.ledger
    figures = report_figures(period=Period.quarter(2025, 2), unit=None, today=TODAY)

    languages = {"vi": "Tiếng Việt", "en": "Tiếng Anh", "zh-hans": "Tiếng Trung", "lo": "Tiếng Lào"}
    by_language = {row.label: row.value for row in figures.breakdown("items_by_language").rows}
    expected = expected_items_by(ledger, *Q2_2025, "language")
    assert by_language == {languages[code]: expected.get(code, 0) for code in languages}
    assert by_language["Tiếng Việt"] == 4  # the draft and the Q3 item do not count

    by_section = {row.label: row.value for row in figures.breakdown("items_by_section").rows}
    assert by_section == expected_items_by(ledger, *Q2_2025, "section")
    assert set(by_section) == {"Thời sự", "Du lịch"}  # translations count under their section

    media_kinds = {"photo": "Ảnh", "video": "Video", "documentary": "Phim tài liệu"}
    by_kind = {row.label: row.value for row in figures.breakdown("media_by_kind").rows}
    for kind, quantity in expected_media_by(ledger, *Q2_2025, None, "kind").items():
        if kind in media_kinds:
            assert by_kind[media_kinds[kind]] == quantity
    assert figures.breakdown("media_by_kind").total == sum(
        expected_media_by(ledger, *Q2_2025, None, "kind").values()
    )
    assert figures.breakdown("media_by_language").total == figures.figure("media_products").value

    views = {row.label: row.value for row in figures.breakdown("views_by_language").rows}
    page_rows = ledger.select("page_visits", *Q2_2025)
    assert views["Tiếng Việt"] == sum(r["views"] for r in page_rows if r["language"] == "vi")
    assert views["Tiếng Trung"] == 0

    assert figures.quarterly.quarters == ["QI/2025", "QII/2025"]
    series = figures.quarterly.series
    assert series["Số đoàn ra"] == [
        expected_values(ledger, *Q1_2025, None, TODAY)["outgoing_delegations"],
        expected_values(ledger, *Q2_2025, None, TODAY)["outgoing_delegations"],
    ]
    assert "Số tin, bài đã đăng" in series


# --- the files ----------------------------------------------------------------------------------

RECIPIENTS = "UBND tỉnh (để báo cáo)\nSở Ngoại vụ\nBộ Chỉ huy Bộ đội Biên phòng tỉnh"


def make_report(sample, *, unit=None, period=None):
    office = sample.office
    user = office.users["province"] if unit is None else office.users[unit]
    report = report_create(
        user=user,
        period=period or Period.quarter(2025, 2),
        unit=office.units[unit] if unit else None,
    )
    report_update(
        user=user,
        report=report,
        number="12",
        symbol="BC-STTTT",
        place="Lào Cai",
        issued_on=date(2025, 7, 5),
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="Phó Giám đốc",
        signer_name="Nguyễn Văn An",
        recipients=RECIPIENTS,
    )
    notable_event_add(user=user, report=report, text="Hội nghị xúc tiến du lịch Lào Cai – Vân Nam.")
    notable_event_add(
        user=user, report=report, text="Khai trương cụm thông tin đối ngoại Kim Thành."
    )
    return report


@pytest.fixture
def report_files(sample):
    report = make_report(sample)
    document = report_document(
        report, figures=report_figures(period=report.period, unit=None, today=TODAY)
    )
    files = {fmt: report_export(report, fmt, document=document) for fmt in ("docx", "xlsx", "pdf")}
    expected = expected_values(sample.ledger, *Q2_2025, None, TODAY)
    previous = expected_values(sample.ledger, *Q1_2025, None, TODAY)
    return report, files, expected, previous


def table_text(table) -> list[list[str]]:
    return [[cell.text.strip() for cell in row.cells] for row in table.rows]


def test_docx_reads_back_in_the_decree_30_layout(report_files):
    _report, files, expected, previous = report_files
    assert files["docx"].file_name.endswith(".docx")
    document = Document(io.BytesIO(files["docx"].content))

    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.1)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.1)
    assert abs(section.left_margin - Cm(3)) < Cm(0.05)
    assert abs(section.top_margin - Cm(2)) < Cm(0.05)
    assert abs(section.bottom_margin - Cm(2)) < Cm(0.05)
    assert Cm(1.5) - Cm(0.05) <= section.right_margin <= Cm(2) + Cm(0.05)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    assert Pt(13) <= normal.size <= Pt(14)

    header = document.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert "UBND TỈNH LÀO CAI" in left.text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in left.text
    issuing = next(p for p in left.paragraphs if p.text == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    assert all(run.bold for run in issuing.runs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right.text
    assert "Độc lập - Tự do - Hạnh phúc" in right.text
    assert header.cell(1, 0).text.strip() == "Số: 12/BC-STTTT"
    date_paragraph = header.cell(1, 1).paragraphs[0]
    assert date_paragraph.text == "Lào Cai, ngày 05 tháng 7 năm 2025"
    assert all(run.italic for run in date_paragraph.runs)

    texts = [p.text for p in document.paragraphs]
    title_index = texts.index("BÁO CÁO")
    assert texts[title_index + 1] == "Kết quả công tác thông tin đối ngoại quý II năm 2025"
    title = document.paragraphs[title_index]
    assert title.alignment == 1 and all(run.bold for run in title.runs)  # centred, bold

    figures_table = next(t for t in document.tables if t.cell(0, 1).text == "Chỉ tiêu")
    rows = table_text(figures_table)
    assert rows[0] == [
        "STT",
        "Chỉ tiêu",
        "Quý II/2025",
        "Quý I/2025",
        "Tăng/giảm",
        "Lũy kế từ đầu năm",
        "Kế hoạch năm",
        "% kế hoạch năm",
    ]
    by_label = {row[1].lstrip("– "): row for row in rows[1:]}
    checks = {
        "Số buổi giao ban báo chí": "press_briefings",
        "Số đoàn ra": "outgoing_delegations",
        "Số lượt khách nước ngoài": "foreign_visitors",
        "Số lượt người dân biên giới được tuyên truyền": "outreach_residents",
        "Số sản phẩm truyền thông": "media_products",
        "Số tin, bài đã đăng": "items_published",
        "Số lượt xem trang": "page_views",
        "trong đó: quá hạn chưa trả lời": "press_questions_overdue",
    }
    for label, code in checks.items():
        assert by_label[label][2] == vn(expected[code]), label
        assert by_label[label][3] == vn(previous[code]), label
    assert by_label["Số tin, bài đã đăng"][6] == "20"  # the province unit's plan target

    body = "\n".join(texts)
    assert "2 SỰ KIỆN NỔI BẬT QUÝ II NĂM 2025" in body
    assert "1. Hội nghị xúc tiến du lịch Lào Cai – Vân Nam." in body
    assert "2. Khai trương cụm thông tin đối ngoại Kim Thành." in body

    signature = document.tables[-1]
    recipients = [p.text for p in signature.cell(0, 0).paragraphs]
    assert recipients == [
        "Nơi nhận:",
        "- UBND tỉnh (để báo cáo);",
        "- Sở Ngoại vụ;",
        "- Bộ Chỉ huy Bộ đội Biên phòng tỉnh;",
        "- Lưu: VT.",
    ]
    signer = [p.text for p in signature.cell(0, 1).paragraphs if p.text]
    assert signer == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    assert len(document.inline_shapes) == 2  # the two charts


def test_xlsx_has_a_summary_and_one_sheet_per_register(report_files, sample):
    _report, files, expected, previous = report_files
    workbook = load_workbook(io.BytesIO(files["xlsx"].content))
    assert workbook.sheetnames[0] == "Tổng hợp"
    for name in ("Đoàn ra", "Đoàn vào", "Tuyên truyền biên giới", "Câu hỏi của báo chí"):
        assert any(sheet.startswith(name) for sheet in workbook.sheetnames), name
    assert len(workbook.sheetnames) == 1 + 11 + 1 + 1  # summary, registers, targets, portal

    summary = workbook["Tổng hợp"]
    cells = [[c.value for c in row] for row in summary.iter_rows()]
    assert [r[0] for r in cells if r[0] and "SỞ" in str(r[0])] == ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert any(r[0] == "Số: 12/BC-STTTT" for r in cells)
    by_code = {row[0]: row for row in cells if row[0] in expected}
    assert set(by_code) == set(expected)
    for code, value in expected.items():
        assert by_code[code][2] == value, code
        assert by_code[code][3] == previous[code], code

    ledger = sample.ledger
    outgoing = next(workbook[s] for s in workbook.sheetnames if s.startswith("Đoàn ra"))
    assert outgoing.max_row - 1 == len(ledger.select("outgoing", *Q2_2025))
    header = [c.value for c in outgoing[1]]
    officials = header.index("Số cán bộ") + 1
    total = sum(
        outgoing.cell(row=r, column=officials).value for r in range(2, outgoing.max_row + 1)
    )
    assert total == expected["outgoing_officials"]
    start = header.index("Ngày bắt đầu") + 1
    assert outgoing.cell(row=2, column=start).number_format == "DD/MM/YYYY"

    questions = next(workbook[s] for s in workbook.sheetnames if s.startswith("Câu hỏi"))
    assert questions.max_row - 1 == expected["press_questions_raised"]
    portal = workbook[workbook.sheetnames[-1]]
    assert portal.max_row - 1 == expected["items_published"]


def test_pdf_text_has_the_header_and_the_figures(report_files):
    _report, files, expected, _previous = report_files
    reader = PdfReader(io.BytesIO(files["pdf"].content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for snippet in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH LÀO CAI",
        "Số: 12/BC-STTTT",
        "Lào Cai, ngày 05 tháng 7 năm 2025",
        "BÁO CÁO",
        "Nơi nhận:",
        "Nguyễn Văn An",
        "Khai trương cụm thông tin đối ngoại Kim Thành.",
    ):
        assert snippet in flat, snippet
    assert f"tuyên truyền cho {vn(expected['outreach_residents'])} lượt người dân" in flat
    assert f"đạt {vn(expected['page_views'])} lượt xem trang" in flat
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSerif" in name for name in fonts)
    assert len(reader.pages) >= 2


def test_a_unit_report_has_no_portal_figures_and_lists_only_its_records(sample):
    report = make_report(sample, unit="a")
    document = report_document(
        report, figures=report_figures(period=report.period, unit=report.unit, today=TODAY)
    )
    workbook = load_workbook(io.BytesIO(report_export(report, "xlsx", document=document).content))
    assert len(workbook.sheetnames) == 1 + 11 + 1  # no portal sheet
    outgoing = next(workbook[s] for s in workbook.sheetnames if s.startswith("Đoàn ra"))
    assert outgoing.max_row - 1 == len(sample.ledger.select("outgoing", *Q2_2025, "a"))
    units = {outgoing.cell(row=r, column=2).value for r in range(2, outgoing.max_row + 1)}
    assert units <= {"Đồn Biên phòng Bát Xát"}
    docx = Document(io.BytesIO(report_export(report, "docx", document=document).content))
    body = "\n".join(p.text for p in docx.paragraphs)
    assert "chỉ tổng hợp trong báo cáo toàn tỉnh" in body
    assert "Số tin, bài đã đăng" not in "\n".join(c.text for t in docx.tables for c in t._cells)
    assert "ĐỒN BIÊN PHÒNG BÁT XÁT" in docx.tables[0].cell(0, 0).text


def test_figures_take_a_bounded_number_of_queries(sample):
    """Aggregates, not one query per record: four date ranges (the quarter, the previous one,
    last year's, the year so far) of 11–15 queries each, plus the plan's targets."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for unit in (sample.office.units["b"], None):
        with CaptureQueriesContext(connection) as captured:
            report_figures(period=Period.quarter(2025, 2), unit=unit, today=TODAY)
        counts.append(len(captured))
    assert counts == [45, 61]  # a unit report has no portal queries
