"""Back-office views of alerts and response cases.

Cases are read through the unit-scoped policy (permissions.py): listings show a unit's
officers the cases of their unit; opening another unit's case is refused like any other missing
permission. Moving a case and commenting are POST-only (with Django's CSRF check).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.generic import View
from wagtail.admin.views.generic import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    InspectView,
)
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from doingoai.audit.changes import AuditedEditMixin
from doingoai.monitoring.models import Cluster, Item

from .cases import transitions_from
from .forms import CommentForm, TransitionForm
from .models import ResponseCase
from .permissions import case_policy
from .services import case_comment, case_link_article, case_open, case_transition

ANY_ACTION = ["view", "add", "change", "delete"]


def _visible_case(request, pk, actions) -> ResponseCase:
    case = get_object_or_404(ResponseCase, pk=pk)
    if not case_policy().user_has_any_permission_for_instance(request.user, actions, case):
        raise PermissionDenied
    return case


def open_case_url(*, cluster_id: int | None = None, item_id: int | None = None) -> str:
    """The "open a case" screen prefilled from a story or an item."""
    url = reverse("responses_cases:add")
    if cluster_id:
        return f"{url}?cluster={cluster_id}"
    return f"{url}?item={item_id}" if item_id else url


def _cluster_link(cluster):
    if cluster is None:
        return "-"
    url = reverse("monitoring_clusters:inspect", args=[cluster.pk])
    return format_html('<a href="{}">{}</a>', url, cluster)


def _item_link(item):
    if item is None:
        return "-"
    url = reverse("monitoring_items:inspect", args=[item.pk])
    return format_html('<a href="{}">{}</a>', url, item)


# --- cases ------------------------------------------------------------------------------------


class CaseIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("agency")
        return case_policy().scope_queryset(self.request.user, ANY_ACTION, queryset)


def _source_from_query(request) -> tuple[Cluster | None, Item | None]:
    cluster = item = None
    if (value := request.GET.get("item", "")).isdigit():
        item = Item.objects.filter(pk=value).select_related("cluster").first()
        cluster = item.cluster if item else None
    if (value := request.GET.get("cluster", "")).isdigit():
        cluster = Cluster.objects.filter(pk=value).first() or cluster
    return cluster, item


class CaseCreateView(CreateView):
    """Opened from a story (``?cluster=``) or an item (``?item=``): title and links prefilled."""

    def get_initial_form_instance(self):
        cluster, item = _source_from_query(self.request)
        if cluster is None and item is None:
            return super().get_initial_form_instance()
        return ResponseCase(
            cluster=cluster,
            item=item,
            title=str(item or cluster)[:500],
            summary=item.url if item is not None else "",
        )

    def save_instance(self):
        data = self.form.cleaned_data
        return case_open(
            user=self.request.user,
            title=data["title"],
            summary=data.get("summary", ""),
            cluster=data.get("cluster"),
            item=data.get("item"),
            agency=data.get("agency"),
            deadline=data.get("deadline"),
        )

    def get_success_url(self):
        return reverse("responses_cases:inspect", args=[self.object.pk])


class AuditedEditView(AuditedEditMixin, EditView):
    """Alert rules: the fields the user changed go into the audit log."""


class CaseEditView(AuditedEditMixin, EditView):
    def get_object(self, queryset=None):
        case = super().get_object(queryset)
        if not case_policy().user_has_permission_for_instance(self.request.user, "change", case):
            raise PermissionDenied
        return case

    def save_instance(self):
        article_changed = "article" in self.form.changed_data
        instance = super().save_instance()
        if article_changed:
            case_link_article(case=instance, article=instance.article, user=self.request.user)
        return instance


class CaseDeleteView(DeleteView):
    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        case = super().get_object(queryset)
        if not case_policy().user_has_permission_for_instance(self.request.user, "delete", case):
            raise PermissionDenied
        return case


class CaseInspectView(InspectView):
    """The case screen: its fields, the timeline and the buttons to move it."""

    template_name = "responses/case_inspect.html"

    def get_object(self, queryset=None):
        return _visible_case(self.request, self.pk, ANY_ACTION)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.object
        may_change = case_policy().user_has_permission_for_instance(
            self.request.user, "change", case
        )
        context.update(
            events=case.events.select_related("user"),
            may_change=may_change,
            transitions=[
                (value, ResponseCase.Status(value).label) for value in transitions_from(case.status)
            ]
            if may_change
            else [],
            transition_url=reverse("responses_cases:transition", args=[case.pk]),
            comment_url=reverse("responses_cases:comment", args=[case.pk]),
            comment_form=CommentForm(),
        )
        return context

    def get_cluster_display_value(self):
        return _cluster_link(self.object.cluster)

    def get_item_display_value(self):
        return _item_link(self.object.item)

    def get_article_display_value(self):
        article = self.object.article
        if article is None:
            return "-"
        state = pgettext("article state", "published") if article.live else _("not published yet")
        return format_html("{} ({})", article.title, state)

    def get_agency_display_value(self):
        return self.object.agency or "-"

    def get_opened_by_display_value(self):
        return self.object.opened_by or "-"

    def get_opened_at_display_value(self):
        return _local(self.object.opened_at)

    def get_first_response_at_display_value(self):
        return _local(self.object.first_response_at)

    def get_answered_at_display_value(self):
        return _local(self.object.answered_at)

    def get_closed_at_display_value(self):
        return _local(self.object.closed_at)

    def get_deadline_display_value(self):
        case = self.object
        if case.deadline is None:
            return "-"
        text = f"{case.deadline:%d/%m/%Y}"
        return format_html("{} <b>({})</b>", text, _("overdue")) if case.is_overdue() else text


class _CaseActionView(PermissionCheckedMixin, View):
    """POST-only action on one case (the CSRF middleware checks the token)."""

    http_method_names = ["post"]
    permission_required = "change"
    permission_policy = None
    model = ResponseCase

    def post(self, request, pk):
        case = _visible_case(request, pk, ["change"])
        try:
            self.act(request, case)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("responses_cases:inspect", pk=case.pk)

    def act(self, request, case):  # pragma: no cover - overridden
        raise NotImplementedError


class CaseTransitionView(_CaseActionView):
    def act(self, request, case):
        form = TransitionForm(request.POST, case=case)
        if not form.is_valid():
            raise ValidationError(
                _("A case cannot go from “%(from)s” to “%(to)s”.")
                % {"from": case.get_status_display(), "to": request.POST.get("to", "")}
            )
        case = case_transition(
            case=case,
            to=form.cleaned_data["to"],
            user=request.user,
            comment=form.cleaned_data["comment"],
            answer_note=form.cleaned_data["answer_note"],
        )
        messages.success(
            request,
            _("Case %(code)s is now “%(status)s”.")
            % {"code": case.code, "status": case.get_status_display()},
        )


class CaseCommentView(_CaseActionView):
    def act(self, request, case):
        form = CommentForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("The comment is empty."))
        case_comment(case=case, user=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("Comment added."))


# --- alerts -----------------------------------------------------------------------------------


class AlertIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("rule", "cluster", "item")
        return queryset.defer("item__text", "item__signature", "item__extra")


class AlertInspectView(InspectView):
    def get_cluster_display_value(self):
        return _cluster_link(self.object.cluster)

    def get_item_display_value(self):
        return _item_link(self.object.item)

    def get_deliveries_display_value(self):
        rows = self.object.deliveries.all()
        if not rows:
            return _("No channel set: shown here and in the digest only.")
        return format_html(
            "<table class='listing'><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Channel"),
            _("Sent to"),
            _("Status"),
            _("Attempts"),
            _("Sent at"),
            _("Error"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        d.get_channel_display(),
                        d.target,
                        d.get_status_display(),
                        d.attempts,
                        _local(d.sent_at),
                        d.error or "-",
                    )
                    for d in rows
                ),
            ),
        )

    def get_created_display_value(self):
        return _local(self.object.created)

    def get_field_label(self, field_name, field):
        if field_name == "deliveries":
            return _("Deliveries")
        return super().get_field_label(field_name, field)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        alert = self.object
        if case_policy().user_has_permission(self.request.user, "add") and (
            alert.cluster_id or alert.item_id
        ):
            buttons.append(
                Button(
                    _("Open a case"),
                    url=open_case_url(cluster_id=alert.cluster_id, item_id=alert.item_id),
                    icon_name="plus",
                    priority=5,
                )
            )
        return buttons


def _local(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else "-"
