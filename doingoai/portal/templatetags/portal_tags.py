from django import template
from django.utils import timezone

from ..navigation import portal_furniture

register = template.Library()


@register.simple_tag(takes_context=True)
def get_portal(context):
    """{% get_portal as portal %}: home, sections and language links for this request."""
    request = context.get("request")
    page = context.get("page") if hasattr(context.get("page"), "get_translations") else None
    return portal_furniture(request=request, page=page)


@register.filter
def vn_datetime(value):
    """dd/mm/yyyy HH:MM in the portal's time zone, whatever the language."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


@register.filter
def vn_date(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y")


@register.filter
def news_kind(item) -> str:
    """ "article", "photo" or "video", from the cached content type (no query)."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(item.content_type_id).model
    return {"photostorypage": "photo", "videostorypage": "video"}.get(model, "article")


@register.filter
def within(page, ancestor) -> bool:
    """True when ``page`` is ``ancestor`` or below it in the page tree."""
    return bool(page and ancestor and getattr(page, "path", "").startswith(ancestor.path))
