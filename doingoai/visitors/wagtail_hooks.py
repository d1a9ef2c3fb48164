from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .selectors import visit_counter


@hooks.register("before_serve_page")
def mark_page_for_counting(page, request, serve_args, serve_kwargs):
    # The middleware counts the view after the response; it only needs the id.
    request.visit_page_id = page.id


class VisitCounterPanel(Component):
    """Bảng điều khiển: the portal's visitor counter, as the public sees it."""

    name = "visit_counter"
    order = 50
    template_name = "visitors/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        return {"counter": visit_counter()}


@hooks.register("construct_homepage_panels")
def add_visit_counter_panel(request, panels):
    panels.append(VisitCounterPanel())


@hooks.register("register_admin_urls")
def statistics_urls():
    from .views import statistics

    return [path("thong-ke-truy-cap/", statistics, name="visitors_statistics")]


@hooks.register("register_reports_menu_item")
def statistics_menu_item():
    return MenuItem(
        _("Visitor statistics"), reverse("visitors_statistics"), icon_name="view", order=50
    )
