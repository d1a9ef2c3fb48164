"""The audit log screen (Nhật ký thao tác): every entry of every kind — pages, register records,
reports, monitoring sources, alert rules, response cases, users and groups, sign-ins — newest
first, filtered by person, action, kind of object, name, date range (dd/mm/yyyy) and address.

Built on Wagtail's own "Site history" report (the same entries, the same CSV/XLSX export), but
for the people allowed to read the log (``audit.view_auditlog``) it shows *every* entry rather
than those of the objects they may edit, adds the address and the changed fields, and is
read-only: GET only, no edit or delete screen exists for an entry (and signals.py refuses a
change made any other way).
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.log_actions import registry as log_registry

from doingoai.core.spreadsheets import FormulaSafeExportMixin

from . import actions
from .models import AuditLogEntry
from .services import audit_log_list

PERMISSION = "audit.view_auditlog"


def can_view_audit_log(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def _all_log_models():
    return list(log_registry.get_log_entry_models())


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    client_address = django_filters.CharFilter(
        label=pgettext_lazy("audit log", "IP address"), method="filter_client_address"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("is_commenting_action", None)
        labels = {
            "action": pgettext_lazy("audit log", "Action"),
            "user": pgettext_lazy("audit log", "Person"),
            "timestamp": pgettext_lazy("audit log", "Date range"),
            "label": pgettext_lazy("audit log", "Object name"),
            "object_type": pgettext_lazy("audit log", "Kind of object"),
        }
        for name, label in labels.items():
            if name in self.filters:
                self.filters[name].label = label
        if "object_type" in self.filters:
            self.filters["object_type"].queryset = self._content_types

    def _content_types(self, request):
        ids = set()
        for model in _all_log_models():
            ids.update(model.objects.all().get_content_type_ids())
        return ContentType.objects.filter(pk__in=ids).order_by("model")

    def get_action_choices(self):
        used = set()
        for model in _all_log_models():
            used.update(model.objects.all().get_actions())
        return [choice for choice in log_registry.get_choices() if choice[0] in used]

    def get_user_choices(self):
        ids = set()
        for model in _all_log_models():
            ids.update(model.objects.all().get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")

    def get_users_queryset(self):
        return self.get_user_choices()

    def filter_client_address(self, queryset, name, value):
        return queryset.filter(data__client_address__startswith=value.strip())


def change_lines(entry) -> list[str]:
    """The changed fields of an entry as people read them."""
    lines = []
    for change in (entry.data or {}).get("changes", []):
        label = change.get("label") or change.get("field", "")
        if "added" in change or "removed" in change:
            parts = []
            if change.get("added"):
                parts.append(_("added %(names)s") % {"names": ", ".join(change["added"])})
            if change.get("removed"):
                parts.append(_("removed %(names)s") % {"names": ", ".join(change["removed"])})
            if change.get("edited"):
                parts.append(_("edited %(names)s") % {"names": ", ".join(change["edited"])})
            if change.get("order"):
                parts.append(_("order changed"))
            lines.append(f"{label}: {'; '.join(parts)}")
        elif "old" in change:
            lines.append(f"{label}: {change['old']} → {change.get('new', '')}")
        else:
            lines.append(_("%(field)s: changed") % {"field": label})
    return lines


class AuditLogView(FormulaSafeExportMixin, LogEntriesView):
    page_title = gettext_lazy("Audit log")
    header_icon = "history"
    results_template_name = "audit/results.html"
    filterset_class = AuditLogFilterSet
    index_url_name = "audit_log"
    index_results_url_name = "audit_log_results"
    http_method_names = ["get", "head", "options"]
    paginate_by = 50

    export_headings = {
        "timestamp": pgettext_lazy("audit log", "Time"),
        "user_display_name": pgettext_lazy("audit log", "Person"),
        "username": pgettext_lazy("audit log", "Username"),
        "action": pgettext_lazy("audit log", "Action"),
        "message": pgettext_lazy("audit log", "What happened"),
        "content_type": pgettext_lazy("audit log", "Kind of object"),
        "object_id": pgettext_lazy("audit log", "ID"),
        "label": pgettext_lazy("audit log", "Object name"),
        "changes_text": pgettext_lazy("audit log", "Changes"),
        "client_address": pgettext_lazy("audit log", "IP address"),
    }
    list_export = list(export_headings)

    def dispatch(self, request, *args, **kwargs):
        if not can_view_audit_log(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return "nhat-ky-thao-tac-{}".format(timezone.localdate().strftime("%Y-%m-%d"))

    def get_filtered_queryset(self):
        """As Wagtail's report, over every entry (not only those of objects the reader may
        edit): a union of the page and model log tables, newest first."""
        queryset = None
        self.log_models = _all_log_models()
        for index, model in enumerate(self.log_models):
            sub = (
                model.objects.all()
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub = self.filter_queryset(sub).order_by()
            queryset = sub if queryset is None else queryset.union(sub, all=True)
        return queryset.order_by("-timestamp", "-pk")

    def decorate_paginated_queryset(self, queryset):
        entries = super().decorate_paginated_queryset(queryset)
        for entry in entries:
            entry.client_address = (entry.data or {}).get("client_address", "")
            entry.change_lines = change_lines(entry)
            entry.changes_text = "; ".join(entry.change_lines)
            entry.username = entry.user.get_username() if entry.user_id and entry.user else ""
            entry.local_time = timezone.localtime(entry.timestamp)
        return entries

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["timestamp"] = item.local_time.strftime("%d/%m/%Y %H:%M:%S")
        row["message"] = str(item.message)
        return row

    def as_spreadsheet(self, queryset, spreadsheet_format):
        audit_log_list(
            AuditLogEntry,
            actions.EXPORT,
            user=self.request.user,
            label=str(_("Audit log")),
            data={
                "format": spreadsheet_format,
                "rows": len(queryset),
                "filters": self.request.GET.urlencode(),
            },
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)
