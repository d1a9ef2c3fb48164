"""The back-office screens: generate, preview, details, notable events, finalise, downloads,
the dashboard — all in Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx import Document

from doingoai.reports.models import NotableEvent, Report
from doingoai.reports.services import notable_event_candidates
from tests.admin_i18n import record_missed_strings
from tests.registers.factories import OutgoingDelegationFactory

from .expected import H1_2024, Q2_2025, expected_targets, expected_values, vn

pytestmark = pytest.mark.django_db


def make_quarter_report(client) -> Report:
    response = client.post(
        reverse("reports:create"),
        {"period_kind": "quarter", "year": "2025", "quarter": "2", "unit": ""},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Report.objects.latest("pk")


def test_generate_preview_edit_pick_events_and_download(client, sample):
    client.force_login(sample.office.users["province"])
    report = make_quarter_report(client)
    today = timezone.localdate()
    expected = expected_values(sample.ledger, *Q2_2025, None, today)

    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Kết quả công tác thông tin đối ngoại quý II năm 2025" in html
    assert f"tuyên truyền cho {vn(expected['outreach_residents'])} lượt người dân" in html
    for fmt in ("docx", "xlsx", "pdf"):
        assert reverse("reports:download", args=[report.pk, fmt]) in html
    chart = client.get(reverse("reports:chart", args=[report.pk, "quy"]))
    assert chart["Content-Type"] == "image/png" and chart.content.startswith(b"\x89PNG")
    assert client.get(reverse("reports:chart", args=[report.pk, "khac"])).status_code == 404

    response = client.post(
        reverse("reports:edit", args=[report.pk]),
        {
            "title": report.title,
            "superior_body": "UBND TỈNH LÀO CAI",
            "issuing_body": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            "number": "12",
            "symbol": "BC-STTTT",
            "place": "Lào Cai",
            "issued_on": "15/07/2025",
            "signer_authority": "",
            "signer_title": "Giám đốc",
            "signer_name": "Trần Thị Bình",
            "recipients": "UBND tỉnh\nSở Ngoại vụ",
            "introduction": "",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.reference, report.issued_on) == ("12/BC-STTTT", dt.date(2025, 7, 15))

    # Pick two of the period's delegations, write one event, then put it first.
    events_url = reverse("reports:events", args=[report.pk])
    candidates = notable_event_candidates(report=report)
    assert len(candidates) >= expected["outgoing_delegations"] + expected["incoming_delegations"]
    assert all(Q2_2025[0] <= c.day <= Q2_2025[1] for c in candidates)
    keys = [c.key for c in candidates if c.key.startswith("outgoingdelegation")][:2]
    client.post(events_url, {"action": "pick", "record": keys})
    client.post(events_url, {"action": "pick", "record": keys})  # twice: no duplicates
    client.post(events_url, {"action": "add", "text": "Đón đoàn phóng viên quốc tế."})
    assert list(report.notable_events.values_list("sort_order", flat=True)) == [1, 2, 3]
    written = report.notable_events.get(source_id=None)
    client.post(events_url, {"action": f"up:{written.pk}"})
    client.post(events_url, {"action": f"up:{written.pk}"})
    texts = list(report.notable_events.values_list("text", flat=True))
    assert texts[0] == "Đón đoàn phóng viên quốc tế."
    assert texts[1].startswith("Đoàn công tác do ")
    first_picked = report.notable_events.exclude(source_id=None).first()
    data = {"action": "save", f"event-{written.pk}-delete": "1"}
    for event in report.notable_events.all():
        data[f"event-{event.pk}-text"] = event.text
        data[f"event-{event.pk}-order"] = str(event.sort_order)
    data[f"event-{first_picked.pk}-order"] = "9"
    data[f"event-{first_picked.pk}-text"] = "Đoàn công tác sang Vân Nam (Trung Quốc)."
    client.post(events_url, data)
    assert list(report.notable_events.values_list("text", "sort_order")) == [
        (texts[2], 1),
        ("Đoàn công tác sang Vân Nam (Trung Quốc).", 2),
    ]
    response = client.post(events_url, {"action": "add", "text": "   "})
    assert "Nhập nội dung sự kiện." in response.content.decode()

    response = client.get(reverse("reports:download", args=[report.pk, "docx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bao-cao-quy-2-2025-' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "2. Đoàn công tác sang Vân Nam (Trung Quốc)." in body
    assert document.tables[0].cell(1, 1).text.strip() == "Lào Cai, ngày 15 tháng 7 năm 2025"
    for fmt, start in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(reverse("reports:download", args=[report.pk, fmt]))
        assert response.status_code == 200 and response.content.startswith(start)
    assert client.get(reverse("reports:download", args=[report.pk, "odt"])).status_code == 404


def test_a_final_report_keeps_its_figures_until_returned_to_draft(client, sample):
    office = sample.office
    client.force_login(office.users["province"])
    report = make_quarter_report(client)
    before = expected_values(sample.ledger, *Q2_2025, None, timezone.localdate())
    client.post(reverse("reports:status", args=[report.pk, "finalise"]))
    report.refresh_from_db()
    assert report.is_final and report.figures_snapshot

    # A delegation entered later in the quarter does not change the signed report.
    OutgoingDelegationFactory(
        unit=office.units["b"], start_date=dt.date(2025, 5, 30), end_date=dt.date(2025, 6, 2)
    )
    count = vn(before["outgoing_delegations"])
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f"{count} đoàn ra" in html
    docx = client.get(reverse("reports:download", args=[report.pk, "docx"])).content
    assert f"{count} đoàn ra" in "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)

    # A final report cannot be edited or deleted…
    response = client.get(reverse("reports:events", args=[report.pk]), follow=True)
    assert "Báo cáo đã chốt: chuyển về bản nháp trước khi sửa." in response.content.decode()
    client.post(reverse("reports:status", args=[report.pk, "delete"]))
    assert Report.objects.filter(pk=report.pk).exists()
    # …until it is a draft again, with the figures counted afresh.
    client.post(reverse("reports:status", args=[report.pk, "reopen"]))
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert f"{vn(before['outgoing_delegations'] + 1)} đoàn ra" in html
    client.post(reverse("reports:status", args=[report.pk, "delete"]))
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not NotableEvent.objects.exists()


@time_machine.travel(dt.datetime(2024, 8, 15, 10, 0, tzinfo=dt.UTC), tick=False)
def test_dashboard_this_year_overdue_questions_and_plan_progress(client, sample):
    office = sample.office
    today = dt.date(2024, 8, 15)
    ledger = sample.ledger
    client.force_login(office.users["a"])
    html = client.get(reverse("reports:dashboard")).content.decode()

    this_year = expected_values(ledger, dt.date(2024, 1, 1), today, "a", today)
    assert "Đồn Biên phòng Bát Xát" in html
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="report-number">([^<]+)', html))
    assert rows["Số buổi giao ban báo chí"] == vn(this_year["press_briefings"])
    assert rows["Số đoàn ra"] == vn(this_year["outgoing_delegations"])
    assert "Số tin, bài đã đăng" not in rows  # portal figures: the whole province only

    overdue = [
        row
        for row in ledger.rows
        if row["register"] == "question"
        and "a" in (row["unit"], row["assigned"])
        and row["answered_on"] is None
        and row["answer"] == ""
        and row["deadline"] < today
    ]
    assert overdue
    assert f"{len(overdue)} câu hỏi báo chí quá hạn" in html
    assert len(re.findall(r"/cau-hoi-bao-chi/edit/\d+/", html)) == len(overdue)

    # The province: plan progress against the sum of the units' 2024 targets.
    with time_machine.travel(dt.datetime(2025, 8, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(office.users["province"])  # a year later: a fresh session
        html = client.get(reverse("reports:dashboard")).content.decode()
    today = dt.date(2025, 8, 15)
    assert "Năm 2025 (đến ngày 15/08/2025) so với cùng kỳ năm trước (đến ngày 15/08/2024)" in html
    done = expected_values(ledger, dt.date(2025, 1, 1), today, None, today)["press_briefings"]
    target = expected_targets(ledger, None)["press_briefings"]
    progress_table = html[html.index("data-plan-progress") :]
    progress = re.search(
        r"Số buổi giao ban báo chí</th>\s*<td[^>]*>([^<]+)</td>\s*<td[^>]*>([^<]+)",
        progress_table,
    )
    assert progress.groups() == (vn(done), vn(target))
    assert f"{done * 100 / target:.1f}%".replace(".", ",") in html
    last_year = expected_values(ledger, *H1_2024, None, today)  # sanity: data exists
    assert last_year["press_briefings"]

    # A unit officer cannot look at another unit through the URL.
    client.force_login(office.users["b"])
    response = client.get(reverse("reports:dashboard") + f"?don-vi={office.units['a'].pk}")
    page = response.content.decode()
    assert "Đơn vị này không tồn tại hoặc bạn không được lập báo cáo cho đơn vị này." in page
    assert "UBND huyện Mường Khương" in page


def test_every_report_screen_reads_in_vietnamese(client, sample):
    office = sample.office
    for who in ("province", "a"):
        client.force_login(office.users[who])
        with record_missed_strings() as missed:
            missed.current_url = "/quan-tri/"
            client.get("/quan-tri/")
            urls = [
                reverse("reports:index"),
                reverse("reports:create"),
                reverse("reports:dashboard"),
            ]
            for url in urls:
                missed.current_url = url
                assert client.get(url).status_code == 200
            missed.current_url = "create (errors)"
            client.post(reverse("reports:create"), {"period_kind": "quarter", "year": "1800"})
            missed.current_url = "create"
            unit = "" if who == "province" else str(office.units[who].pk)
            client.post(
                reverse("reports:create"),
                {"period_kind": "quarter", "year": "2025", "quarter": "2", "unit": unit},
            )
            report = Report.objects.latest("pk")
            client.post(
                reverse("reports:events", args=[report.pk]),
                {"action": "add", "text": "Sự kiện thử."},
            )
            for name in ("detail", "edit", "events", "delete"):
                url = reverse(f"reports:{name}", args=[report.pk])
                missed.current_url = url
                assert client.get(url).status_code == 200
            missed.current_url = "index with a report"
            client.get(reverse("reports:index"))
            missed.current_url = "finalised"
            client.post(reverse("reports:status", args=[report.pk, "finalise"]), follow=True)
            missed.current_url = "files"
            for fmt in ("docx", "xlsx", "pdf"):
                client.get(reverse("reports:download", args=[report.pk, fmt]))
        assert not missed.where, sorted(missed.where.items())
