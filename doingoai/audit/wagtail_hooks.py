"""The audit log in the back office: our actions named for every history screen, the "Nhật ký
thao tác" screen in the Reports menu (instead of Wagtail's "Site history", whose address now
leads to it), and its permission offered on the group screen."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import actions, views


@hooks.register("register_log_actions")
def register_audit_actions(registry):
    actions.register_actions(registry)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("nhat-ky-thao-tac/", views.AuditLogView.as_view(), name="audit_log"),
        path(
            "nhat-ky-thao-tac/ket-qua/",
            views.AuditLogView.as_view(results_only=True),
            name="audit_log_results",
        ),
    ]


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_view_audit_log(request.user)


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("Audit log"), reverse("audit_log"), name="audit-log", icon_name="history", order=1000
    )


@hooks.register("construct_reports_menu")
def hide_site_history(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("register_permissions")
def register_audit_permission():
    return Permission.objects.filter(content_type__app_label="audit", codename="view_auditlog")
