from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class PortalImageForm(BaseImageForm):
    """Image edit form that makes the description (alt text) mandatory (WCAG 1.1.1)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            field = self.fields["description"]
            field.required = True
            field.label = _("Alt text (what the image shows)")
            field.help_text = _(
                "Read aloud by screen readers and shown when the image cannot load. "
                "Describe what the picture shows, not its file name."
            )
