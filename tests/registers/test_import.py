"""Bulk import: the whole file is checked first, written in one transaction or not at all,
and importing it again creates no duplicates."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from doingoai.registers.imports.layouts import LAYOUTS
from doingoai.registers.imports.service import ImportIssue, import_check, import_run
from doingoai.registers.models import (
    AnnualPlan,
    OutgoingDelegation,
    PlanTarget,
    PressEvent,
    PressQuestion,
)

from .factories import PressAgencyFactory, PressEventFactory

pytestmark = pytest.mark.django_db

DELEGATION_HEADERS = [
    "STT",
    "Đơn vị",
    "Nước đến",
    "Địa điểm",
    "Mục đích",
    "Trưởng đoàn",
    "Số cán bộ",
    "Số cá nhân khác",
    "Ngày đi",
    "Ngày về",
    "Văn bản cho phép",
]


def delegation_row(n, **changes):
    row = {
        "STT": n,
        "Đơn vị": "",
        "Nước đến": "Lào",
        "Địa điểm": "Phông-sa-lỳ",
        "Mục đích": "Hội đàm hợp tác",
        "Trưởng đoàn": f"Trưởng đoàn số {n}",
        "Số cán bộ": 5,
        "Số cá nhân khác": 1,
        "Ngày đi": date(2024, 4, n),
        "Ngày về": date(2024, 4, n + 2),
        "Văn bản cho phép": f"{n}/QĐ-UBND",
    }
    row.update(changes)
    return [row[h] for h in DELEGATION_HEADERS]


def xlsx_bytes(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(headers, rows, delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [cell.strftime("%d/%m/%Y") if isinstance(cell, date) else cell for cell in row]
        )
    return out.getvalue().encode("utf-8-sig")


def run(office, key, data, name="so-lieu.xlsx", who="a"):
    return import_run(layout=LAYOUTS[key], user=office.users[who], name=name, data=data)


def test_good_xlsx_is_imported_under_the_users_unit(office):
    data = xlsx_bytes(DELEGATION_HEADERS, [delegation_row(n) for n in (1, 2, 3)])
    report = run(office, "outgoing-delegations", data)
    assert report.ok and report.written
    assert report.to_create == 3
    delegations = OutgoingDelegation.objects.order_by("start_date")
    assert [d.unit for d in delegations] == [office.unit_a] * 3
    assert [d.created_by for d in delegations] == [office.users["a"]] * 3
    assert delegations[0].start_date == date(2024, 4, 1)
    assert delegations[0].officials_count == 5


def test_csv_with_day_first_dates_and_grouped_numbers(office):
    rows = [delegation_row(1, **{"Số cán bộ": "1.624", "Ngày đi": "03/04/2024"})]
    report = run(office, "outgoing-delegations", csv_bytes(DELEGATION_HEADERS, rows), "a.csv")
    assert report.ok, report.errors
    delegation = OutgoingDelegation.objects.get()
    assert delegation.officials_count == 1624
    assert delegation.start_date == date(2024, 4, 3)


def test_bad_rows_are_listed_with_row_column_and_reason_and_nothing_is_written(office):
    rows = [
        delegation_row(1),
        delegation_row(2, **{"Số cán bộ": -4}),
        delegation_row(3, **{"Ngày về": date(2024, 3, 1)}),
        delegation_row(4, **{"Ngày đi": "31/02/2024"}),
        delegation_row(5, **{"Đơn vị": office.unit_b.name}),
        delegation_row(6, **{"Nước đến": ""}),
        delegation_row(7, **{"Số cá nhân khác": "nhiều"}),
        delegation_row(8, **{"Đơn vị": "Sở Không Có"}),
        delegation_row(1),  # the first row again
    ]
    report = run(office, "outgoing-delegations", xlsx_bytes(DELEGATION_HEADERS, rows))
    assert not report.written
    assert report.errors == [
        ImportIssue(3, "Số cán bộ", "Số lượng không được là số âm."),
        ImportIssue(4, "Ngày về", "Ngày kết thúc không được trước ngày bắt đầu."),
        ImportIssue(5, "Ngày đi", "Nhập ngày theo dạng dd/mm/yyyy."),
        ImportIssue(6, "Đơn vị", "Bạn chỉ được ghi sổ cho đơn vị của mình."),
        ImportIssue(7, "Nước đến", "Cần nhập giá trị này."),
        ImportIssue(8, "Số cá nhân khác", "Nhập một số nguyên."),
        ImportIssue(9, "Đơn vị", "Không có đơn vị nào tên “Sở Không Có”."),
        ImportIssue(10, "", "Dòng này trùng với dòng 2."),
    ]
    assert not OutgoingDelegation.objects.exists()


def test_missing_column_and_unreadable_files(office):
    headers = [h for h in DELEGATION_HEADERS if h != "Trưởng đoàn"]
    report = run(office, "outgoing-delegations", xlsx_bytes(headers, []))
    assert report.errors == [ImportIssue(1, "Trưởng đoàn", "Tệp thiếu cột này.")]
    report = run(office, "outgoing-delegations", b"not a spreadsheet")
    assert report.errors == [ImportIssue(0, "", "Không đọc được tệp XLSX.")]
    report = run(office, "outgoing-delegations", "Ngày đi".encode("utf-16"), "a.csv")
    assert report.errors == [
        ImportIssue(
            0,
            "",
            "Tệp CSV không được lưu dạng văn bản UTF-8 và không xác định chắc chắn được bảng mã "
            "của tệp. Hãy lưu lại tệp bằng Excel: Tệp > Lưu thành > CSV UTF-8 (Phân cách bằng "
            "dấu phẩy), rồi tải lên lại.",
        )
    ]


def test_reimporting_the_same_file_creates_no_duplicates(office):
    data = xlsx_bytes(DELEGATION_HEADERS, [delegation_row(n) for n in (1, 2)])
    run(office, "outgoing-delegations", data)
    again = run(office, "outgoing-delegations", data)
    assert again.ok and (again.to_create, again.to_update) == (0, 2)
    assert OutgoingDelegation.objects.count() == 2

    corrected = xlsx_bytes(
        DELEGATION_HEADERS, [delegation_row(1, **{"Số cán bộ": 9}), delegation_row(2)]
    )
    run(office, "outgoing-delegations", corrected)
    assert OutgoingDelegation.objects.count() == 2
    assert OutgoingDelegation.objects.get(head="Trưởng đoàn số 1").officials_count == 9


def test_a_crash_mid_import_leaves_nothing_written(office, monkeypatch):
    saved = []
    original_save = OutgoingDelegation.save

    def save_then_crash_on_third(self, *args, **kwargs):
        if len(saved) == 2:
            raise RuntimeError("power cut on row 4")
        original_save(self, *args, **kwargs)
        saved.append(self.pk)

    monkeypatch.setattr(OutgoingDelegation, "save", save_then_crash_on_third)
    data = xlsx_bytes(DELEGATION_HEADERS, [delegation_row(n) for n in (1, 2, 3, 4)])
    with pytest.raises(RuntimeError):
        run(office, "outgoing-delegations", data)
    assert len(saved) == 2  # two rows were written inside the transaction…
    assert not OutgoingDelegation.objects.exists()  # …and rolled back


def test_press_events_with_agencies_and_their_questions(office):
    PressAgencyFactory(name="Báo Lào Cai")
    PressAgencyFactory(name="Đài PT-TH Lào Cai")
    events = xlsx_bytes(
        ["Loại", "Tiêu đề", "Ngày", "Người phát ngôn", "Cơ quan báo chí tham dự"],
        [
            [
                "Giao ban báo chí hằng tuần",
                "Giao ban tuần 10",
                "04/03/2024",
                "Nguyễn Văn An",
                "Báo Lào Cai; Đài PT-TH Lào Cai",
            ],
            ["press_conference", "Họp báo Lễ hội", "05/03/2024", "Trần Bình", ""],
        ],
    )
    assert run(office, "press-events", events).ok
    event = PressEvent.objects.get(title="Giao ban tuần 10")
    assert event.kind == PressEvent.Kind.WEEKLY_BRIEFING
    assert sorted(a.name for a in event.agencies.all()) == ["Báo Lào Cai", "Đài PT-TH Lào Cai"]

    question_headers = [
        "Ngày họp báo",
        "Tiêu đề họp báo",
        "Người hỏi",
        "Cơ quan báo chí",
        "Câu hỏi",
        "Đơn vị trả lời",
        "Hạn trả lời",
    ]
    questions = xlsx_bytes(
        question_headers,
        [
            [
                "04/03/2024",
                "Giao ban tuần 10",
                "Lê Cường",
                "Báo Lào Cai",
                "Khi nào thông xe?",
                office.unit_b.name,
                "11/03/2024",
            ],
            [
                "04/03/2024",
                "Giao ban tuần 10",
                "Lê Cường",
                "",
                "Giá vé?",
                office.unit_b.name,
                "01/03/2024",
            ],
            ["04/03/2024", "Không có", "Lê Cường", "", "?", office.unit_b.name, ""],
        ],
    )
    report = run(office, "press-questions", questions)
    assert report.errors == [
        ImportIssue(3, "Hạn trả lời", "Hạn trả lời không được trước ngày họp báo."),
        ImportIssue(
            4, "Tiêu đề họp báo", "Không có họp báo nào của đơn vị bạn có ngày và tiêu đề này."
        ),
    ]
    report = run(
        office,
        "press-questions",
        xlsx_bytes(
            question_headers,
            [
                [
                    "04/03/2024",
                    "Giao ban tuần 10",
                    "Lê Cường",
                    "Báo Lào Cai",
                    "Khi nào thông xe?",
                    office.unit_b.name,
                    "11/03/2024",
                ],
            ],
        ),
    )
    assert report.ok
    question = PressQuestion.objects.get()
    assert (question.event, question.unit, question.assigned_unit) == (
        event,
        office.unit_a,
        office.unit_b,
    )


def test_plan_targets_create_the_plan_once(office):
    headers = ["Năm", "Chỉ tiêu", "Mục tiêu"]
    rows = [
        [2025, "Số buổi giao ban báo chí", 50],
        [2025, "outgoing_delegations", 20],
        [2026, "press_briefings", 52],
    ]
    assert run(office, "plan-targets", xlsx_bytes(headers, rows)).ok
    assert run(office, "plan-targets", xlsx_bytes(headers, rows)).ok
    assert AnnualPlan.objects.filter(unit=office.unit_a).count() == 2
    assert PlanTarget.objects.count() == 3
    assert AnnualPlan.objects.get(year=2025).targets.get(indicator="press_briefings").target == 50

    report = run(office, "plan-targets", xlsx_bytes(headers, [[1999, "press_briefings", 5]]))
    assert report.errors == [ImportIssue(2, "Năm", "Nhập năm từ 2000 đến 2100.")]


def test_province_staff_import_for_any_unit_and_need_the_unit_when_they_have_none(office):
    rows = [delegation_row(1, **{"Đơn vị": office.unit_b.name}), delegation_row(2)]
    report = run(
        office, "outgoing-delegations", xlsx_bytes(DELEGATION_HEADERS, rows), who="province"
    )
    assert report.ok
    assert {d.unit for d in OutgoingDelegation.objects.all()} == {office.unit_b, office.province}
    report = run(
        office,
        "outgoing-delegations",
        xlsx_bytes(DELEGATION_HEADERS, [delegation_row(3)]),
        who="nobody",
    )
    assert report.errors == [ImportIssue(2, "Đơn vị", "Nhập đơn vị: bạn chưa thuộc đơn vị nào.")]


# --- the admin view --------------------------------------------------------------------------


def import_url(register="outgoing_delegations"):
    return reverse(f"registers_{register}:import")


def test_view_previews_errors_and_writes_nothing(client, office):
    client.force_login(office.users["a"])
    data = xlsx_bytes(
        DELEGATION_HEADERS, [delegation_row(1), delegation_row(2, **{"Số cán bộ": -1})]
    )
    upload = io.BytesIO(data)
    upload.name = "doan-ra.xlsx"
    response = client.post(import_url(), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-import-errors" in html
    assert "Số lượng không được là số âm." in html
    assert "data-import-confirm" not in html
    assert not OutgoingDelegation.objects.exists()


def test_view_previews_then_imports_on_confirmation(client, office):
    client.force_login(office.users["a"])
    upload = io.BytesIO(xlsx_bytes(DELEGATION_HEADERS, [delegation_row(1), delegation_row(2)]))
    upload.name = "doan-ra.xlsx"
    preview = client.post(import_url(), {"file": upload})
    assert "data-import-confirm" in preview.content.decode()
    assert not OutgoingDelegation.objects.exists()  # nothing before confirmation
    token = preview.context["token"]

    # Another user cannot confirm somebody else's upload.
    client.force_login(office.users["b"])
    client.post(import_url(), {"token": token, "confirm": "1"})
    assert not OutgoingDelegation.objects.exists()

    client.force_login(office.users["a"])
    preview = client.post(import_url(), {"file": _upload(upload)})
    done = client.post(import_url(), {"token": preview.context["token"], "confirm": "1"})
    assert done.status_code == 302
    assert OutgoingDelegation.objects.count() == 2
    # The token is used up.
    client.post(import_url(), {"token": preview.context["token"], "confirm": "1"})
    assert OutgoingDelegation.objects.count() == 2


def _upload(previous):
    again = io.BytesIO(previous.getvalue())
    again.name = previous.name
    return again


def test_view_needs_add_and_change_permission(client, office):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(import_url()).status_code == 302


def test_template_has_the_layout_headers(client, office):
    client.force_login(office.users["a"])
    response = client.get(reverse("registers_outgoing_delegations:import_template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [column.header for column in LAYOUTS["outgoing-delegations"].columns]


def test_upload_page_documents_the_columns(client, office):
    client.force_login(office.users["a"])
    html = client.get(import_url("press_events")).content.decode()
    for column in LAYOUTS["press-events"].columns:
        assert column.header in html
    assert "Họp báo định kỳ hằng quý" in html  # the choices are spelled out


def test_import_check_alone_writes_nothing(office):
    data = xlsx_bytes(DELEGATION_HEADERS, [delegation_row(1)])
    report = import_check(
        layout=LAYOUTS["outgoing-delegations"], user=office.users["a"], name="a.xlsx", data=data
    )
    assert report.ok and report.to_create == 1
    assert not OutgoingDelegation.objects.exists()
    assert PressEventFactory is not None


def test_cancelled_and_stale_uploads_are_removed(client, office, settings):
    import os
    from pathlib import Path

    from doingoai.registers.imports.stash import uploads_purge

    client.force_login(office.users["a"])
    upload = io.BytesIO(xlsx_bytes(DELEGATION_HEADERS, [delegation_row(1)]))
    upload.name = "doan-ra.xlsx"
    preview = client.post(import_url(), {"file": upload})
    folder = Path(settings.REGISTERS_IMPORT_DIR)
    assert len(list(folder.iterdir())) == 1
    client.post(import_url(), {"token": preview.context["token"], "cancel": "1"})
    assert list(folder.iterdir()) == []
    assert not OutgoingDelegation.objects.exists()

    client.post(import_url(), {"file": _upload(upload)})
    (stale,) = folder.iterdir()
    os.utime(stale, (0, 0))
    assert uploads_purge() == 1
    assert list(folder.iterdir()) == []
