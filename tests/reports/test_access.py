"""Who may report on what (the registers' unit scoping), and bad input refused in Vietnamese."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from doingoai.reports.forms import ReportCreateForm
from doingoai.reports.models import Report
from doingoai.reports.periods import Period
from doingoai.reports.services import report_create

pytestmark = pytest.mark.django_db

REFUSED = "bạn không có quyền truy cập khu vực này"


def post_create(client, **data):
    values = {"period_kind": "quarter", "year": "2025", "quarter": "2", "half": "", "unit": ""}
    values.update(data)
    return client.post(reverse("reports:create"), values)


# --- the services -------------------------------------------------------------------------------


def test_an_officer_reports_on_their_own_unit_only(office):
    officer = office.users["a"]
    quarter = Period.quarter(2025, 2)
    report = report_create(user=officer, period=quarter, unit=office.units["a"])
    assert report.unit == office.units["a"]
    assert report.issuing_body == "ĐỒN BIÊN PHÒNG BÁT XÁT"

    with pytest.raises(PermissionDenied) as error:
        report_create(user=officer, period=quarter, unit=office.units["b"])
    assert str(error.value) == "Bạn chỉ được lập báo cáo cho đơn vị của mình."

    with pytest.raises(PermissionDenied) as error:
        report_create(user=officer, period=quarter, unit=None)
    assert str(error.value) == "Chỉ cán bộ cấp tỉnh được lập báo cáo toàn tỉnh."

    with pytest.raises(PermissionDenied) as error:
        report_create(user=office.users["nobody"], period=quarter, unit=office.units["a"])
    assert str(error.value) == "Bạn chưa thuộc đơn vị nào nên chưa thể lập báo cáo."


@pytest.mark.parametrize("unit", ["a", "b", "province", None])
def test_province_level_staff_report_on_any_unit_or_the_whole_province(office, unit):
    report = report_create(
        user=office.users["province"],
        period=Period.half(2025, 1),
        unit=office.units[unit] if unit else None,
    )
    assert report.unit_id == (office.units[unit].pk if unit else None)
    if unit is None:
        assert report.issuing_body == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
        assert report.superior_body == "UBND TỈNH LÀO CAI"
        assert report.title == "Kết quả công tác thông tin đối ngoại 6 tháng đầu năm 2025"


# --- the screens, as a matrix ---------------------------------------------------------------------


@pytest.fixture
def reports(office):
    """One Q2/2025 report for each unit and one for the whole province."""
    province = office.users["province"]
    quarter = Period.quarter(2025, 2)
    made = {
        key: report_create(user=province, period=quarter, unit=office.units[key])
        for key in ("a", "b", "province")
    }
    made[None] = report_create(user=province, period=quarter, unit=None)
    return made


@pytest.mark.parametrize(
    ("who", "reaches"),
    [
        ("a", {"a"}),
        ("b", {"b"}),
        ("province", {"a", "b", "province", None}),
    ],
)
def test_report_screens_follow_unit_scoping(client, office, reports, who, reaches):
    client.force_login(office.users[who])
    listing = client.get(reverse("reports:index")).content.decode()
    for key, report in reports.items():
        detail = reverse("reports:detail", args=[report.pk])
        download = reverse("reports:download", args=[report.pk, "xlsx"])
        events = reverse("reports:events", args=[report.pk])
        if key in reaches:
            assert detail in listing
            assert client.get(detail).status_code == 200
            assert client.get(download).status_code == 200
            assert client.get(events).status_code == 200
        else:
            assert detail not in listing
            for url in (detail, download, events):
                response = client.get(url, follow=True)
                assert REFUSED in response.content.decode(), url
            response = client.post(reverse("reports:status", args=[report.pk, "delete"]))
            assert response.status_code == 302
            assert Report.objects.filter(pk=report.pk).exists()


def test_an_officer_cannot_generate_a_report_on_another_unit(client, office):
    client.force_login(office.users["a"])
    form_html = client.get(reverse("reports:create")).content.decode()
    assert "Đồn Biên phòng Bát Xát" in form_html
    assert "UBND huyện Mường Khương" not in form_html
    assert "Toàn tỉnh" not in form_html  # the whole province is not offered

    response = post_create(client, unit=str(office.units["b"].pk))
    assert response.status_code == 200
    assert (
        "Đơn vị này không tồn tại hoặc bạn không được lập báo cáo cho đơn vị này."
        in response.content.decode()
    )
    response = post_create(client, unit="")
    assert "Chọn đơn vị của bạn." in response.content.decode()
    assert not Report.objects.exists()

    response = post_create(client, unit=str(office.units["a"].pk))
    report = Report.objects.get()
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert report.unit == office.units["a"]
    assert report.created_by == office.users["a"]


def test_staff_in_no_unit_see_no_reports_menu_and_are_refused(client, office):
    client.force_login(office.users["nobody"])
    # The sidebar menu is JSON in the page: look for the menu's links.
    home = client.get("/quan-tri/").content.decode()
    assert reverse("reports:index") not in home
    for name in ("index", "create", "dashboard"):
        response = client.get(reverse(f"reports:{name}"), follow=True)
        assert REFUSED in response.content.decode()
    client.force_login(office.users["a"])
    home = client.get("/quan-tri/").content.decode()
    for name in ("index", "create", "dashboard"):
        assert reverse(f"reports:{name}") in home


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quarter": "5"}, "Chọn quý từ I đến IV."),
        ({"quarter": ""}, "Chọn quý từ I đến IV."),
        ({"year": "1800"}, "Nhập năm từ 2000 đến 2100."),
        ({"year": "hai nghìn"}, "Nhập năm bằng chữ số, ví dụ 2025."),
        ({"period_kind": "month"}, "Chọn loại báo cáo: quý, 6 tháng hoặc năm."),
        ({"period_kind": "half", "half": "3"}, "Chọn 6 tháng đầu năm hoặc 6 tháng cuối năm."),
        ({"unit": "999999"}, "Đơn vị này không tồn tại hoặc bạn không được lập báo cáo"),
        ({"unit": "Sở Ngoại vụ"}, "Đơn vị này không tồn tại hoặc bạn không được lập báo cáo"),
        ({"year": "2099"}, "Kỳ báo cáo này chưa bắt đầu."),
    ],
)
def test_bad_input_is_refused_with_a_clear_vietnamese_message(client, office, data, message):
    client.force_login(office.users["province"])
    response = post_create(client, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_the_form_builds_each_kind_of_period(office):
    user = office.users["province"]
    for data, period in (
        ({"period_kind": "quarter", "year": "2025", "quarter": "4"}, Period.quarter(2025, 4)),
        ({"period_kind": "half", "year": "2024", "half": "2"}, Period.half(2024, 2)),
        ({"period_kind": "year", "year": "2024", "quarter": "9"}, None),
        ({"period_kind": "year", "year": "2024"}, Period.whole_year(2024)),
    ):
        form = ReportCreateForm(data=data, user=user)
        if period is None:  # a wrong quarter is refused even for an annual report
            assert not form.is_valid()
            continue
        assert form.is_valid(), form.errors
        assert form.cleaned_data["period"] == period
        assert form.cleaned_data["unit"] is None
