"""Back-office views of the registers.

Every view reads records through the unit-scoped permission policy (permissions.py): listings
show a unit's officers only their unit's records, and opening another unit's record is refused
like any other missing permission; province-level staff reach every record.
Imports: upload → preview (errors or summary) → confirm.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import (
    CopyView,
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.widgets.button import Button
from wagtail.permissions import policy_registry

from doingoai.audit import actions as audit_actions
from doingoai.audit.changes import AuditedEditMixin
from doingoai.audit.services import audit_log_list
from doingoai.core.spreadsheets import FormulaSafeExportMixin
from doingoai.text.spreadsheets import neutralise_workbook

from .forms import ImportUploadForm
from .imports.layouts import Layout
from .imports.service import import_check, import_run
from .imports.stash import upload_stash, upload_take
from .selectors import press_questions_overdue

ANY_ACTION = ["view", "add", "change", "delete"]


def _check_instance(view, actions, obj):
    """Another unit's record: "you do not have permission" (Wagtail's usual refusal)."""
    policy = policy_registry.get_by_type(view.model)
    if not policy.user_has_any_permission_for_instance(view.request.user, actions, obj):
        raise PermissionDenied
    return obj


def _scoped(view, actions, queryset):
    policy = policy_registry.get_by_type(view.model)
    return policy.scope_queryset(view.request.user, actions, queryset)


class ScopedIndexView(FormulaSafeExportMixin, IndexView):
    import_url_name = None
    import_template_url_name = None

    def get_base_queryset(self):
        return self._with_related(_scoped(self, ANY_ACTION, super().get_base_queryset()))

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Exports (CSV, XLSX of the filtered listing) are in the audit log."""
        audit_log_list(
            self.model,
            audit_actions.EXPORT,
            user=self.request.user,
            label=capfirst(self.model._meta.verbose_name_plural),
            data={
                "format": spreadsheet_format,
                "rows": len(queryset),
                "filters": self.request.GET.urlencode(),
            },
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def _with_related(self, queryset):
        """One query for the listing, whatever foreign keys its columns show."""
        related = [
            field.name
            for field in self.model._meta.fields
            if field.many_to_one and field.name in self.list_display
        ]
        return queryset.select_related(*related) if related else queryset

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        can_import = self.user_has_permission("add") and self.user_has_permission("change")
        if self.import_url_name and can_import:
            buttons.append(
                Button(
                    _("Import from a file"),
                    url=reverse(self.import_url_name),
                    icon_name="upload",
                    priority=50,
                )
            )
        if self.import_template_url_name and can_import:
            buttons.append(
                Button(
                    _("Download the import template"),
                    url=reverse(self.import_template_url_name),
                    icon_name="download",
                    priority=60,
                )
            )
        return buttons


class ScopedCreateView(CreateView):
    def save_instance(self):
        if hasattr(self.form.instance, "created_by_id"):
            self.form.instance.created_by = self.request.user
        return super().save_instance()


class ScopedCopyView(CopyView):
    """A form prefilled from a record (another unit's is refused by the policy). Its form posts
    to the add view; a POST here would save over the original, so only GET is served."""

    http_method_names = ["get", "head", "options"]


class AuditedEditView(AuditedEditMixin, EditView):
    """The fields the user changed go into the audit-log entry of the edit."""


class ScopedEditView(AuditedEditMixin, EditView):
    def get_object(self, queryset=None):
        return _check_instance(self, ["change"], super().get_object(queryset))


class ScopedDeleteView(DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        return _check_instance(self, ["delete"], super().get_object(queryset))


class UnitDeleteView(DeleteView):
    """A unit that still has records stays: say so instead of failing."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("%(unit)s still has records in the registers and cannot be deleted.")
                % {"unit": self.object},
            )
            return redirect(self.index_url_name)


class ScopedHistoryView(HistoryView):
    def get_object(self):
        return _check_instance(self, ANY_ACTION, super().get_object())


class ScopedUsageView(UsageView):
    def get_object(self):
        return _check_instance(self, ANY_ACTION, super().get_object())


class ScopedInspectView(InspectView):
    def get_object(self, queryset=None):
        return _check_instance(self, ANY_ACTION, super().get_object(queryset))


class OverduePressQuestionsView(ScopedIndexView):
    """Câu hỏi quá hạn: the deadline has passed and no answer has been recorded."""

    page_title = gettext_lazy("Overdue press questions")

    def get_base_queryset(self):
        return self._with_related(_scoped(self, ANY_ACTION, press_questions_overdue()))

    def get_page_title(self):
        return self.page_title

    @cached_property
    def header_buttons(self):
        return []  # questions are added from the press questions register

    @cached_property
    def header_more_buttons(self):
        return []


# --- import ---------------------------------------------------------------------------------

KIND_DESCRIPTIONS = {
    "text": gettext_lazy("Text"),
    "date": gettext_lazy("Date (dd/mm/yyyy)"),
    "int": gettext_lazy("Whole number, not negative"),
    "unit": gettext_lazy("Name of your unit"),
    "any_unit": gettext_lazy("Name of a unit"),
    "agency": gettext_lazy("Name of a press agency"),
    "agencies": gettext_lazy("Names of press agencies already in the list, separated by “;”."),
    "event_date": gettext_lazy("Date of the press event (dd/mm/yyyy)"),
    "event_title": gettext_lazy("Title of the press event"),
}


def _column_description(layout: Layout, column) -> str:
    if column.kind == "choice":
        field = layout.model._meta.get_field(column.field)
        values = "; ".join(str(label) for _code, label in field.choices)
        return _("One of: %(values)s") % {"values": values}
    return str(KIND_DESCRIPTIONS[column.kind])


class ImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Upload a file, see every problem or what will be written, then confirm."""

    model = None
    layout: Layout | None = None
    index_url_name = None
    import_url_name = None
    import_template_url_name = None
    header_icon = "upload"
    template_name = "registers/import.html"
    permission_required = "add"

    def dispatch(self, request, *args, **kwargs):
        # Imports may update records too, so both rights are needed.
        if not self.user_has_permission("change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Import: %(register)s") % {"register": capfirst(self.layout.label)}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(self.layout.label)},
            {"url": "", "label": _("Import from a file")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        context["layout"] = self.layout
        context["columns"] = [
            {
                "header": column.header,
                "required": column.required,
                "description": _column_description(self.layout, column),
                "note": column.note,
            }
            for column in self.layout.columns
        ]
        context["action_url"] = reverse(self.import_url_name)
        context["template_url"] = reverse(self.import_template_url_name)
        context["index_url"] = reverse(self.index_url_name)
        return context

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        data = upload.read()
        report = import_check(layout=self.layout, user=request.user, name=upload.name, data=data)
        token = ""
        if report.ok:
            token = upload_stash(
                user=request.user, key=self.layout.key, name=upload.name, data=data
            )
        return self.render_to_response(
            self.get_context_data(form=form, report=report, token=token, file_name=upload.name)
        )

    def confirm(self, request):
        stashed = upload_take(token=request.POST["token"], user=request.user, key=self.layout.key)
        if "cancel" in request.POST:
            return redirect(self.index_url_name)
        if stashed is None:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return redirect(self.import_url_name)
        name, data = stashed
        report = import_run(layout=self.layout, user=request.user, name=name, data=data)
        if not report.ok:
            return self.render_to_response(
                self.get_context_data(report=report, token="", file_name=name)
            )
        messages.success(
            request,
            _("Imported %(created)d new and %(updated)d updated records from %(name)s.")
            % {"created": report.to_create, "updated": report.to_update, "name": name},
        )
        return redirect(self.index_url_name)


class ImportTemplateView(PermissionCheckedMixin, TemplateView):
    """A blank XLSX with the headers of the register's import layout."""

    model = None
    layout: Layout | None = None
    permission_required = "add"

    def get(self, request, *args, **kwargs):
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Du lieu"
        for index, column in enumerate(self.layout.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header)
            cell.font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = 20
        neutralise_workbook(workbook)
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="mau-nhap-{self.layout.key}.xlsx"'
        return response
