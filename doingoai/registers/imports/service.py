"""Bulk import of register records from XLSX/CSV.

The whole file is checked first: every cell is parsed, every row is validated as the form
would validate it, and each problem is reported as (row, column, reason). Nothing is written
unless the whole file is clean, and then every row is written in one transaction: an error on
any row, or a crash half-way, leaves the database as it was. A row whose natural key (e.g.
unit + kind + date + title of a press event) matches a record already there updates that
record, so importing the same file twice creates no duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doingoai.audit import actions as audit_actions
from doingoai.audit.services import audit_log_many

from ..models import AnnualPlan, PlanTarget, PressAgency, PressEvent, PressQuestion, Unit
from ..selectors import records_visible_to, user_default_unit, user_unit_scope
from . import readers
from .layouts import Column, Layout

FILE_ERRORS = {
    "empty": gettext_lazy("The file is empty: the first row must hold the column headers."),
    "bad_xlsx": gettext_lazy("The file could not be read as an XLSX spreadsheet."),
    "bad_csv": gettext_lazy(
        "The CSV file could not be read as a table: a cell is too long or a quotation mark "
        "is not closed."
    ),
    "bad_encoding": gettext_lazy(
        "The CSV file is not saved as UTF-8 text and its encoding cannot be told for sure. "
        "Save it again from Excel: File > Save As > CSV UTF-8 (Comma delimited), then upload "
        "it again."
    ),
    "bad_type": gettext_lazy("Upload an XLSX or CSV file."),
    "too_many_rows": gettext_lazy(
        "The file has more than %(max)s data rows; split it into smaller files."
    ),
    "too_many_sheet_rows": gettext_lazy(
        "The sheet has more than %(max)s rows, blank rows included; delete the blank rows "
        "or split the file into smaller files."
    ),
    "too_many_columns": gettext_lazy(
        "The header row has more than %(max)s columns; delete the columns that are not needed."
    ),
    "xlsx_too_large": gettext_lazy(
        "The XLSX file unpacks to more than %(max)s MB; split it into smaller files."
    ),
}


def file_error_message(error: readers.UnreadableFile) -> str:
    message = str(FILE_ERRORS[error.code])
    if error.limit is not None:
        message = message % {"max": number_format(error.limit, force_grouping=True)}
    return message


@dataclass(frozen=True)
class ImportIssue:
    row: int
    column: str
    message: str


@dataclass
class RowPlan:
    number: int
    instance: models.Model
    is_new: bool
    m2m: dict[str, list] = field(default_factory=dict)


@dataclass
class ImportReport:
    layout: Layout
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def to_update(self) -> int:
        return sum(1 for row in self.rows if not row.is_new)


class _RowErrors(Exception):
    def __init__(self, issues: list[ImportIssue]):
        super().__init__(issues)
        self.issues = issues


def _key_part(value) -> object:
    """One part of a row's natural key, compared the way the database lookup compares it."""
    if isinstance(value, models.Model):
        return ("pk", value.pk) if value.pk is not None else ("new", id(value))
    if isinstance(value, str):
        return readers.fold(value)
    return value


def _choices_lookup(model_field) -> dict[str, str]:
    """Accept a choice by its code, its English label or its Vietnamese label."""
    lookup = {}
    for code, label in model_field.choices:
        lookup[readers.fold(str(code))] = code
        for language in ("vi", "en"):
            with translation.override(language):
                lookup[readers.fold(str(label))] = code
    return lookup


def _choice_labels(model_field) -> str:
    with translation.override("vi"):
        return "; ".join(str(label) for _code, label in model_field.choices)


class _Importer:
    def __init__(self, layout: Layout, user):
        self.layout = layout
        self.user = user
        self.model = layout.model
        self.scope = user_unit_scope(user)
        self.default_unit = user_default_unit(user)
        self.units = {readers.fold(unit.name): unit for unit in Unit.objects.all()}
        self.agencies = {readers.fold(a.name): a for a in PressAgency.objects.all()}
        self.choices = {
            column.field: _choices_lookup(self._field(column.field))
            for column in layout.columns
            if column.kind == "choice"
        }
        self.seen_keys: dict[tuple, int] = {}
        self.new_plans: dict[tuple[int, int], AnnualPlan] = {}

    def _field(self, name: str):
        return self.model._meta.get_field(name)

    # --- one cell ------------------------------------------------------------------------------
    def parse_cell(self, column: Column, raw: object):
        kind = column.kind
        text = readers.cell_text(raw)
        if kind == "agencies":
            names = readers.cell_list(raw)
            missing = [name for name in names if readers.fold(name) not in self.agencies]
            if missing:
                raise ValidationError(
                    _("There is no press agency named “%(value)s”; add it to the list first.")
                    % {"value": "; ".join(missing)}
                )
            return [self.agencies[readers.fold(name)] for name in names]
        if not text:
            if column.required:
                raise ValidationError(_("This value is required."))
            return None
        try:
            if kind == "date" or kind == "event_date":
                return readers.cell_date(raw)
            if kind == "int":
                return readers.cell_int(raw)
        except readers.CellError as error:
            if error.code == "date":
                raise ValidationError(_("Enter a date as dd/mm/yyyy.")) from None
            raise ValidationError(_("Enter a whole number.")) from None
        if kind == "choice":
            code = self.choices[column.field].get(readers.fold(text))
            if code is None:
                raise ValidationError(
                    _("Unknown value “%(value)s”. Use one of: %(choices)s.")
                    % {"value": text, "choices": _choice_labels(self._field(column.field))}
                )
            return code
        if kind in ("unit", "any_unit"):
            unit = self.units.get(readers.fold(text))
            if unit is None:
                raise ValidationError(_("There is no unit named “%(value)s”.") % {"value": text})
            if kind == "unit" and not self.scope.allows(unit.pk):
                raise ValidationError(_("You can only file records under your own unit."))
            return unit
        if kind == "agency":
            agency = self.agencies.get(readers.fold(text))
            if agency is None:
                raise ValidationError(
                    _("There is no press agency named “%(value)s”; add it to the list first.")
                    % {"value": text}
                )
            return agency
        return text

    # --- one row -------------------------------------------------------------------------------
    def header(self, field_name: str) -> str:
        column = self.layout.column_for_field(field_name)
        return column.header if column else ""

    def prepare_row(self, number: int, raw: dict[str, object], present: set[str]) -> RowPlan:
        values, issues = {}, []
        for column in self.layout.columns:
            header = readers.normalise_header(column.header)
            if header not in present:
                continue  # the column is not in the file: the field keeps its value
            try:
                values[column.field] = self.parse_cell(column, raw.get(header))
            except ValidationError as error:
                issues += [ImportIssue(number, column.header, m) for m in error.messages]
        if issues:
            raise _RowErrors(issues)
        if self.layout.column_for_field("unit") and values.get("unit") is None:
            if self.default_unit is None:
                message = _("Enter the unit: you do not belong to any unit.")
                raise _RowErrors([ImportIssue(number, self.header("unit"), message)])
            values["unit"] = self.default_unit
        if self.model is PressQuestion:
            values["event"] = self.find_event(number, values)
        if self.model is PlanTarget:
            values["plan"] = self.find_plan(number, values)
        return self.build(number, values)

    def find_event(self, number: int, values: dict) -> PressEvent:
        events = list(
            records_visible_to(
                user=self.user,
                queryset=PressEvent.objects.filter(
                    held_on=values.pop("event_date"), title__iexact=values.pop("event_title")
                ),
            )[:2]
        )
        if len(events) != 1:
            message = (
                _("Several press events have this date and title.")
                if events
                else _("No press event of your unit has this date and title.")
            )
            raise _RowErrors([ImportIssue(number, self.header("event_title"), message)])
        return events[0]

    def find_plan(self, number: int, values: dict) -> AnnualPlan:
        unit, year = values.pop("unit"), values.pop("year")
        plan = AnnualPlan.objects.filter(unit=unit, year=year).first()
        if plan is not None:
            return plan
        key = (unit.pk, year)
        if key not in self.new_plans:
            plan = AnnualPlan(unit=unit, year=year)
            try:
                plan.full_clean()
            except ValidationError as error:
                raise _RowErrors(self.issues_from(number, error)) from None
            self.new_plans[key] = plan
        return self.new_plans[key]

    def build(self, number: int, values: dict) -> RowPlan:
        opts = self.model._meta
        m2m = {
            name: values.pop(name)
            for name in list(values)
            if isinstance(opts.get_field(name), models.ManyToManyField)
        }
        if isinstance(values.get("event"), PressEvent):
            values["unit"] = values["event"].unit
        key = tuple(_key_part(values.get(name)) for name in self.model.natural_key_fields)
        if key in self.seen_keys:
            message = _("This row repeats row %(row)d.") % {"row": self.seen_keys[key]}
            raise _RowErrors([ImportIssue(number, "", message)])
        self.seen_keys[key] = number
        instance = self.existing(values)
        is_new = instance is None
        if is_new:
            instance = self.model()
        for name, value in values.items():
            model_field = opts.get_field(name)
            if value is None and model_field.has_default():
                value = model_field.get_default()
            elif value is None and not model_field.null:
                value = ""  # a blank text cell
            setattr(instance, name, value)
        exclude = ["plan"] if isinstance(instance, PlanTarget) and instance.plan.pk is None else []
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as error:
            raise _RowErrors(self.issues_from(number, error)) from None
        return RowPlan(number=number, instance=instance, is_new=is_new, m2m=m2m)

    def existing(self, values: dict):
        lookup = {}
        for name in self.model.natural_key_fields:
            value = values.get(name)
            if isinstance(value, models.Model) and value.pk is None:
                return None  # its parent is new too (a plan created by this file)
            field = self.model._meta.get_field(name)
            if isinstance(field, models.CharField | models.TextField):
                lookup[f"{name}__iexact"] = value or ""
            else:
                lookup[name] = value
        return self.model._default_manager.filter(**lookup).first()

    def issues_from(self, number: int, error: ValidationError) -> list[ImportIssue]:
        issues = []
        for field_name, messages in error.message_dict.items():
            header = "" if field_name == NON_FIELD_ERRORS else self.header(field_name)
            issues += [ImportIssue(number, header, message) for message in messages]
        return issues


def import_check(*, layout: Layout, user, name: str, data: bytes) -> ImportReport:
    """Read and validate the whole file; write nothing."""
    report = ImportReport(layout=layout)
    try:
        table = readers.read_table(
            name, data, expected_headers=[column.header for column in layout.columns]
        )
    except readers.UnreadableFile as error:
        report.errors.append(ImportIssue(0, "", file_error_message(error)))
        return report
    known = {readers.normalise_header(column.header) for column in layout.columns}
    report.ignored_headers = [h for h in table.headers if h and h not in known and h != "stt"]
    for column in layout.columns:
        if column.required and readers.normalise_header(column.header) not in table.headers:
            report.errors.append(ImportIssue(1, column.header, _("This column is missing.")))
    if report.errors:
        return report
    if not table.rows:
        report.errors.append(ImportIssue(0, "", _("The file has no data rows.")))
        return report
    importer = _Importer(layout, user)
    present = set(table.headers)
    for number, raw in table.rows:
        try:
            report.rows.append(importer.prepare_row(number, raw, present))
        except _RowErrors as error:
            report.errors.extend(error.issues)
    return report


def _write_row(row: RowPlan, *, user) -> None:
    instance = row.instance
    if isinstance(instance, PlanTarget) and instance.plan.pk is None:
        instance.plan.created_by = user
        instance.plan.save()  # once: the next targets of this plan see its primary key
    if row.is_new and hasattr(instance, "created_by_id"):
        instance.created_by = user
    instance.save()
    for name, values in row.m2m.items():
        getattr(instance, name).set(values)


def import_run(*, layout: Layout, user, name: str, data: bytes) -> ImportReport:
    """Validate the whole file, then write every row in one transaction, or nothing."""
    with transaction.atomic():
        report = import_check(layout=layout, user=user, name=name, data=data)
        if not report.ok:
            return report
        for row in report.rows:
            _write_row(row, user=user)
        # One entry per record written, all with one id: who imported which file's row.
        audit_log_many(
            (
                (row.instance, {"file": name, "row": row.number, "created": row.is_new})
                for row in report.rows
            ),
            audit_actions.IMPORT,
            user=user,
        )
        report.written = True
    return report
