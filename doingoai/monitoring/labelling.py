"""Staff labelling of items (gán nhãn) in the back office: the training data of the classifier.

- ``label_edit``: the label form of one item ("Gán nhãn"), reached from the item's page; it
  shows the text, what the active classifier says and why (matched lexicon terms), and is
  prefilled with the current label or, for a new one, with the classifier's guess.
- ``label_list``: the labels given so far, with counts per topic and per risk.
- ``LabelInspectMixin`` and ``ItemIndexView``: the buttons ("Gán nhãn", "Nhãn") and the
  classification rows that the item screens of ``viewsets.ItemViewSet`` show.

Editors and approving leaders may label (``monitoring.add_itemlabel`` /
``change_itemlabel``, granted by ``services.monitoring_grant_permissions``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from doingoai.textproc.classify import Classification

from .classification import item_text, lexicon_current
from .models import Item, ItemLabel

LABEL_PERMISSIONS = ("monitoring.add_itemlabel", "monitoring.change_itemlabel")
LIST_PERMISSION = "monitoring.view_itemlabel"
PAGE_SIZE = 50
EXCERPT_CHARS = 1500


def can_label(user) -> bool:
    """Whether ``user`` may give or change an item's label."""
    return any(user.has_perm(permission) for permission in LABEL_PERMISSIONS)


class ItemLabelForm(forms.ModelForm):
    class Meta:
        model = ItemLabel
        fields = ["topic", "risk"]
        widgets = {"risk": forms.RadioSelect}


def _initial(item: Item) -> dict:
    """The classifier's guess, offered as the starting point of a new label."""
    guess = Classification(topic=item.topic, risk_scores=dict(item.risk_scores or {}))
    return {"topic": item.topic, "risk": guess.risk}


def label_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Give or change the label of item ``pk``."""
    if not can_label(request.user):
        return permission_denied(request)
    item = get_object_or_404(Item.objects.select_related("source"), pk=pk)
    label = ItemLabel.objects.filter(item=item).first()
    if request.method == "POST":
        form = ItemLabelForm(request.POST, instance=label or ItemLabel(item=item))
        if form.is_valid():
            saved = form.save(commit=False)
            saved.labelled_by = request.user
            saved.labelled_at = timezone.now()
            saved.save()
            messages.success(request, _("Label saved."))
            return redirect(reverse("monitoring_items:inspect", args=[item.pk]))
    else:
        form = ItemLabelForm(instance=label, initial=None if label else _initial(item))
    explanation = lexicon_current().classify(item_text(item)).explanation
    context = {
        "page_title": _("Label item"),
        "item": item,
        "label": label,
        "form": form,
        "excerpt": item.text[:EXCERPT_CHARS],
        "truncated": len(item.text) > EXCERPT_CHARS,
        "explanation": explanation,
        "topic_name": dict(ItemLabel.Topic.choices).get(item.topic, item.topic),
    }
    return render(request, "monitoring/label_form.html", context)


def label_list(request: HttpRequest) -> HttpResponse:
    """The labels given so far (newest first), filterable by risk, with counts."""
    if not request.user.has_perm(LIST_PERMISSION):
        return permission_denied(request)
    labels = ItemLabel.objects.select_related("item", "labelled_by")
    risk = request.GET.get("risk", "")
    if risk in ItemLabel.Risk.values:
        labels = labels.filter(risk=risk)
    page = Paginator(labels, PAGE_SIZE).get_page(request.GET.get("p"))
    topics = dict(ItemLabel.Topic.choices)
    risks = dict(ItemLabel.Risk.choices)
    context = {
        "page_title": _("Item labels"),
        "page": page,
        "risk": risk,
        "risk_choices": ItemLabel.Risk.choices,
        "topic_counts": [
            (topics.get(row["topic"], row["topic"]) or "-", row["n"])
            for row in ItemLabel.objects.values("topic").annotate(n=Count("pk")).order_by("-n")
        ],
        "risk_counts": [
            (risks.get(row["risk"], row["risk"]), row["n"])
            for row in ItemLabel.objects.values("risk").annotate(n=Count("pk")).order_by("-n")
        ],
        "total": ItemLabel.objects.count(),
        "can_label": can_label(request.user),
    }
    return render(request, "monitoring/label_list.html", context)


# --- Pieces of the item screens (used by viewsets.ItemViewSet) ------------------------------


def label_urlpatterns() -> list:
    """Added to the item viewset's URLs: ``monitoring_items:label`` and ``:labels``."""
    return [
        path("gan-nhan/<int:pk>/", label_edit, name="label"),
        path("nhan/", label_list, name="labels"),
    ]


class ItemIndexView(IndexView):
    """The item listing, with a button to the labels."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(LIST_PERMISSION):
            buttons.append(
                HeaderButton(_("Labels"), url=reverse("monitoring_items:labels"), icon_name="tag")
            )
        return buttons


class LabelInspectMixin:
    """The item's page: a "Label" button, the risk per kind, the matched terms, the label."""

    classification_labels = {
        "classification_terms": gettext_lazy("Matched classification terms"),
        "staff_label": gettext_lazy("Staff label"),
    }

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_label(self.request.user):
            url = reverse("monitoring_items:label", args=[self.object.pk])
            buttons.append(HeaderButton(_("Label"), url=url, icon_name="tag"))
        return buttons

    def get_topic_display_value(self):
        topic = self.object.topic
        return dict(ItemLabel.Topic.choices).get(topic, topic) or "-"

    def get_risk_scores_display_value(self):
        names = dict(ItemLabel.Risk.choices)
        scores = self.object.risk_scores or {}
        if not scores:
            return "-"
        return format_html_join(
            "", "<div>{}: {}</div>", ((names.get(k, k), f"{v:.2f}") for k, v in scores.items())
        )

    def get_classification_terms_display_value(self):
        terms = lexicon_current().classify(item_text(self.object)).explanation
        return format_html_join("", "<div>{}</div>", ((term,) for term in terms)) or "-"

    def get_staff_label_display_value(self):
        label = ItemLabel.objects.filter(item=self.object).select_related("labelled_by").first()
        return str(label) if label else _("Not labelled yet")

    def get_field_label(self, field_name, field):
        if field_name in self.classification_labels:
            return self.classification_labels[field_name]
        return super().get_field_label(field_name, field)
