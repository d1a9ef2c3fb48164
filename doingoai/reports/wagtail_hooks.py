"""The reports in Wagtail's back office: URLs and the "Báo cáo định kỳ" menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import urls
from .selectors import user_may_report


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [path("bao-cao-dinh-ky/", include(urls, namespace="reports"))]


class ReportsMenuItem(MenuItem):
    """Shown to staff who may report: members of a unit and province-level staff."""

    def is_shown(self, request):
        return user_may_report(request.user)


class ReportsSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return user_may_report(request.user)


reports_menu = Menu(register_hook_name="register_periodic_reports_menu_item")


@hooks.register("register_periodic_reports_menu_item")
def dashboard_item():
    return ReportsMenuItem(
        _("Figures dashboard"),
        reverse("reports:dashboard"),
        name="reports-dashboard",
        icon_name="view",
        order=10,
    )


@hooks.register("register_periodic_reports_menu_item")
def index_item():
    return ReportsMenuItem(
        _("Reports made"),
        reverse("reports:index"),
        name="reports-index",
        icon_name="list-ul",
        order=20,
    )


@hooks.register("register_periodic_reports_menu_item")
def create_item():
    return ReportsMenuItem(
        _("Make a report"),
        reverse("reports:create"),
        name="reports-create",
        icon_name="plus",
        order=30,
    )


@hooks.register("register_admin_menu_item")
def register_reports_menu():
    return ReportsSubmenu(
        _("Periodic reports"),
        reports_menu,
        name="periodic-reports",
        icon_name="doc-full",
        order=270,
    )
