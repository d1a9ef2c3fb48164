"""The admin form of every portal page type."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import SlugInput

from doingoai.text.slugs import formatters_for


def page_language(page, parent_page=None) -> str:
    """The language code of a page being edited, or of the page it is being added under."""
    for candidate in (page, parent_page):
        if candidate is not None and getattr(candidate, "locale_id", None):
            return candidate.locale.language_code
    return "vi"


class PortalPageForm(WagtailAdminPageForm):
    """Wagtail's page form whose live slug field writes addresses as ``slugify_title`` does
    on the server: Vietnamese without its marks (đ → d), Chinese in pinyin, Lao romanised
    (``doingoai.text.slugs``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("slug")
        if field is not None:
            language = page_language(self.instance, self.parent_page)
            attrs = {
                name: value
                for name, value in field.widget.attrs.items()
                if not name.startswith("data-")  # Wagtail's own data attributes are rebuilt
            }
            field.widget = SlugInput(
                attrs=attrs, formatters=formatters_for(language), locale=language
            )
