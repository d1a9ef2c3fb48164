"""The staff guide inside the back office (/quan-tri/huong-dan/), for every signed-in officer."""

from __future__ import annotations

from posixpath import basename

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import guide


def _image_url(src: str) -> str | None:
    """URL of a picture the guide names as ``anh/<file>.png`` (relative to docs/guide)."""
    directory, _slash, name = src.rpartition("/")
    if directory != "anh" or not guide.IMAGE_NAME.match(name):
        return None
    return reverse("backoffice_guide_image", args=[name])


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("User guide")
    header_icon = "help"
    template_name = "backoffice/guide.html"
    _guide: guide.Guide | None = None

    def get_guide(self) -> guide.Guide:
        if self._guide is None:
            self._guide = guide.load_guide(_image_url)
        return self._guide

    def get_page_title(self):
        return self.get_guide().title or super().get_page_title()

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["guide"] = self.get_guide()
        return context


def guide_image(request, name: str):
    """A screenshot of the guide (staff only, like the guide: it shows the back office)."""
    name = basename(name)
    path = guide.IMAGE_DIR / name
    if not guide.IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    return response
