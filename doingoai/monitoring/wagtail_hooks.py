"""The monitoring module in Wagtail's back office: the menu group *Theo dõi thông tin* (its
model screens come from ``viewsets.MonitoringGroup``; the dashboard and the import screen
join it through ``MONITORING_MENU_HOOK``), the admin URLs of the other screens, and a summary
panel on the back-office home page."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import views
from .selectors import monitoring_summary
from .viewsets import URL_ROOT, MonitoringGroup

MONITORING_MENU_HOOK = "register_monitoring_menu_item"


@hooks.register("register_admin_viewset")
def register_monitoring():
    return MonitoringGroup()


@hooks.register("register_admin_urls")
def monitoring_urls():
    return [
        path(f"{URL_ROOT}/tong-quan/", views.dashboard, name="monitoring_dashboard"),
        path(
            f"{URL_ROOT}/nguon/<int:pk>/lay-tin-ngay/",
            views.fetch_now,
            name="monitoring_fetch_now",
        ),
        path(
            f"{URL_ROOT}/nhap-mang-xa-hoi/",
            views.social_upload,
            name="monitoring_social_import",
        ),
    ]


class PermissionMenuItem(MenuItem):
    """A menu entry shown only to users for whom ``allowed(user)`` is true."""

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register(MONITORING_MENU_HOOK)
def dashboard_menu_item():
    return PermissionMenuItem(
        _("Overview"),
        reverse("monitoring_dashboard"),
        name="monitoring-dashboard",
        icon_name="view",
        order=0,
        allowed=views.can_view_monitoring,
    )


@hooks.register(MONITORING_MENU_HOOK)
def social_import_menu_item():
    return PermissionMenuItem(
        _("Import social-media data"),
        reverse("monitoring_social_import"),
        name="monitoring-social-import",
        icon_name="upload",
        order=90,
        allowed=views.can_manage_sources,
    )


class MonitoringSummaryPanel(Component):
    """Bảng điều khiển: monitoring figures of the last 24 hours."""

    name = "monitoring_summary"
    order = 60
    template_name = "monitoring/panel_summary.html"

    def get_context_data(self, parent_context=None):
        return {"summary": monitoring_summary()}


@hooks.register("construct_homepage_panels")
def add_monitoring_panel(request, panels):
    if views.can_view_monitoring(request.user):
        panels.append(MonitoringSummaryPanel())
