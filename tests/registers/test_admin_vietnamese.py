"""Every register screen reads in Vietnamese, for every role."""

import pytest
from django.urls import reverse

from doingoai.registers.viewsets import RegistersGroup
from tests.admin_i18n import crawl_admin, record_missed_strings

from . import factories

pytestmark = pytest.mark.django_db


def menu_labels() -> list[str]:
    labels = [RegistersGroup.menu_label]
    for viewset_class in RegistersGroup.items:
        labels.append(viewset_class().menu_label)
    return [str(label) for label in labels]


def other_apps_chrome(client) -> set[str]:
    """Strings the sidebar shows for *other* apps (their menus): the project-wide test
    (tests/test_admin_vietnamese.py) covers them; here only this app's strings count."""
    with record_missed_strings() as missed:
        missed.current_url = "/quan-tri/"
        client.get("/quan-tri/")
    return set(missed.where) - set(menu_labels())


def missed_here(missed, chrome: set[str]) -> dict:
    return {text: urls for text, urls in missed.where.items() if text not in chrome}


def test_menu_labels_are_translated():
    from django.utils import translation

    with record_missed_strings() as missed, translation.override("vi"):
        for viewset_class in RegistersGroup.items:
            viewset = viewset_class()
            str(viewset.menu_label)
            if hasattr(viewset, "model"):
                str(viewset.model._meta.verbose_name_plural)
                str(viewset.model._meta.verbose_name)
        str(RegistersGroup.menu_label)
        assert str(RegistersGroup.menu_label) == "Sổ theo dõi đối ngoại"
    assert not missed.where, sorted(missed.where)


def fill_registers(office):
    unit = office.unit_a
    event = factories.PressEventFactory(unit=unit)
    event.agencies.add(factories.PressAgencyFactory())
    records = [
        event,
        factories.PressQuestionFactory(event=event, assigned_unit=office.unit_b),
        factories.PressReleaseFactory(unit=unit),
        factories.OutgoingDelegationFactory(unit=unit),
        factories.IncomingDelegationFactory(unit=unit, host_unit=office.unit_b),
        factories.AgreementFactory(unit=unit),
        factories.TwinningRelationFactory(unit=unit),
        factories.BorderCooperationFactory(unit=unit),
        factories.BorderOutreachSessionFactory(unit=unit),
        factories.MediaProductFactory(unit=unit),
        factories.EventParticipationFactory(unit=unit),
        factories.PlanTargetFactory(plan=factories.AnnualPlanFactory(unit=unit)).plan,
    ]
    return records


def start_urls(records) -> list[str]:
    urls = ["/quan-tri/"]
    for viewset_class in RegistersGroup.items:
        viewset = viewset_class()
        if not hasattr(viewset, "model"):
            urls.append(viewset.menu_url)
            continue
        urls.append(reverse(viewset.get_url_name("index")))
        urls.append(reverse(viewset.get_url_name("add")) + "?q=x")
        urls.append(reverse(viewset.get_url_name("index")) + "?q=Lao")
    for record in records:
        name = {
            "pressevent": "press_events",
            "pressquestion": "press_questions",
            "pressrelease": "press_releases",
            "outgoingdelegation": "outgoing_delegations",
            "incomingdelegation": "incoming_delegations",
            "agreement": "agreements",
            "twinningrelation": "twinning",
            "bordercooperation": "border_cooperation",
            "borderoutreachsession": "border_outreach",
            "mediaproduct": "media",
            "eventparticipation": "events",
            "annualplan": "annual_plans",
        }[record._meta.model_name]
        for view in ("edit", "inspect", "history", "usage", "import"):
            args = [] if view == "import" else [record.pk]
            urls.append(reverse(f"registers_{name}:{view}", args=args))
        urls.append(reverse(f"registers_{name}:delete", args=[record.pk]) + "?")
    return urls


@pytest.mark.parametrize(
    ("who", "role", "unit"),
    [
        ("phongvien", "reporter", "unit_a"),
        ("bientap", "editor", "unit_a"),
        ("lanhdao", "approver", "province"),
        ("quantri", "administrator", None),
    ],
)
def test_register_screens_have_no_untranslated_strings(client, office, who, role, unit):
    records = fill_registers(office)
    user = office.officer(who, unit=getattr(office, unit) if unit else None, role=role)
    client.force_login(user)
    chrome = other_apps_chrome(client)
    with record_missed_strings() as missed:
        visited, errors = crawl_admin(client, missed, start=start_urls(records), limit=400)
    assert errors == []
    assert len(visited) > 40
    ours = missed_here(missed, chrome)
    report = "\n".join(f"{text!r} on {sorted(urls)[0]}" for text, urls in sorted(ours.items()))
    assert not ours, f"{len(ours)} untranslated strings:\n{report}"


def test_delete_copy_and_refusal_screens_are_vietnamese(client, office):
    records = fill_registers(office)
    admin = office.officer("quantri_don_vi", unit=office.unit_a, role="administrator")
    client.force_login(admin)
    chrome = other_apps_chrome(client)
    with record_missed_strings() as missed:
        for record in records[:3]:
            viewset = next(
                v() for v in RegistersGroup.items if getattr(v, "model", None) is type(record)
            )
            for view in ("delete", "copy"):
                missed.current_url = f"{view} {record._meta.model_name}"
                response = client.get(reverse(viewset.get_url_name(view), args=[record.pk]))
                assert response.status_code == 200
        client.force_login(office.users["b"])
        missed.current_url = "refused"
        response = client.get(
            reverse("registers_press_events:edit", args=[records[0].pk]), follow=True
        )
        assert "bạn không có quyền truy cập khu vực này" in response.content.decode()
    assert not missed_here(missed, chrome), sorted(missed_here(missed, chrome))


def test_import_preview_and_errors_are_vietnamese(client, office):
    import io

    from openpyxl import Workbook

    client.force_login(office.users["a"])
    chrome = other_apps_chrome(client)
    workbook = Workbook()
    workbook.active.append(["Loại", "Tiêu đề", "Ngày", "Người phát ngôn"])
    workbook.active.append(["Họp báo", "Tuần 1", "99/99/2024", ""])
    workbook.active.append(["Giao ban báo chí hằng tuần", "Tuần 2", "04/03/2024", "An"])
    out = io.BytesIO()
    workbook.save(out)
    url = reverse("registers_press_events:import")
    with record_missed_strings() as missed:
        for rows in ("bad", "good"):
            data = io.BytesIO(out.getvalue())
            if rows == "good":
                good = Workbook()
                good.active.append(["Loại", "Tiêu đề", "Ngày", "Người phát ngôn", "Cột lạ"])
                good.active.append(["Giao ban báo chí hằng tuần", "Tuần 2", "04/03/2024", "An", 1])
                data = io.BytesIO()
                good.save(data)
                data.seek(0)
            data.name = "hop-bao.xlsx"
            missed.current_url = f"{url} ({rows})"
            html = client.post(url, {"file": data}).content.decode()
            if rows == "bad":
                assert "Nhập ngày theo dạng dd/mm/yyyy." in html
                assert "Cần nhập giá trị này." in html
            else:
                assert "Xác nhận nhập dữ liệu" in html
                assert "cột lạ" in html
    assert not missed_here(missed, chrome), sorted(missed_here(missed, chrome))
