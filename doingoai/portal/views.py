from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from wagtail.models import Page

from .navigation import portal_furniture


def translation_missing(request, page_id: int):
    """Shown instead of a bare 404 when a page has no version in the visitor's language."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    original = (
        page.get_translations(inclusive=True)
        .live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .first()
        or page
    )
    available = [
        (other.locale.language_code, other.title, other.get_url(request=request))
        for other in page.get_translations(inclusive=True).live().public().select_related("locale")
    ]
    context = {
        "original": original,
        "available": available,
        "language_name": dict(settings.LANGUAGES).get(translation.get_language(), ""),
        "portal": portal_furniture(request=request, page=None),
    }
    response = render(request, "portal/translation_missing.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
