"""Back-office screens of the periodic reports: list, generate, preview, details, notable
events, finalise, downloads, and the dashboard. Views stay thin: rules live in services and
selectors (unit scoping as the registers define it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from doingoai.audit import actions as audit_actions
from doingoai.audit.services import audit_log
from doingoai.registers.models import PressQuestion
from doingoai.registers.selectors import press_questions_overdue, records_visible_to

from . import services
from .exports import FORMATS, report_export
from .exports.charts import language_split, quarter_bars
from .exports.document import report_document
from .forms import NotableEventAddForm, ReportCreateForm, ReportDetailsForm
from .models import Report
from .selectors import (
    dashboard_figures,
    report_units_for,
    reports_visible_to,
    unit_condition,
    user_may_report,
    user_may_report_on,
)

INDEX = "reports:index"
CHARTS = {"quy": quarter_bars, "ngon-ngu": language_split}


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


class ReportsView(WagtailAdminTemplateMixin, TemplateView):
    """Only staff who belong to a unit (or province-level staff) reach the reports."""

    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": _("Periodic reports")},
            *self.extra_breadcrumbs(),
        ]

    def extra_breadcrumbs(self):
        return []


class ReportIndexView(ReportsView):
    page_title = gettext_lazy("Periodic reports")
    template_name = "reports/index.html"

    def extra_breadcrumbs(self):
        return []

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = reports_visible_to(self.request.user).select_related("unit", "created_by")
        context["reports"] = reports
        return context


class ReportCreateView(ReportsView):
    page_title = gettext_lazy("Make a report")
    template_name = "reports/create.html"

    def extra_breadcrumbs(self):
        return [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReportCreateForm(user=self.request.user))
        return context

    def post(self, request, *args, **kwargs):
        form = ReportCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                report = services.report_create(
                    user=request.user,
                    period=form.cleaned_data["period"],
                    unit=form.cleaned_data["unit"],
                )
            except PermissionDenied as error:
                form.add_error("unit", str(error))
            except ValidationError as error:
                form.add_error(None, _messages_of(error))
            else:
                messages.success(request, _("The report has been made. Check the figures below."))
                return redirect("reports:detail", report.pk)
        return self.render_to_response(self.get_context_data(form=form), status=200)


class ReportObjectMixin:
    """Loads the report; another unit's report is refused like a missing one."""

    @cached_property
    def report(self) -> Report:
        report = get_object_or_404(Report.objects.select_related("unit"), pk=self.kwargs["pk"])
        if not user_may_report_on(self.request.user, report.unit):
            raise PermissionDenied
        return report

    def extra_breadcrumbs(self):
        return [
            {"url": reverse("reports:detail", args=[self.report.pk]), "label": str(self.report)}
        ]


class ReportDetailView(ReportObjectMixin, ReportsView):
    template_name = "reports/detail.html"

    def get_page_title(self):
        return str(self.report)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": _("Periodic reports")},
            {"url": "", "label": str(self.report)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = report_document(self.report, charts=False)
        context.update(
            {
                "report": self.report,
                "document": document,
                "figures": document.figures,
                "table_header": document.table_header,
                "table_rows": document.table_rows(),
                "breakdown_tables": _breakdown_cells(document),
                "formats": FORMATS,
            }
        )
        return context


def _breakdown_cells(document) -> list[dict]:
    from .formatting import format_number, format_percent

    return [
        {
            "title": breakdown.title,
            "rows": [
                (
                    row.label,
                    format_number(row.value),
                    format_number(row.previous),
                    format_percent(row.change_percent, signed=True),
                )
                for row in breakdown.rows
            ],
            "total": format_number(breakdown.total),
        }
        for breakdown in document.figures.breakdowns
    ]


class DraftReportView(ReportObjectMixin, ReportsView):
    """A page that changes a report: a final report cannot be changed, so the user goes back
    to its page with the reason."""

    def extra_breadcrumbs(self):
        return [*super().extra_breadcrumbs(), {"url": "", "label": self.page_title}]

    def dispatch(self, request, *args, **kwargs):
        if not user_may_report(request.user):
            raise PermissionDenied
        if self.report.is_final:
            messages.error(
                request, _("This report is final: return it to draft before changing it.")
            )
            return redirect("reports:detail", self.report.pk)
        return super().dispatch(request, *args, **kwargs)


class ReportEditView(DraftReportView):
    template_name = "reports/edit.html"
    page_title = gettext_lazy("Header, signer and recipients")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReportDetailsForm(instance=self.report))
        context["report"] = self.report
        return context

    def post(self, request, *args, **kwargs):
        form = ReportDetailsForm(request.POST, instance=self.report)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in ReportDetailsForm.Meta.fields}
            try:
                services.report_update(user=request.user, report=self.report, **values)
            except ValidationError as error:
                form.add_error(None, _messages_of(error))
            else:
                messages.success(request, _("The report's details have been saved."))
                return redirect("reports:detail", self.report.pk)
        return self.render_to_response(self.get_context_data(form=form))


class NotableEventsView(DraftReportView):
    """Pick notable events from the period's records, write others, order and delete them."""

    template_name = "reports/events.html"
    page_title = gettext_lazy("Notable events")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = list(self.report.notable_events.all())
        picked = {f"{e.source_model}:{e.source_id}" for e in events if e.source_id}
        context.update(
            {
                "report": self.report,
                "events": events,
                "candidates": [
                    c
                    for c in services.notable_event_candidates(report=self.report)
                    if c.key not in picked
                ],
                "add_form": kwargs.get("add_form") or NotableEventAddForm(),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = NotableEventAddForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(add_form=form))
                services.notable_event_add(
                    user=request.user, report=self.report, text=form.cleaned_data["text"]
                )
            elif action == "pick":
                added = services.notable_events_pick(
                    user=request.user, report=self.report, keys=request.POST.getlist("record")
                )
                if not added:
                    messages.warning(request, _("Tick the records to add first."))
            elif action == "save" or action.startswith(("up:", "down:")):
                self._save(request)
                if action.startswith(("up:", "down:")):
                    direction, _sep, pk = action.partition(":")
                    services.notable_event_move(
                        user=request.user,
                        report=self.report,
                        event_id=_int(pk),
                        step=-1 if direction == "up" else 1,
                    )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            if action in ("add", "pick", "save"):
                messages.success(request, _("The notable events have been saved."))
        return redirect("reports:events", self.report.pk)

    def _save(self, request):
        changes, delete = {}, set()
        for event in self.report.notable_events.all():
            prefix = f"event-{event.pk}-"
            if request.POST.get(prefix + "delete"):
                delete.add(event.pk)
                continue
            text = request.POST.get(prefix + "text")
            if text is None:
                continue
            order = _int(request.POST.get(prefix + "order"), default=event.sort_order)
            changes[event.pk] = (text, order)
        services.notable_events_save(
            user=request.user, report=self.report, changes=changes, delete=delete
        )


def _int(value, default=0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class ReportStatusView(ReportObjectMixin, ReportsView):
    """POST only: finalise, return to draft, or delete."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = self.kwargs["action"]
        report = self.report
        try:
            if action == "finalise":
                services.report_finalise(user=request.user, report=report)
                messages.success(
                    request, _("The report is final: its figures will not change any more.")
                )
            elif action == "reopen":
                services.report_reopen(user=request.user, report=report)
                messages.success(request, _("The report is a draft again."))
            elif action == "delete":
                services.report_delete(user=request.user, report=report)
                messages.success(request, _("The report has been deleted."))
                return redirect(INDEX)
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        return redirect("reports:detail", report.pk)


class ReportDeleteView(DraftReportView):
    template_name = "reports/delete.html"
    page_title = gettext_lazy("Delete the report")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context


class ReportDownloadView(ReportObjectMixin, ReportsView):
    def get(self, request, *args, **kwargs):
        fmt = self.kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404
        exported = report_export(self.report, fmt)
        audit_log(self.report, audit_actions.DOWNLOAD, user=request.user, data={"format": fmt})
        response = HttpResponse(exported.content, content_type=exported.content_type)
        response["Content-Disposition"] = f'attachment; filename="{exported.file_name}"'
        return response


class ReportChartView(ReportObjectMixin, ReportsView):
    """One chart of the preview page, as PNG (the same image the files embed)."""

    def get(self, request, *args, **kwargs):
        draw = CHARTS.get(self.kwargs["name"])
        if draw is None:
            raise Http404
        figures = services.report_current_figures(report=self.report)
        response = HttpResponse(draw(figures), content_type="image/png")
        response["Cache-Control"] = "private, max-age=60"
        return response


# --- the dashboard ----------------------------------------------------------------------------


class DashboardView(ReportsView):
    """This year against last year, overdue press questions, progress against the plan."""

    page_title = gettext_lazy("External-information dashboard")
    template_name = "reports/dashboard.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": _("Periodic reports")},
            {"url": "", "label": self.page_title},
        ]

    def _unit(self):
        user = self.request.user
        units = report_units_for(user)
        raw = self.request.GET.get("don-vi", "")
        if raw:
            unit = units.filter(pk=_int(raw, default=-1)).first()
            if unit is None:
                messages.error(
                    self.request, _("This unit does not exist or you may not report on it.")
                )
            else:
                return unit, units
        if user_may_report_on(user, None):
            return None, units
        return units.first(), units

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, units = self._unit()
        overdue = records_visible_to(
            user=self.request.user, queryset=press_questions_overdue()
        ).filter(unit_condition(PressQuestion, unit))
        context.update(dashboard_figures(unit=unit))
        context.update(
            {
                "unit": unit,
                "units": units,
                "province_level": user_may_report_on(self.request.user, None),
                "overdue": overdue[:50],
                "overdue_count": overdue.count(),
            }
        )
        return context
