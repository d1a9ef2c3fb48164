"""Wagtail's listing exports (CSV/XLSX buttons) with every value written as text, never as a
formula (issue #14, formula injection; the rules are in ``doingoai.text.spreadsheets``).

Wagtail's ``SpreadsheetExportMixin`` turns back into a string only what openpyxl types as a
formula (a leading ``=``) in XLSX and escapes nothing in CSV. ``FormulaSafeExportMixin``
replaces its two row writers: put it first in the bases of every view that exports (the
register listings, the audit log). ``protect_wagtail_exports`` (called when the ``core`` app is
ready) installs the same two writers on Wagtail's mixin itself, so Wagtail's own reports
(locked pages, aging pages, workflows, redirects…) export safely too.
"""

from __future__ import annotations

import datetime as dt

from doingoai.text.spreadsheets import neutralise_formula, neutralise_formula_cell


class FormulaSafeExportMixin:
    """For views built on Wagtail's ``SpreadsheetExportMixin``: a CSV value that looks like a
    formula starts with ``'``; an XLSX one is a text cell (quote-prefix style, text unchanged).
    Numbers, dates and empty values are written as Wagtail writes them."""

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        from openpyxl.cell import WriteOnlyCell

        for field, value in row_dict.items():
            cell = WriteOnlyCell(
                worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX)
            )
            if cell.data_type == "f":  # as Wagtail: nothing is ever written as a formula
                cell.data_type = "s"
            neutralise_formula_cell(cell)
            if date_format and isinstance(value, dt.datetime):
                cell.number_format = date_format
            yield cell

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise_formula(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )


def protect_wagtail_exports() -> None:
    """Wagtail's own exporting views use the formula-safe row writers (idempotent)."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    SpreadsheetExportMixin.generate_xlsx_row = FormulaSafeExportMixin.generate_xlsx_row
    SpreadsheetExportMixin.write_csv_row = FormulaSafeExportMixin.write_csv_row
