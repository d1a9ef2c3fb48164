"""Unit scoping through the back-office screens: a unit's officers reach only their unit's
records, province-level staff reach all of them; deleting needs the administrator role."""

from datetime import date

import pytest
from django.urls import reverse

from doingoai.registers.models import OutgoingDelegation, PressEvent

from .factories import OutgoingDelegationFactory, PressEventFactory, UnitFactory

pytestmark = pytest.mark.django_db

OTHER_UNIT = "Bạn chỉ được ghi sổ cho đơn vị của mình."


def event_form(unit, **extra):
    data = {
        "unit": unit.pk,
        "kind": "weekly_briefing",
        "held_on": "11/03/2024",
        "title": "Giao ban báo chí tuần 11",
        "spokesperson": "Nguyễn Văn An",
        "topics": "Du lịch",
    }
    data.update(extra)
    return data


def delegation_form(unit, **extra):
    data = {
        "unit": unit.pk,
        "destination_country": "Lào",
        "destination_place": "Luông Pha-băng",
        "purpose": "Xúc tiến đầu tư",
        "head": "Giám đốc Sở Ngoại vụ",
        "officials_count": "6",
        "others_count": "1",
        "start_date": "02/09/2024",
        "end_date": "06/09/2024",
        "authorising_document": "123/QĐ-UBND",
    }
    data.update(extra)
    return data


REGISTERS = {
    "press_events": (PressEvent, PressEventFactory, event_form, "title"),
    "outgoing_delegations": (
        OutgoingDelegation,
        OutgoingDelegationFactory,
        delegation_form,
        "purpose",
    ),
}

# Who, among: officer of unit A, officer of unit B, province-level officer — for a record of A.
CAN_SEE = {"a": True, "b": False, "province": True}


def refused(response) -> bool:
    """Wagtail answers a missing permission by sending the user to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def url(register: str, view: str, *args) -> str:
    return reverse(f"registers_{register}:{view}", args=args)


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("who", ["a", "b", "province"])
def test_view_and_change(client, office, register, who):
    _model, factory, form, text_field = REGISTERS[register]
    record = factory(unit=office.unit_a)
    client.force_login(office.users[who])

    listing = client.get(url(register, "index"))
    assert listing.status_code == 200
    assert (str(record) in listing.content.decode()) is CAN_SEE[who]

    for view in ("edit", "inspect", "history", "usage"):
        response = client.get(url(register, view, record.pk))
        if CAN_SEE[who]:
            assert response.status_code == 200, view
        else:
            assert refused(response), view

    response = client.post(
        url(register, "edit", record.pk), form(office.unit_a, **{text_field: "Đã sửa"})
    )
    record.refresh_from_db()
    if CAN_SEE[who]:
        assert response.status_code == 302
        assert getattr(record, text_field) == "Đã sửa"
    else:
        assert refused(response)
        assert getattr(record, text_field) != "Đã sửa"


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize("who", ["a", "b", "province"])
def test_add_for_unit_a(client, office, register, who):
    model, _factory, form, _text = REGISTERS[register]
    client.force_login(office.users[who])
    response = client.post(url(register, "add"), form(office.unit_a))
    if CAN_SEE[who]:
        assert response.status_code == 302
        record = model.objects.get()
        assert record.unit == office.unit_a
        assert record.created_by == office.users[who]
    else:
        assert response.status_code == 200
        assert OTHER_UNIT in response.content.decode()
        assert not model.objects.exists()


@pytest.mark.parametrize("register", REGISTERS)
def test_add_form_defaults_to_the_users_unit_and_offers_only_it(client, office, register):
    client.force_login(office.users["b"])
    html = client.get(url(register, "add")).content.decode()
    assert f'<option value="{office.unit_b.pk}" selected>' in html
    assert office.unit_a.name not in html


def test_province_level_staff_choose_any_unit(client, office):
    client.force_login(office.users["province"])
    html = client.get(url("press_events", "add")).content.decode()
    for unit in (office.unit_a, office.unit_b, office.province):
        assert unit.name in html


@pytest.mark.parametrize("register", REGISTERS)
@pytest.mark.parametrize(
    ("who", "role", "unit", "allowed"),
    [
        ("editor_a", "editor", "unit_a", False),
        ("approver_a", "approver", "unit_a", False),
        ("reporter_a", "reporter", "unit_a", False),
        ("admin_a", "administrator", "unit_a", True),
        ("admin_b", "administrator", "unit_b", False),
        ("admin_province", "administrator", "province", True),
    ],
)
def test_delete(client, office, register, who, role, unit, allowed):
    model, factory, _form, _text = REGISTERS[register]
    record = factory(unit=office.unit_a)
    user = office.officer(who, unit=getattr(office, unit), role=role)
    user.is_superuser = False  # an administrator by group, scoped by unit
    user.save()
    client.force_login(user)
    response = client.post(url(register, "delete", record.pk))
    if allowed:
        assert response.status_code == 302
        assert not model.objects.filter(pk=record.pk).exists()
    else:
        assert refused(response)
        assert model.objects.filter(pk=record.pk).exists()


def test_superuser_sees_everything(client, office):
    PressEventFactory(unit=office.unit_a, title="Họp báo A")
    PressEventFactory(unit=office.unit_b, title="Họp báo B")
    admin = office.officer("sieu_quan_tri", unit=None, role="administrator")
    client.force_login(admin)
    html = client.get(url("press_events", "index")).content.decode()
    assert "Họp báo A" in html and "Họp báo B" in html


def test_user_without_a_unit_sees_nothing_and_cannot_file(client, office):
    PressEventFactory(unit=office.unit_a, title="Họp báo A")
    client.force_login(office.users["nobody"])
    html = client.get(url("press_events", "index")).content.decode()
    assert "Họp báo A" not in html
    response = client.post(url("press_events", "add"), event_form(office.unit_a))
    assert response.status_code == 200
    assert OTHER_UNIT in response.content.decode()
    assert PressEvent.objects.count() == 1


def test_anonymous_and_roleless_users_are_kept_out(client, office):
    assert client.get(url("press_events", "index")).status_code == 302  # to sign in
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url("press_events", "index")).status_code in (302, 403)


def test_units_and_memberships_are_for_administrators_only(client, office):
    client.force_login(office.users["province"])
    assert client.get(url("unit_memberships", "index")).status_code in (302, 403)
    assert client.get(url("units", "add")).status_code in (302, 403)


def test_dates_are_entered_day_first(client, office):
    client.force_login(office.users["a"])
    client.post(url("press_events", "add"), event_form(office.unit_a, held_on="05/03/2024"))
    assert PressEvent.objects.get().held_on == date(2024, 3, 5)


def test_form_shows_validation_messages_in_vietnamese(client, office):
    client.force_login(office.users["a"])
    response = client.post(
        url("outgoing_delegations", "add"),
        delegation_form(office.unit_a, officials_count="-2", end_date="01/09/2024"),
    )
    html = response.content.decode()
    assert "Số lượng không được là số âm." in html
    assert "Ngày kết thúc không được trước ngày bắt đầu." in html
    assert not OutgoingDelegation.objects.exists()


def test_copying_a_record_creates_a_new_one_for_the_users_unit(client, office):
    original = PressEventFactory(unit=office.unit_a, title="Giao ban tuần 10")
    client.force_login(office.users["a"])
    copy_url = url("press_events", "copy", original.pk)
    form = client.get(copy_url)
    assert form.status_code == 200
    assert form.context["action_url"] == url("press_events", "add")
    assert 'value="Giao ban tuần 10"' in form.content.decode()
    assert client.post(copy_url, event_form(office.unit_a)).status_code == 405
    response = client.post(
        form.context["action_url"], event_form(office.unit_a, title="Giao ban tuần 11")
    )
    assert response.status_code == 302
    assert set(PressEvent.objects.values_list("title", flat=True)) == {
        "Giao ban tuần 10",
        "Giao ban tuần 11",
    }
    client.force_login(office.users["b"])
    assert refused(client.get(copy_url))


def test_a_unit_with_records_cannot_be_deleted(client, office):
    PressEventFactory(unit=office.unit_b)
    admin = office.officer("quan_tri_xoa", unit=None, role="administrator")
    client.force_login(admin)
    delete_url = url("units", "delete", office.unit_b.pk)
    assert client.get(delete_url).status_code == 200
    response = client.post(delete_url, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    # Refused by Wagtail when the reference index knows the records, by us otherwise.
    assert (
        "vẫn còn bản ghi trong sổ theo dõi nên không thể xoá" in html
        or "bạn không có quyền truy cập khu vực này" in html
    )
    assert type(office.unit_b).objects.filter(pk=office.unit_b.pk).exists()
    # An unused unit goes.
    spare = UnitFactory(name="Đơn vị thử")
    assert client.post(url("units", "delete", spare.pk)).status_code == 302
    assert not type(spare).objects.filter(pk=spare.pk).exists()
