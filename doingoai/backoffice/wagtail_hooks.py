"""The back office as the province's: our guide in the Help menu, none of Wagtail's own links."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

# Wagtail's help items and dashboard panels that point staff to wagtail.org (in English)
WAGTAIL_HELP_ITEMS = ("editor-guide",)
WAGTAIL_HELP_ITEM_PREFIXES = ("whats-new-in-wagtail",)
WAGTAIL_DASHBOARD_PANELS = ("whats_new_in_wagtail_version", "upgrade_notification")


@hooks.register("register_admin_urls")
def guide_urls():
    return [
        path("huong-dan/", views.GuideView.as_view(), name="backoffice_guide"),
        path("huong-dan/anh/<str:name>", views.guide_image, name="backoffice_guide_image"),
    ]


@hooks.register("register_help_menu_item")
def guide_menu_item():
    return MenuItem(
        _("User guide"), reverse("backoffice_guide"), name="huong-dan", icon_name="help", order=900
    )


@hooks.register("construct_help_menu")
def drop_wagtail_help_items(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_HELP_ITEMS
        and not item.name.startswith(WAGTAIL_HELP_ITEM_PREFIXES)
    ]


@hooks.register("construct_homepage_panels")
def drop_wagtail_dashboard_panels(request, panels):
    panels[:] = [
        panel for panel in panels if getattr(panel, "name", "") not in WAGTAIL_DASHBOARD_PANELS
    ]
