"""The report as a workbook: a summary sheet (header, the indicator table, the breakdowns),
then one sheet per register listing the records of the period that the figures count, the
plan's targets and, for the whole province, the portal items published.

Numbers are stored as numbers (formatted ``#,##0``: LibreOffice and Excel show them with the
reader's separators, 1.234 in Vietnamese), dates as dates shown dd/mm/yyyy. Text is always text:
every cell goes through ``neutralise_workbook`` before saving, so a title, unit, notable event
or any typed value starting with = + - @, a tab or a carriage return is stored as a text cell,
never as a formula (issue #14).
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from doingoai.portal.models import SectionPage
from doingoai.registers.models import (
    Agreement,
    BorderCooperation,
    BorderOutreachSession,
    EventParticipation,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PlanTarget,
    PressEvent,
    PressQuestion,
    PressRelease,
    TwinningRelation,
)
from doingoai.text.spreadsheets import neutralise_workbook

from ..selectors import language_label, period_records, portal_articles
from .document import ReportDocument

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER = "#,##0"
PERCENT = '0.0"%"'
DATE = "DD/MM/YYYY"
BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")
WRAP = Alignment(wrap_text=True, vertical="top")

#: register → the fields listed in its sheet, in order.
REGISTER_SHEETS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (PressEvent, ("unit", "kind", "title", "held_on", "spokesperson", "topics", "agencies")),
    (
        PressQuestion,
        (
            "event",
            "unit",
            "asker",
            "agency",
            "question",
            "assigned_unit",
            "deadline",
            "answer",
            "answered_on",
        ),
    ),
    (PressRelease, ("unit", "title", "issued_on", "summary", "article")),
    (
        OutgoingDelegation,
        (
            "unit",
            "destination_country",
            "destination_place",
            "purpose",
            "head",
            "officials_count",
            "others_count",
            "start_date",
            "end_date",
            "authorising_document",
        ),
    ),
    (
        IncomingDelegation,
        (
            "unit",
            "origin_country",
            "organisation",
            "foreign_visitors",
            "purpose",
            "host_unit",
            "start_date",
            "end_date",
        ),
    ),
    (
        Agreement,
        ("unit", "kind", "title", "parties", "signed_on", "period_start", "period_end", "status"),
    ),
    (
        TwinningRelation,
        ("unit", "local_party", "foreign_party", "country", "established_on", "status", "notes"),
    ),
    (BorderCooperation, ("unit", "kind", "date", "counterpart", "summary")),
    (
        BorderOutreachSession,
        (
            "unit",
            "held_on",
            "commune",
            "border_post",
            "officers_count",
            "residents_reached",
            "topics",
            "legal_documents",
        ),
    ),
    (
        MediaProduct,
        ("unit", "kind", "title", "language", "channel", "quantity", "produced_on"),
    ),
    (
        EventParticipation,
        ("unit", "kind", "name", "place", "country", "start_date", "end_date", "description"),
    ),
)


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    title = capfirst(" ".join(text.split()))[:31]
    candidate, n = title, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def register_sheet_title(model) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return sheet_title(str(model._meta.verbose_name_plural), set())


def _value(record, name: str):
    field = record._meta.get_field(name)
    if field.many_to_many:
        return "; ".join(str(item) for item in getattr(record, name).all())
    value = getattr(record, name)
    if value is None:
        return None
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, models.Model):
        return str(value)
    return value


def _header_row(sheet, headers: list[str], row: int = 1) -> None:
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _style_value(cell) -> None:
    if isinstance(cell.value, bool):
        return
    if isinstance(cell.value, int | float):
        cell.number_format = NUMBER
    elif isinstance(cell.value, dt.date):
        cell.number_format = DATE
    else:
        cell.alignment = WRAP


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _summary(sheet, doc: ReportDocument) -> None:
    f = doc.figures
    words = doc.words
    lines = [
        doc.superior_body,
        doc.issuing_body,
        doc.reference,
        doc.national_name,
        doc.motto,
        doc.date_line,
        f"{doc.document_type} {doc.subject}",
        f"{words['scope']}: {f.scope_name}",
        f"{words['period']}: {f.period.label}",
        doc.words["as_of"],
    ]
    row = 1
    for line in lines:
        if line:
            sheet.cell(row=row, column=1, value=line).font = BOLD if row <= 7 else Font()
            row += 1
    row += 1
    header = doc.table_header
    _header_row(sheet, header, row)
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3)
    row += 1
    for group_index, group in enumerate(f.groups, start=1):
        sheet.cell(row=row, column=1, value=group_index).font = BOLD
        sheet.cell(row=row, column=2, value=group.title).font = BOLD
        row += 1
        for figure in group.figures:
            values = [
                ("– " if figure.level else "") + figure.label,
                figure.value,
                figure.previous,
                round(figure.change_percent, 1) if figure.change_percent is not None else None,
            ]
            if f.shows_year_to_date:
                values.append(figure.year_to_date)
            values += [
                figure.target,
                round(figure.target_percent, 1) if figure.target_percent is not None else None,
            ]
            sheet.cell(row=row, column=1, value=figure.code).font = Font(color="808080")
            for column, value in enumerate(values, start=2):
                cell = sheet.cell(row=row, column=column, value=value)
                _style_value(cell)
            sheet.cell(row=row, column=5).number_format = PERCENT
            sheet.cell(row=row, column=len(header)).number_format = PERCENT
            row += 1
    row += 1
    for breakdown in f.breakdowns:
        sheet.cell(row=row, column=2, value=breakdown.title).font = BOLD
        row += 1
        _header_row(sheet, ["", words["indicator"], f.period.label, f.previous_period.label], row)
        row += 1
        for item in breakdown.rows:
            for column, value in enumerate([item.label, item.value, item.previous], start=2):
                _style_value(sheet.cell(row=row, column=column, value=value))
            row += 1
        sheet.cell(row=row, column=2, value=words["total"]).font = BOLD
        _style_value(sheet.cell(row=row, column=3, value=breakdown.total))
        row += 2
    if doc.notable_events:
        sheet.cell(row=row, column=2, value=words["events_count"]).font = BOLD
        row += 1
        for index, text in enumerate(doc.notable_events, start=1):
            sheet.cell(row=row, column=1, value=index)
            sheet.cell(row=row, column=2, value=text).alignment = WRAP
            row += 1
    _widths(sheet, [22, 48, 14, 14, 12, 14, 14, 12])


def _register_sheet(workbook, used, model, fields, records) -> None:
    sheet = workbook.create_sheet(sheet_title(str(model._meta.verbose_name_plural), used))
    headers = [_("No.")] + [capfirst(str(model._meta.get_field(n).verbose_name)) for n in fields]
    _header_row(sheet, headers)
    sheet.freeze_panes = "B2"
    for index, record in enumerate(records, start=1):
        row = [index] + [_value(record, name) for name in fields]
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            _style_value(cell)
    _widths(sheet, [6] + [22] * len(fields))


def _targets_sheet(workbook, used, doc: ReportDocument, unit) -> None:
    year = doc.figures.period.year
    sheet = workbook.create_sheet(sheet_title(_("Plan targets %(year)s") % {"year": year}, used))
    _header_row(sheet, [_("No."), _("Unit"), _("Year"), _("Indicator"), _("Target")])
    targets = PlanTarget.objects.filter(plan__year=year).select_related("plan__unit")
    if unit is not None:
        targets = targets.filter(plan__unit=unit)
    for index, target in enumerate(targets.order_by("plan__unit__name", "indicator"), start=1):
        sheet.append(
            [index, str(target.plan.unit), year, target.get_indicator_display(), target.target]
        )
        for cell in sheet[sheet.max_row]:
            _style_value(cell)
    _widths(sheet, [6, 30, 8, 50, 12])


def _portal_sheet(workbook, used, doc: ReportDocument) -> None:
    period = doc.figures.period
    sheet = workbook.create_sheet(sheet_title(_("Portal items"), used))
    _header_row(sheet, [_("No."), _("Title"), _("Language"), _("Section"), _("Publication date")])
    articles = list(
        portal_articles(start=period.start, end=period.end)
        .select_related("locale")
        .order_by("published_at", "pk")
    )
    steplen = SectionPage.steplen
    parents = dict(
        SectionPage.objects.filter(path__in={a.path[:-steplen] for a in articles}).values_list(
            "path", "title"
        )
    )
    for index, article in enumerate(articles, start=1):
        sheet.append(
            [
                index,
                article.title,
                language_label(article.locale.language_code),
                parents.get(article.path[:-steplen], ""),
                timezone.localtime(article.published_at).date(),
            ]
        )
        for cell in sheet[sheet.max_row]:
            _style_value(cell)
    _widths(sheet, [6, 60, 14, 24, 14])


def report_xlsx(doc: ReportDocument, *, unit) -> bytes:
    period = doc.figures.period
    workbook = Workbook()
    with translation.override(settings.LANGUAGE_CODE):
        used: set[str] = set()
        summary = workbook.active
        summary.title = sheet_title(pgettext("report", "Summary"), used)
        _summary(summary, doc)
        for model, fields in REGISTER_SHEETS:
            records = period_records(model, start=period.start, end=period.end, unit=unit)
            if model is PressEvent:
                records = records.prefetch_related("agencies")
            _register_sheet(workbook, used, model, fields, records)
        _targets_sheet(workbook, used, doc, unit)
        if doc.figures.includes_portal:
            _portal_sheet(workbook, used, doc)
    workbook.properties.title = f"{doc.document_type} {doc.subject}"
    workbook.properties.language = "vi-VN"
    neutralise_workbook(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
