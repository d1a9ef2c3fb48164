"""Role permissions, the annual plan with its targets, listing filters and search."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from doingoai.accounts.services import roles_sync
from doingoai.registers.indicators import Indicator
from doingoai.registers.models import AnnualPlan
from doingoai.registers.services import registers_grant_permissions

from .factories import AnnualPlanFactory, OutgoingDelegationFactory, PressEventFactory

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return set(
        group.permissions.filter(content_type__app_label="registers").values_list(
            "codename", flat=True
        )
    )


@pytest.mark.parametrize("group", ["Phóng viên", "Biên tập viên", "Lãnh đạo duyệt"])
def test_staff_roles_view_add_change_but_do_not_delete(office, group):
    granted = codenames(group)
    assert {"view_pressevent", "add_pressevent", "change_pressevent"} <= granted
    assert {"view_annualplan", "add_annualplan", "change_annualplan"} <= granted
    assert not any(code.startswith("delete_") for code in granted)
    assert not any(code.endswith(("_unit", "_unitmembership")) for code in granted)


def test_administrators_get_everything_and_granting_is_idempotent(office):
    registers_grant_permissions()
    registers_grant_permissions()
    granted = codenames("Quản trị viên")
    assert {"delete_pressevent", "delete_unit", "add_unitmembership"} <= granted
    # Other permissions of the role (kept by accounts.roles_sync) are left alone.
    group = Group.objects.get(name="Quản trị viên")
    assert group.permissions.filter(codename="access_admin").exists()


def test_roles_sync_keeps_the_registers_permissions(office):
    registers_grant_permissions()
    roles_sync()  # additive: re-syncing the accounts roles takes nothing away
    assert "change_pressevent" in codenames("Biên tập viên")


def test_annual_plan_with_targets_through_the_back_office(client, office):
    client.force_login(office.users["a"])
    data = {
        "unit": office.unit_a.pk,
        "year": "2025",
        "title": "Kế hoạch thông tin đối ngoại năm 2025",
        "notes": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-indicator": Indicator.PRESS_BRIEFINGS,
        "targets-0-target": "50",
        "targets-0-id": "",
        "targets-0-ORDER": "1",
        "targets-0-DELETE": "",
        "targets-1-indicator": Indicator.OUTREACH_RESIDENTS,
        "targets-1-target": "55000",
        "targets-1-id": "",
        "targets-1-ORDER": "2",
        "targets-1-DELETE": "",
    }
    response = client.post(reverse("registers_annual_plans:add"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    plan = AnnualPlan.objects.get()
    assert {t.indicator: t.target for t in plan.targets.all()} == {
        "press_briefings": 50,
        "outreach_residents": 55000,
    }

    data["targets-1-target"] = "-1"
    data["year"] = "2026"
    response = client.post(reverse("registers_annual_plans:add"), data)
    assert response.status_code == 200
    assert "Số lượng không được là số âm." in response.content.decode()

    AnnualPlanFactory(unit=office.unit_a, year=2027)
    data.update({"year": "2027", "targets-1-target": "1"})
    response = client.post(reverse("registers_annual_plans:add"), data)
    assert "Đơn vị này đã có kế hoạch cho năm này." in response.content.decode()


def test_listing_filters_and_search(client, office):
    from datetime import date

    OutgoingDelegationFactory(
        unit=office.unit_a,
        destination_country="Mông Cổ",
        start_date=date(2024, 1, 5),
        end_date=date(2024, 1, 6),
    )
    OutgoingDelegationFactory(
        unit=office.unit_a,
        destination_country="Hàn Quốc",
        start_date=date(2024, 6, 5),
        end_date=date(2024, 6, 9),
    )
    client.force_login(office.users["province"])
    index = reverse("registers_outgoing_delegations:index")
    html = client.get(index, {"q": "Hàn"}).content.decode()
    assert "Hàn Quốc" in html and "Mông Cổ" not in html
    html = client.get(
        index, {"start_date_from": "01/05/2024", "start_date_to": "31/12/2024"}
    ).content.decode()
    assert "Hàn Quốc" in html and "Mông Cổ" not in html


def test_unit_filter_offers_only_the_users_units(client, office):
    PressEventFactory(unit=office.unit_a)
    client.force_login(office.users["a"])
    html = client.get(reverse("registers_press_events:index")).content.decode()
    assert office.unit_a.name in html
    assert office.unit_b.name not in html


def _in_menu(html: str, label: str) -> bool:
    import json

    return json.dumps(label)[1:-1] in html


def test_menu_group_for_staff_and_administrators(client, office):
    client.force_login(office.users["a"])
    html = client.get("/quan-tri/").content.decode()
    assert _in_menu(html, "Sổ theo dõi đối ngoại")
    assert _in_menu(html, "Câu hỏi báo chí quá hạn")
    assert _in_menu(html, "Đoàn vào")
    assert not _in_menu(html, "Thành viên đơn vị")  # administrators only

    admin = office.officer("quan_tri", unit=None, role="administrator")
    client.force_login(admin)
    assert _in_menu(client.get("/quan-tri/").content.decode(), "Thành viên đơn vị")


def test_no_registers_menu_without_the_permissions(client, office):
    from django.contrib.auth.models import Permission

    for group in office.users["a"].groups.all():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="registers"))
    client.force_login(office.users["a"])
    html = client.get("/quan-tri/").content.decode()
    assert not _in_menu(html, "Sổ theo dõi đối ngoại")


@pytest.mark.parametrize(
    ("register", "factory_name"),
    [
        ("press_questions", "PressQuestionFactory"),
        ("incoming_delegations", "IncomingDelegationFactory"),
        ("press_events", "PressEventFactory"),
    ],
)
def test_listing_queries_do_not_grow_with_records(client, office, register, factory_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from . import factories

    factory = getattr(factories, factory_name)

    def make(n):
        for _ in range(n):
            if factory_name == "PressQuestionFactory":
                factory(event=factories.PressEventFactory(unit=office.unit_a))
            elif factory_name == "IncomingDelegationFactory":
                factory(unit=office.unit_a, host_unit=office.unit_b)
            else:
                factory(unit=office.unit_a)

    client.force_login(office.users["province"])
    index = reverse(f"registers_{register}:index")
    make(2)
    client.get(index)
    with CaptureQueriesContext(connection) as few:
        client.get(index)
    make(8)
    with CaptureQueriesContext(connection) as many:
        client.get(index)
    assert len(many) == len(few)
