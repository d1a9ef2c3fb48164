"""Back-office screens of the monitoring module, grouped under one menu item."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .labelling import ItemIndexView, LabelInspectMixin, label_urlpatterns
from .models import Cluster, Item, Source, WatchTerm
from .selectors import cluster_growth
from .views import AuditedEditView, FetchNowColumn, SourceInspectView


class CountColumn(Column):
    """A whole number grouped the Vietnamese way (1.237), as the rest of the back office."""

    def get_value(self, instance):
        from django.contrib.humanize.templatetags.humanize import intcomma

        value = super().get_value(instance)
        return intcomma(value) if isinstance(value, int) else value


URL_ROOT = "theo-doi-thong-tin"
# Apps built on monitoring (responses: "Mở vụ việc") add buttons to the item and story pages
# through this hook, so monitoring never imports them: fn(request, obj) -> list[HeaderButton].
INSPECT_BUTTONS_HOOK = "register_monitoring_inspect_buttons"


class ExtensionButtonsMixin:
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        for hook in hooks.get_hooks(INSPECT_BUTTONS_HOOK):
            buttons.extend(hook(self.request, self.object))
        return buttons


class FoundDataPermissionPolicy(ModelPermissionPolicy):
    """Items and stories are what the pipeline found: nobody adds or edits them by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("add", "change")]
        return super().users_with_any_permission(actions)


def register_monitoring_policies() -> None:
    """Called from AppConfig.ready(), before any viewset asks for a policy."""
    for model in (Item, Cluster):
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, FoundDataPermissionPolicy(model), exact_class=True)


class SourceViewSet(ModelViewSet):
    model = Source
    name = "monitoring_sources"
    url_prefix = f"{URL_ROOT}/nguon"
    icon = "rss"
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    edit_view_class = AuditedEditView
    list_display = [
        "name",
        # Next to the name: the listing is wide, the button must not need scrolling to.
        FetchNowColumn("fetch_now", label=_("Fetch")),
        "kind",
        "active",
        DateColumn("last_fetched_at", label=_("Last fetched")),
        "last_status",
        "consecutive_failures",
        "last_new_items",
        Column("last_error_short", label=_("Last error")),
    ]
    list_filter = ["kind", "active", "last_status"]
    search_fields = ["name", "url"]
    inspect_view_fields = [
        "name",
        "kind",
        "url",
        "platform",
        "link_pattern",
        "fetch_interval_minutes",
        "active",
        "last_fetched_at",
        "last_status",
        "last_http_status",
        "last_error",
        "consecutive_failures",
        "last_new_items",
        "next_fetch_at",
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("platform"), FieldPanel("link_pattern")]),
        FieldRowPanel([FieldPanel("fetch_interval_minutes"), FieldPanel("active")]),
    ]

    def get_edit_handler(self):
        return ObjectList(self.panels).bind_to_model(self.model)


class ItemInspectView(ExtensionButtonsMixin, LabelInspectMixin, InspectView):
    def get_matched_terms_display_value(self):
        return ", ".join(self.object.matched_terms) or "-"


class ItemViewSet(ModelViewSet):
    model = Item
    # Machine-written rows: their links (to a source, a story) are no editorial "usage",
    # and indexing them would add index rows to every stored item (rows.row_insert).
    add_to_reference_index = False
    name = "monitoring_items"
    url_prefix = f"{URL_ROOT}/tin-bai"
    icon = "doc-full"
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = ItemInspectView
    index_view_class = ItemIndexView
    list_display = [
        "__str__",
        "source",
        DateColumn("published_at", label=_("Published")),
        "relevance",
        "topic",
        "risk_score",
        "extraction_status",
        "cluster",
    ]
    list_filter = ["source", "extraction_status", "kind", "language", "topic"]
    search_fields = ["title", "canonical_url", "author"]
    inspect_view_fields = [
        "title",
        "url",
        "canonical_url",
        "source",
        "kind",
        "published_at",
        "author",
        "language",
        "fetched_at",
        "extraction_status",
        "error",
        "relevance",
        "matched_terms",
        "topic",
        "topic_score",
        "risk_score",
        "risk_scores",
        "classification_terms",
        "classifier_version",
        "staff_label",
        "cluster",
        "text",
    ]
    panels = [MultiFieldPanel([FieldPanel("title")])]  # never shown: items are read-only

    def get_urlpatterns(self):
        return super().get_urlpatterns() + label_urlpatterns()

    def get_queryset(self, request):
        return Item.objects.defer("signature", "text").select_related("source", "cluster")

    def get_edit_handler(self):
        return ObjectList(self.panels).bind_to_model(self.model)


class ClusterInspectView(ExtensionButtonsMixin, InspectView):
    def get_growth_display_value(self):
        rows = cluster_growth(cluster=self.object, by="day")
        if not rows:
            return "-"
        return format_html(
            "<table class='listing'><thead><tr><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Day"),
            _("Mentions"),
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td></tr>", ((f"{day:%d/%m/%Y}", n) for day, n in rows)
            ),
        )

    def get_items_display_value(self):
        items = self.object.items.select_related("source").order_by("fetched_at")[:50]
        return format_html_join(
            "", "<div>{} — {}</div>", ((item.source.name, item.title or item.url) for item in items)
        )

    def get_field_label(self, field_name, field):
        labels = {"growth": _("Mentions per day"), "items": _("Items")}
        if field_name in labels:
            return labels[field_name]
        return super().get_field_label(field_name, field)


class ClusterViewSet(ModelViewSet):
    model = Cluster
    # Machine-written rows: their links (to a source, a story) are no editorial "usage",
    # and indexing them would add index rows to every stored item (rows.row_insert).
    add_to_reference_index = False
    name = "monitoring_clusters"
    url_prefix = f"{URL_ROOT}/cum-tin"
    icon = "copy"
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = ClusterInspectView
    list_display = [
        "__str__",
        CountColumn("mention_count", label=Cluster._meta.get_field("mention_count").verbose_name),
        CountColumn("source_count", label=Cluster._meta.get_field("source_count").verbose_name),
        "max_relevance",
        DateColumn("first_seen", label=_("First seen")),
        DateColumn("last_seen", label=_("Last seen")),
    ]
    search_fields = ["title"]
    inspect_view_fields = [
        "title",
        "mention_count",
        "source_count",
        "max_relevance",
        "first_seen",
        "last_seen",
        "growth",
        "items",
    ]
    panels = [FieldPanel("title")]  # never shown: stories are read-only

    def get_edit_handler(self):
        return ObjectList(self.panels).bind_to_model(self.model)


class WatchTermViewSet(ModelViewSet):
    model = WatchTerm
    name = "monitoring_watch_terms"
    url_prefix = f"{URL_ROOT}/tu-khoa"
    icon = "tag"
    search_backend_name = None
    copy_view_enabled = False
    list_display = ["term", "kind", "weight", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["term", "note"]
    form_fields = ["term", "kind", "weight", "active", "note"]
    edit_view_class = AuditedEditView


class MonitoringGroup(ViewSetGroup):
    menu_label = _("Monitoring")
    menu_icon = "view"
    menu_order = 270
    # The dashboard (first) and the import screen join the group through this hook.
    submenu_hook = "register_monitoring_menu_item"
    items = (ClusterViewSet, ItemViewSet, SourceViewSet, WatchTermViewSet)
