"""End to end in headless Chromium: an officer of a border-guard unit enters an outgoing
delegation in the back office; a province-level user generates the quarter's report and
downloads the DOCX, which carries the delegation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from docx import Document

from doingoai.registers.models import OutgoingDelegation
from tests.factories import PASSWORD, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEAD = "Đại tá Lò Văn Sơn, Chỉ huy trưởng"


def sign_in(page, base, user):
    page.goto(f"{base}/quan-tri/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/quan-tri/$"))


def test_officer_enters_a_delegation_and_the_province_downloads_the_report(
    live_server,
    new_page,
    settings,
    office,
    tmp_path,
):
    settings.ALLOWED_HOSTS = ["*"]
    build_portal(n_articles=1)
    base = live_server.url

    # 1. The border-guard officer enters an outgoing delegation of April 2025.
    officer = new_page()
    sign_in(officer, base, office.users["a"])
    officer.goto(base + reverse("registers_outgoing_delegations:add"))
    officer.fill("#id_destination_country", "Trung Quốc")
    officer.fill("#id_destination_place", "Hà Khẩu, Vân Nam")
    officer.fill("#id_purpose", "Hội đàm về quản lý cửa khẩu Lào Cai – Hà Khẩu")
    officer.fill("#id_head", HEAD)
    officer.fill("#id_officials_count", "6")
    officer.fill("#id_others_count", "2")
    officer.fill("#id_start_date", "10/04/2025")
    officer.fill("#id_end_date", "12/04/2025")
    officer.keyboard.press("Escape")  # close the date picker
    officer.locator("footer button.button-longrunning[type=submit]").first.click()
    officer.wait_for_load_state("networkidle")
    officer.screenshot(path=str(tmp_path / "doan-ra.png"), full_page=True)
    delegation = OutgoingDelegation.objects.get(head=HEAD)
    assert delegation.unit == office.units["a"]
    assert delegation.officials_count == 6

    # 2. A province-level user makes the report of quarter II/2025 for the whole province.
    leader = new_page(accept_downloads=True)
    sign_in(leader, base, office.users["province"])
    leader.goto(base + reverse("reports:create"))
    leader.check("input[name=period_kind][value=quarter]")
    leader.fill("#id_year", "2025")
    leader.select_option("#id_quarter", "2")
    leader.select_option("#id_unit", "")
    leader.click("[data-report-create] button[type=submit]")
    leader.wait_for_url(re.compile(r".*/bao-cao-dinh-ky/\d+/$"))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in leader.content()
    figures = leader.locator("[data-report-figures]")
    row = figures.locator("tr", has_text="Số đoàn ra").first
    assert row.locator("td").nth(1).inner_text().strip() == "1"
    leader.screenshot(path=str(tmp_path / "bao-cao.png"), full_page=True)

    # 3. It downloads the DOCX: the delegation is counted in it.
    with leader.expect_download() as download_info:
        leader.click("[data-download=docx]")
    download = download_info.value
    assert re.fullmatch(r"bao-cao-quy-2-2025-\d+\.docx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = Document(str(path))
    header = document.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in header.cell(0, 1).text
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in header.cell(0, 0).text
    body = "\n".join(p.text for p in document.paragraphs)
    assert "1 đoàn ra với 6 lượt cán bộ và 2 lượt cá nhân khác" in body
    table = next(t for t in document.tables if t.cell(0, 1).text == "Chỉ tiêu")
    outgoing = next(r for r in table.rows if r.cells[1].text == "Số đoàn ra")
    assert outgoing.cells[2].text == "1"
