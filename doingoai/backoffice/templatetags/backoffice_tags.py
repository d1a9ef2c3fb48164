from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def backoffice_site_name() -> str:
    """The province portal's name (settings.WAGTAIL_SITE_NAME, env DOINGOAI_SITE_NAME)."""
    return settings.WAGTAIL_SITE_NAME
