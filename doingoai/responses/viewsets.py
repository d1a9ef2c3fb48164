"""Back-office screens of alerts and response cases, under one menu item (Xử lý thông tin)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from doingoai.registers.models import Unit
from doingoai.registers.selectors import units_for_user

from . import views
from .forms import AlertRuleForm, ResponseCaseForm
from .models import Alert, AlertRule, ResponseCase

URL_ROOT = "xu-ly-thong-tin"


# --- alert rules ------------------------------------------------------------------------------


class AlertRuleViewSet(ModelViewSet):
    model = AlertRule
    name = "responses_rules"
    url_prefix = f"{URL_ROOT}/quy-tac"
    icon = "cog"
    search_backend_name = None
    copy_view_enabled = False
    edit_view_class = views.AuditedEditView
    list_display = ["name", "active", "min_risk", "growth_mentions", "watch_people", "max_per_hour"]
    list_filter = ["active"]
    search_fields = ["name"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("active")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("min_risk"), FieldPanel("min_relevance")]),
                FieldPanel("topic"),
                FieldRowPanel([FieldPanel("growth_mentions"), FieldPanel("growth_hours")]),
                FieldPanel("watch_terms"),
                FieldPanel("watch_people"),
            ],
            heading=_("Conditions (all that are set must hold)"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("recipient_users"),
                FieldPanel("recipient_groups"),
                FieldPanel("recipient_emails"),
                FieldPanel("webhook_url"),
            ],
            heading=_("Where to send"),
        ),
        FieldRowPanel([FieldPanel("max_per_hour"), FieldPanel("cooldown_mentions")]),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=AlertRuleForm).bind_to_model(self.model)


# --- alerts -----------------------------------------------------------------------------------


def _subject(alert: Alert):
    return alert.cluster or alert.item or "-"


def _open_case_link(alert: Alert):
    if not (alert.cluster_id or alert.item_id):
        return ""
    url = views.open_case_url(cluster_id=alert.cluster_id, item_id=alert.item_id)
    return format_html(
        '<a class="button button-small button-secondary" href="{}">{}</a>', url, _("Open a case")
    )


class AlertViewSet(ModelViewSet):
    model = Alert
    name = "responses_alerts"
    url_prefix = f"{URL_ROOT}/canh-bao"
    icon = "warning"
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = views.AlertIndexView
    inspect_view_class = views.AlertInspectView
    list_display = [
        DateColumn("created", label=pgettext_lazy("alert", "Created")),
        Column("rule", label=_("Alert rule")),
        Column("subject", label=_("Story or item"), accessor=_subject),
        Column("reason_short", label=_("Reason"), accessor=lambda a: Truncator(a.reason).chars(90)),
        BooleanColumn("notified", label=_("Notified")),
        Column("open_case", label=_("Response"), accessor=_open_case_link),
    ]
    list_filter = ["rule", "notified"]
    search_fields = ["reason"]
    inspect_view_fields = [
        "rule",
        "cluster",
        "item",
        "reason",
        "mentions",
        "notified",
        "created",
        "deliveries",
    ]
    panels = [FieldPanel("reason")]  # never shown: alerts are read-only

    def get_edit_handler(self):
        return ObjectList(self.panels).bind_to_model(self.model)


# --- cases ------------------------------------------------------------------------------------


def _units(request):
    return units_for_user(request.user) if request is not None else Unit.objects.none()


class ResponseCaseFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ResponseCase.Status.choices, empty_label=_("All")
    )
    agency = django_filters.ModelChoiceFilter(label=_("Responsible unit"), queryset=_units)
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("yes", _("Overdue")), ("no", _("Not overdue"))],
        method="filter_overdue",
        empty_label=_("All"),
    )

    class Meta:
        model = ResponseCase
        fields = ["status", "agency", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=ResponseCase.OPEN_STATUSES, deadline__lt=timezone.localdate())
        if value == "yes":
            return queryset.filter(overdue)
        if value == "no":
            return queryset.exclude(overdue)
        return queryset


class ResponseCaseViewSet(ModelViewSet):
    model = ResponseCase
    name = "responses_cases"
    url_prefix = f"{URL_ROOT}/vu-viec"
    icon = "tasks"
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = views.CaseIndexView
    add_view_class = views.CaseCreateView
    edit_view_class = views.CaseEditView
    delete_view_class = views.CaseDeleteView
    inspect_view_class = views.CaseInspectView
    list_display = [
        "code",
        Column("title", label=_("Title"), accessor=lambda c: Truncator(c.title).chars(80)),
        "status",
        "agency",
        # A deadline is a calendar day: shown as dd/mm/yyyy, not "3 days ago".
        Column(
            "deadline",
            label=_("Deadline"),
            accessor=lambda c: date_format(c.deadline, "SHORT_DATE_FORMAT") if c.deadline else "-",
        ),
        BooleanColumn("is_overdue", label=_("Overdue")),
        DateColumn("opened_at", label=_("Opened at")),
    ]
    filterset_class = ResponseCaseFilterSet
    search_fields = ["code", "title", "summary"]
    inspect_view_fields = [
        "code",
        "title",
        "summary",
        "status",
        "agency",
        "deadline",
        "cluster",
        "item",
        "article",
        "answer_note",
        "opened_by",
        "opened_at",
        "first_response_at",
        "answered_at",
        "closed_at",
    ]
    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("agency"), FieldPanel("deadline")]),
        FieldPanel("article"),
        FieldPanel("answer_note"),
        FieldPanel("cluster"),
        FieldPanel("item"),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=ResponseCaseForm).bind_to_model(self.model)

    def get_urlpatterns(self):
        common = {"model": self.model, "permission_policy": self.permission_policy}
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/chuyen-trang-thai/",
                views.CaseTransitionView.as_view(**common),
                name="transition",
            ),
            path("<int:pk>/ghi-chu/", views.CaseCommentView.as_view(**common), name="comment"),
        ]


class ResponsesGroup(ViewSetGroup):
    menu_label = _("Responding to information")
    menu_icon = "tasks"
    menu_order = 275
    items = (ResponseCaseViewSet, AlertViewSet, AlertRuleViewSet)
