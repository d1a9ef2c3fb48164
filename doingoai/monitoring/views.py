"""Back-office screens of the monitoring module beyond the model listings: the dashboard
(Tổng quan), "fetch now" (Lấy tin ngay) on a source, and the upload of a social-media export
(Nhập dữ liệu mạng xã hội)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect
from wagtail.admin.auth import permission_denied
from wagtail.admin.ui.tables import BaseColumn
from wagtail.admin.views.generic.models import EditView, InspectView

from doingoai.audit import actions as audit_actions
from doingoai.audit.changes import AuditedEditMixin
from doingoai.audit.services import audit_log

from . import dashboard as dashboard_data
from .forms import SocialUploadForm, social_max_bytes
from .models import Source
from .services import FetchReport, social_export_import

logger = logging.getLogger(__name__)

VIEW_PERMISSION = "monitoring.view_item"
FETCH_PERMISSION = "monitoring.fetch_source"
MANAGE_PERMISSION = "monitoring.change_source"


def can_view_monitoring(user) -> bool:
    return user.has_perm(VIEW_PERMISSION)


def can_manage_sources(user) -> bool:
    """May fetch a source now and import exports (editors, approvers, administrators)."""
    return user.has_perm(FETCH_PERMISSION) or user.has_perm(MANAGE_PERMISSION)


# --- Dashboard ------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_view_monitoring(request.user):
        return permission_denied(request)
    period = dashboard_data.period_from(request.GET.get(dashboard_data.PERIOD_PARAM))
    context = dashboard_data.dashboard_context(period=period)
    context["can_manage"] = can_manage_sources(request.user)
    return render(request, "monitoring/dashboard.html", context)


# --- Fetch now ------------------------------------------------------------------------------


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _report_message(source: Source, report: dict) -> tuple[str, str]:
    """(level, text) of the message shown after a fetch."""
    name = source.name
    if report.get("status") == Source.Status.ERROR:
        return "error", _("Could not fetch %(name)s: %(error)s") % {
            "name": name,
            "error": report.get("error") or _("unknown error"),
        }
    if report.get("status") == Source.Status.NOT_MODIFIED:
        return "success", _("%(name)s has not changed since the last fetch.") % {"name": name}
    text = _("Fetched %(name)s: %(created)s new items, %(existing)s already stored.") % {
        "name": name,
        "created": report.get("created", 0),
        "existing": report.get("existing", 0),
    }
    if report.get("failed"):
        text += " " + _("%(failed)s could not be read.") % {"failed": report["failed"]}
    return "success", text


def _enqueue_fetch(source: Source) -> tuple[str, str]:
    from .tasks import fetch_source

    try:
        result = fetch_source.enqueue(source_id=source.pk)
    except Exception:  # the queue is down: say so, never a server error
        logger.exception("Monitoring: could not enqueue a fetch of source %s", source.pk)
        return "error", _("The fetch of %(name)s could not be queued; try again later.") % {
            "name": source.name
        }
    if not result.is_finished:  # a worker will run it (RQ backend)
        return "success", _("The fetch of %(name)s is queued; refresh this page in a minute.") % {
            "name": source.name
        }
    if result.status != "SUCCESSFUL":
        return "error", _("The fetch of %(name)s failed; the error is in the server log.") % {
            "name": source.name
        }
    return _report_message(source, result.return_value or {})


@csrf_protect
def fetch_now(request: HttpRequest, pk: int) -> HttpResponse:
    """POST only: fetch one source now, then go back with a message."""
    if request.method != "POST":
        return HttpResponseNotAllowed(
            ["POST"],
            content=_("Use the “Fetch now” button: a fetch is never started by opening a link."),
            content_type="text/plain; charset=utf-8",
        )
    if not can_manage_sources(request.user):
        return permission_denied(request)
    listing = reverse("monitoring_sources:index")
    source = Source.objects.filter(pk=pk).first()
    if source is None:
        messages.error(request, _("There is no source number %(pk)s.") % {"pk": pk})
        return _back(request, listing)
    if not source.active:
        messages.error(
            request,
            _("%(name)s is not active: activate it before fetching.") % {"name": source.name},
        )
        return _back(request, listing)
    if not source.is_fetchable:
        messages.error(
            request,
            _("%(name)s has no address: import its export file instead.") % {"name": source.name},
        )
        return _back(request, listing)
    audit_log(source, audit_actions.FETCH_NOW, user=request.user)
    level, text = _enqueue_fetch(source)
    getattr(messages, level)(request, text)
    return _back(request, listing)


class FetchNowColumn(BaseColumn):
    """A listing column with the "Fetch now" button (a POST form) of each source, or the
    link to the import screen for a social-media export without an address."""

    cell_template_name = "monitoring/fetch_now_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context["request"]
        context["can_manage"] = request is not None and can_manage_sources(request.user)
        if context["can_manage"]:
            context["csrf_token"] = get_token(request)
            context["next"] = request.get_full_path()
        return context


class AuditedEditView(AuditedEditMixin, EditView):
    """Sources and watch terms: the fields the user changed go into the audit log."""


class SourceInspectView(InspectView):
    """The source's page, with "Fetch now" and, for social sources, the import screen."""

    template_name = "monitoring/fetch_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_manage_sources(self.request.user)
        context["social_import_url"] = (
            f"{reverse('monitoring_social_import')}?nguon={self.object.pk}"
            if self.object.kind == Source.Kind.SOCIAL
            else ""
        )
        return context


# --- Social-media export upload -------------------------------------------------------------


def _initial_source(request: HttpRequest) -> dict:
    value = request.GET.get("nguon", "")
    return {"source": value} if value.isdigit() else {}


def _report_context(report: FetchReport) -> dict:
    return {
        "created": report.created,
        "existing": report.existing,
        "no_text": report.no_text,
        "failed": report.failed,
        "problems": report.problems,
        "entries": report.entries,
    }


def social_upload(request: HttpRequest) -> HttpResponse:
    if not can_manage_sources(request.user):
        return permission_denied(request)
    report = None
    if request.method == "POST":
        form = SocialUploadForm(request.POST, request.FILES)
        if form.is_valid():
            source = form.cleaned_data["source"]
            result = social_export_import(
                source=source, data=form.data_bytes, filename=form.cleaned_data["file"].name
            )
            if result.status == Source.Status.ERROR:
                form.add_error("file", result.error)
            else:
                audit_log(
                    source,
                    audit_actions.IMPORT,
                    user=request.user,
                    data={"file": form.cleaned_data["file"].name, "created": result.created},
                )
                report = {"source": source, **_report_context(result)}
                form = SocialUploadForm(initial={"source": source.pk})
    else:
        form = SocialUploadForm(initial=_initial_source(request))
    context = {
        "form": form,
        "report": report,
        "max_bytes": social_max_bytes(),
        "page_title": gettext_lazy("Import social-media data"),
    }
    return render(request, "monitoring/social_upload.html", context)
