from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Banner, RelatedPortalLink


class BannerViewSet(SnippetViewSet):
    model = Banner
    icon = "image"
    list_display = ["title", "slot", "sort_order", "is_active", "locale"]
    list_filter = ["slot", "is_active", "locale"]
    search_fields = ["title"]


class RelatedPortalLinkViewSet(SnippetViewSet):
    model = RelatedPortalLink
    icon = "link"
    list_display = ["title", "url", "sort_order", "locale"]


class PortalFurnitureGroup(SnippetViewSetGroup):
    menu_label = _("Home page blocks")
    menu_icon = "home"
    menu_order = 250
    items = (BannerViewSet, RelatedPortalLinkViewSet)


register_snippet(PortalFurnitureGroup)
