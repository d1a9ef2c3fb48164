"""The audit log (Nhật ký thao tác, issue #12): every change to register records, reports,
monitoring sources, alert rules, response cases, users and groups leaves an entry with the
right person, action, object, changed fields and client address; only those allowed read the
log; nobody changes it; the screen lists and filters in Vietnamese with dd/mm/yyyy dates."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.audit import actions
from doingoai.audit.context import bound_request
from doingoai.audit.signals import LogEntryImmutableError
from doingoai.monitoring.models import Source
from doingoai.monitoring.services import monitoring_grant_permissions
from doingoai.registers.models import OutgoingDelegation, PressEvent, Unit, UnitMembership
from doingoai.registers.services import registers_grant_permissions
from doingoai.reports import services as report_services
from doingoai.reports.periods import Period
from doingoai.responses.models import AlertRule, ResponseCase
from doingoai.responses.services import case_open, responses_grant_permissions
from tests.factories import PASSWORD
from tests.registers.factories import PressEventFactory, UnitFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
AUDIT_URL = "/quan-tri/nhat-ky-thao-tac/"


@pytest.fixture
def office(db):
    roles_sync()
    registers_grant_permissions()
    monitoring_grant_permissions()
    responses_grant_permissions()
    unit = UnitFactory(name="Sở Ngoại vụ", kind=Unit.Kind.DEPARTMENT, is_province_level=True)
    users = {}
    names = {"reporter": "An", "editor": "Bình", "approver": "Chi", "administrator": "Minh"}
    for role, given in names.items():
        users[role] = user_create_with_role(
            username=f"nk_{role}", password=PASSWORD, role=role, email=f"nk_{role}@laocai.gov.vn"
        )
        users[role].first_name, users[role].last_name = given, "Trần Văn"
        users[role].save()
        UnitMembership.objects.create(user=users[role], unit=unit)
    return {"unit": unit, "users": users}


def entries(instance=None, action=None):
    queryset = ModelLogEntry.objects.all()
    if instance is not None:
        queryset = queryset.filter(object_id=str(instance.pk))
    if action is not None:
        queryset = queryset.filter(action=action)
    return list(queryset.order_by("timestamp", "pk"))


def last(instance, action):
    found = entries(instance, action)
    assert found, f"no {action} entry for {instance!r}"
    return found[-1]


def assert_entry(entry, *, user, action):
    assert entry.action == action
    assert entry.user_id == user.pk
    assert entry.data.get("client_address") == ADDRESS


def form_data(html: str, action: str | None = None) -> dict:
    """The fields of the page's main form, as a browser would post them unchanged."""
    soup = BeautifulSoup(html, "lxml")
    forms = soup.find_all("form", method=lambda m: m and m.lower() == "post")
    if action:
        forms = [f for f in forms if (f.get("action") or "").endswith(action)] or forms
    form = max(forms, key=lambda f: len(f.find_all(["input", "select", "textarea"])))
    data: dict = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            data[name] = element.text
        elif element.name == "select":
            chosen = [
                o.get("value", "") for o in element.find_all("option") if o.has_attr("selected")
            ]
            if element.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else ""
        else:
            kind = element.get("type", "text")
            if kind in ("checkbox", "radio"):
                if element.has_attr("checked"):
                    data.setdefault(name, []).append(element.get("value", "on"))
            elif kind not in ("submit", "button", "file", "image"):
                data[name] = element.get("value", "")
    return data


def post(client, url, data, **extra):
    return client.post(url, data, REMOTE_ADDR=ADDRESS, **extra)


def get(client, url, **extra):
    return client.get(url, REMOTE_ADDR=ADDRESS, **extra)


# --- register records -----------------------------------------------------------------------


def test_register_record_create_edit_delete_with_changed_fields(client, office):
    editor = office["users"]["administrator"]
    client.force_login(editor)
    add_url = reverse("registers_press_events:add")
    data = form_data(get(client, add_url).content.decode())
    data.update(
        {
            "unit": office["unit"].pk,
            "kind": PressEvent.Kind.choices[0][0],
            "held_on": "30/11/2026",
            "title": "Họp báo quý IV",
            "spokesperson": "Nguyễn Văn An",
        }
    )
    response = post(client, add_url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = PressEvent.objects.get(title="Họp báo quý IV")
    assert_entry(last(event, "wagtail.create"), user=editor, action="wagtail.create")

    edit_url = reverse("registers_press_events:edit", args=[event.pk])
    data = form_data(get(client, edit_url).content.decode(), action=edit_url)
    data.update({"title": "Họp báo thường kỳ quý IV", "held_on": "01/12/2026"})
    response = post(client, edit_url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry = last(event, "wagtail.edit")
    assert_entry(entry, user=editor, action="wagtail.edit")
    changes = {change["field"]: change for change in entry.data["changes"]}
    assert set(changes) == {"title", "held_on"}
    assert changes["title"]["old"] == "Họp báo quý IV"
    assert changes["title"]["new"] == "Họp báo thường kỳ quý IV"
    assert (changes["held_on"]["old"], changes["held_on"]["new"]) == ("30/11/2026", "01/12/2026")

    delete_url = reverse("registers_press_events:delete", args=[event.pk])
    assert post(client, delete_url, {}).status_code == 302
    assert not PressEvent.objects.filter(pk=event.pk).exists()
    entry = last(event, "wagtail.delete")
    assert_entry(entry, user=editor, action="wagtail.delete")
    assert entry.label.startswith("Họp báo thường kỳ quý IV")


def test_register_import_and_export_are_logged(client, office):
    from openpyxl import Workbook

    editor = office["users"]["editor"]
    client.force_login(editor)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nước đến", "Mục đích", "Trưởng đoàn", "Ngày đi", "Ngày về"])
    sheet.append(["Lào", "Hội đàm", "Trưởng đoàn 1", "01/04/2024", "03/04/2024"])
    sheet.append(["Trung Quốc", "Hội chợ", "Trưởng đoàn 2", "05/04/2024", "07/04/2024"])
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "doan-ra.xlsx"
    url = reverse("registers_outgoing_delegations:import")
    preview = post(client, url, {"file": upload})
    token = preview.context["token"]
    assert post(client, url, {"token": token, "confirm": "1"}).status_code == 302
    delegations = list(OutgoingDelegation.objects.order_by("start_date"))
    assert len(delegations) == 2
    for row, delegation in enumerate(delegations, start=2):
        entry = last(delegation, actions.IMPORT)
        assert_entry(entry, user=editor, action=actions.IMPORT)
        assert entry.data["file"] == "doan-ra.xlsx" and entry.data["row"] == row
    assert len({e.uuid for e in entries(action=actions.IMPORT)}) == 1  # one import, one id

    response = get(client, reverse("registers_outgoing_delegations:index") + "?export=csv")
    assert response.status_code == 200
    assert "Trưởng đoàn 1" in b"".join(response.streaming_content).decode()
    entry = entries(action=actions.EXPORT)[-1]
    assert_entry(entry, user=editor, action=actions.EXPORT)
    assert entry.content_type.model_class() is OutgoingDelegation
    assert entry.data["rows"] == 2 and entry.data["format"] == "csv"
    assert "2 bản ghi" in str(entry.message) and "CSV" in str(entry.message)


# --- reports ----------------------------------------------------------------------------------


def test_report_finalise_reopen_and_downloads(client, office):
    leader = office["users"]["approver"]
    client.force_login(leader)
    report = report_services.report_create(
        user=leader, period=Period.quarter(2025, 2), unit=office["unit"]
    )
    status = "reports:status"
    assert post(client, reverse(status, args=[report.pk, "finalise"]), {}).status_code == 302
    assert_entry(last(report, actions.FINALISE), user=leader, action=actions.FINALISE)
    assert post(client, reverse(status, args=[report.pk, "reopen"]), {}).status_code == 302
    assert_entry(last(report, actions.REOPEN), user=leader, action=actions.REOPEN)
    for fmt in ("docx", "xlsx", "pdf"):
        response = get(client, reverse("reports:download", args=[report.pk, fmt]))
        assert response.status_code == 200
    downloads = entries(report, actions.DOWNLOAD)
    assert [e.data["format"] for e in downloads] == ["docx", "xlsx", "pdf"]
    for entry in downloads:
        assert_entry(entry, user=leader, action=actions.DOWNLOAD)
    assert str(downloads[-1].message) == "Tải về dạng PDF"

    edit = reverse("reports:edit", args=[report.pk])
    data = form_data(get(client, edit).content.decode(), action=edit)
    data["signer_name"] = "Lò Văn Bình"
    response = post(client, edit, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk]), response["Location"]
    entry = last(report, "wagtail.edit")
    assert_entry(entry, user=leader, action="wagtail.edit")
    assert [c["field"] for c in entry.data["changes"]] == ["signer_name"]
    assert entry.data["changes"][0]["new"] == "Lò Văn Bình"


# --- monitoring, alert rules, response cases ---------------------------------------------------


def test_monitoring_source_and_fetch_now(client, office, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    admin = office["users"]["administrator"]
    client.force_login(admin)
    add_url = reverse("monitoring_sources:add")
    data = form_data(get(client, add_url).content.decode())
    data.update(
        {
            "name": "Báo Lào Cai",
            "kind": Source.Kind.FEED,
            "url": "https://baolaocai.example.vn/rss",
            "fetch_interval_minutes": "30",
            "active": "on",
        }
    )
    assert post(client, add_url, data).status_code == 302
    source = Source.objects.get(name="Báo Lào Cai")
    assert_entry(last(source, "wagtail.create"), user=admin, action="wagtail.create")

    edit_url = reverse("monitoring_sources:edit", args=[source.pk])
    data = form_data(get(client, edit_url).content.decode(), action=edit_url)
    data["fetch_interval_minutes"] = "15"
    assert post(client, edit_url, data).status_code == 302
    entry = last(source, "wagtail.edit")
    assert entry.data["changes"] == [
        {
            "field": "fetch_interval_minutes",
            "label": entry.data["changes"][0]["label"],
            "old": "30",
            "new": "15",
        }
    ]
    editor = office["users"]["editor"]
    client.force_login(editor)
    post(client, reverse("monitoring_fetch_now", args=[source.pk]), {})
    assert_entry(last(source, actions.FETCH_NOW), user=editor, action=actions.FETCH_NOW)


def test_alert_rules_and_response_cases(client, office):
    leader = office["users"]["approver"]
    client.force_login(leader)
    add_url = reverse("responses_rules:add")
    data = form_data(get(client, add_url).content.decode())
    data.update(
        {
            "name": "Tin xấu lan nhanh",
            "min_risk": "0.7",
            "max_per_hour": "5",
            "cooldown_mentions": "10",
            "active": "on",
        }
    )
    response = post(client, add_url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    rule = AlertRule.objects.get(name="Tin xấu lan nhanh")
    assert_entry(last(rule, "wagtail.create"), user=leader, action="wagtail.create")
    edit_url = reverse("responses_rules:edit", args=[rule.pk])
    data = form_data(get(client, edit_url).content.decode(), action=edit_url)
    data["min_risk"] = "0.8"
    assert post(client, edit_url, data).status_code == 302
    change = last(rule, "wagtail.edit").data["changes"][0]
    assert (change["field"], change["new"]) == ("min_risk", "0.8")

    with bound_request(_request(leader)):
        case = case_open(user=leader, title="Tin sai về cửa khẩu", agency=office["unit"])
    assert_entry(last(case, "wagtail.create"), user=leader, action="wagtail.create")
    url = reverse("responses_cases:transition", args=[case.pk])
    assert (
        post(client, url, {"to": ResponseCase.Status.VERIFYING, "comment": ""}).status_code == 302
    )
    entry = last(case, actions.CASE_STATUS)
    assert_entry(entry, user=leader, action=actions.CASE_STATUS)
    assert str(entry.message) == "Chuyển từ “Mới” sang “Đang xác minh”"
    post(client, reverse("responses_cases:comment", args=[case.pk]), {"comment": "Đã liên hệ"})
    assert_entry(last(case, actions.CASE_COMMENT), user=leader, action=actions.CASE_COMMENT)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    request.user = user
    return request


# --- users and roles ---------------------------------------------------------------------------


def test_user_groups_and_fields_changed_in_the_admin(client, office):
    admin = office["users"]["administrator"]
    reporter = office["users"]["reporter"]
    client.force_login(admin)
    url = reverse("wagtailusers_users:edit", args=[reporter.pk])
    data = form_data(get(client, url).content.decode(), action=url)
    editors = Group.objects.get(name="Biên tập viên")
    data["groups"] = [str(editors.pk)]
    data["email"] = "phongvien.moi@laocai.gov.vn"
    response = post(client, url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    entry = last(reporter, "wagtail.edit")
    assert_entry(entry, user=admin, action="wagtail.edit")
    changes = {change["field"]: change for change in entry.data["changes"]}
    assert changes["groups"]["added"] == ["Biên tập viên"]
    assert changes["groups"]["removed"] == ["Phóng viên"]
    assert changes["email"]["new"] == "phongvien.moi@laocai.gov.vn"
    assert len(entries(reporter, "wagtail.edit")) == 1  # one edit, one entry


def test_group_permissions_changed_in_the_admin(client, office):
    admin = office["users"]["administrator"]
    client.force_login(admin)
    group = Group.objects.get(name="Phóng viên")
    url = reverse("wagtailusers_groups:edit", args=[group.pk])
    data = form_data(get(client, url).content.decode(), action=url)
    permission = Permission.objects.get(codename="view_auditlog")
    data.setdefault("permissions", [])
    data["permissions"] = [*data["permissions"], str(permission.pk)]
    response = post(client, url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert group.permissions.filter(pk=permission.pk).exists()
    found = [
        change
        for entry in entries(group, "wagtail.edit")
        for change in entry.data.get("changes", [])
        if change["field"] == "permissions"
    ]
    assert found and found[0]["added"] == ["audit.view_auditlog"]
    assert_entry(last(group, "wagtail.edit"), user=admin, action="wagtail.edit")


def test_password_change_outside_the_edit_form_is_logged_once_committed(
    office, django_capture_on_commit_callbacks
):
    reporter = office["users"]["reporter"]
    with bound_request(_request(reporter)) as state:
        with django_capture_on_commit_callbacks(execute=True):
            reporter.set_password("mat-khau-moi-2026!")
            reporter.save()
        from doingoai.audit.changes import flush_pending

        flush_pending(state)
    entry = last(reporter, "wagtail.edit")
    assert entry.data["changes"] == [{"field": "password", "label": "Mật khẩu"}]
    assert entry.user_id == reporter.pk and entry.data["client_address"] == ADDRESS


def test_sign_in_entries_carry_the_address(client, office):
    user = office["users"]["editor"]
    response = client.post(
        "/quan-tri/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert_entry(last(user, "doingoai.login"), user=user, action="doingoai.login")


# --- who may read it, and nobody may change it -------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("reporter", False), ("editor", False), ("approver", False), ("administrator", True)],
)
def test_only_those_allowed_read_the_log(client, office, role, allowed):
    client.force_login(office["users"][role])
    response = client.get(AUDIT_URL)
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code == 302  # Wagtail's "permission denied" back to the dashboard
    menu = client.get("/quan-tri/").content.decode()
    assert ("nhat-ky-thao-tac" in menu) is allowed
    # Wagtail's own "Site history" now leads to the same screen (and the same refusal).
    site_history = client.get("/quan-tri/reports/site-history/?action=wagtail.edit")
    assert site_history.status_code == 302
    assert site_history["Location"] == f"{AUDIT_URL}?action=wagtail.edit"


def test_entries_cannot_be_changed(client, office):
    admin = office["users"]["administrator"]
    with bound_request(_request(admin)):
        event = PressEventFactory(unit=office["unit"])
        from doingoai.audit.services import audit_log

        entry = audit_log(event, "wagtail.edit", user=admin)
    client.force_login(admin)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(AUDIT_URL)
        assert response.status_code == 405, method
    for address in (f"{AUDIT_URL}{entry.pk}/", f"{AUDIT_URL}{entry.pk}/edit/"):
        assert client.get(address, follow=True).status_code == 404
    entry.label = "đã sửa"
    for attempt in (entry.save, entry.delete, ModelLogEntry.objects.filter(pk=entry.pk).delete):
        with pytest.raises(LogEntryImmutableError), transaction.atomic():
            attempt()
    assert ModelLogEntry.objects.get(pk=entry.pk).label != "đã sửa"
    # Nobody holds a permission to add, change or delete entries.
    codenames = set(
        Permission.objects.filter(content_type__app_label="audit").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_auditlog"}


# --- the screen ---------------------------------------------------------------------------------


def test_the_screen_lists_and_filters_in_vietnamese(client, office):
    admin = office["users"]["administrator"]
    editor = office["users"]["editor"]
    with bound_request(_request(editor)):
        event = PressEventFactory(unit=office["unit"], title="Giao ban tuần 48")
        from doingoai.audit.services import audit_log

        audit_log(event, "wagtail.create", user=editor)
        audit_log(
            event,
            "wagtail.edit",
            user=editor,
            changes=[{"field": "title", "label": "Tiêu đề", "old": "A", "new": "B"}],
        )
    old = ModelLogEntry.objects.create(
        content_type_id=last(event, "wagtail.create").content_type_id,
        object_id=str(event.pk),
        label="Giao ban cũ",
        action="wagtail.create",
        user=admin,
        timestamp=timezone.now() - timedelta(days=40),
    )
    client.force_login(admin)
    html = client.get(AUDIT_URL).content.decode()
    for heading in (
        "Nhật ký thao tác",
        "Thời gian",
        "Người thực hiện",
        "Thao tác",
        "Loại đối tượng",
        "Đối tượng",
        "Thay đổi",
        "Địa chỉ IP",
    ):
        assert heading in html, heading
    assert "Giao ban tuần 48" in html and "Giao ban cũ" in html
    assert "Tiêu đề: A → B" in html
    assert ADDRESS in html
    assert timezone.localtime(old.timestamp).strftime("%d/%m/%Y") in html

    def listed(query):
        page = client.get(f"{AUDIT_URL}?{query}").content.decode()
        return "Giao ban tuần 48" in page, "Giao ban cũ" in page

    assert listed(f"user={editor.pk}") == (True, False)
    assert listed("action=wagtail.edit") == (True, False)
    today = timezone.localdate()
    start = (today - timedelta(days=1)).strftime("%d/%m/%Y")
    assert listed(f"timestamp_from={start}&timestamp_to={today:%d/%m/%Y}") == (True, False)
    earlier = (today - timedelta(days=41)).strftime("%d/%m/%Y")
    before = (today - timedelta(days=39)).strftime("%d/%m/%Y")
    assert listed(f"timestamp_from={earlier}&timestamp_to={before}") == (False, True)
    assert listed(f"client_address={ADDRESS}") == (True, False)
    content_type = old.content_type_id
    assert listed(f"object_type={content_type}") == (True, True)
    # The filters speak Vietnamese and dates are typed dd/mm/yyyy.
    assert "Khoảng ngày" in html and "Loại đối tượng" in html

    export = client.get(f"{AUDIT_URL}?export=csv&user={editor.pk}")
    text = b"".join(export.streaming_content).decode()
    assert "Địa chỉ IP" in text and ADDRESS in text and "Giao ban cũ" not in text
    exported = entries(action=actions.EXPORT)[-1]
    assert exported.user_id == admin.pk


def test_page_actions_keep_wagtail_entries_with_the_address(client, portal):
    """Pages keep Wagtail's own entries (publish, edit…); they gain the address."""
    approver = portal.users["approver"]
    client.force_login(approver)
    article = portal.articles[0]
    url = reverse("wagtailadmin_pages:unpublish", args=[article.pk])
    assert post(client, url, {}).status_code == 302
    entry = PageLogEntry.objects.filter(page=article, action="wagtail.unpublish").latest("pk")
    assert entry.user_id == approver.pk
    assert entry.data["client_address"] == ADDRESS


def test_behind_the_proxy_the_address_is_the_clients(client, office, settings):
    """The address comes from doingoai.core.client_address, as sign-in throttling reads it:
    X-Forwarded-For only from a trusted proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    user = office["users"]["editor"]
    sign_in = {"username": user.username, "password": PASSWORD}
    client.post(
        "/quan-tri/login/", sign_in, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.23"
    )
    assert last(user, "doingoai.login").data["client_address"] == "198.51.100.23"
    client.logout()
    client.post(
        "/quan-tri/login/", sign_in, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert last(user, "doingoai.login").data["client_address"] == "192.0.2.50"
