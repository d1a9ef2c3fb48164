"""Forms of the monitoring back office: the upload of a social-media export."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .fetching import setting
from .models import Source

ALLOWED_EXTENSIONS = (".csv", ".json")
SOCIAL_MIN_BYTES_CAP = 20 * 1024 * 1024


def social_max_bytes() -> int:
    """The size cap of an export file: the same as for exports fetched from an address."""
    return max(int(setting("MONITORING_MAX_BYTES")), SOCIAL_MIN_BYTES_CAP)


class SocialUploadForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Social-media source"),
        queryset=Source.objects.none(),
        empty_label=_("Choose a source"),
        error_messages={"required": _("Choose the source the file comes from.")},
    )
    file = forms.FileField(
        label=_("Export file (CSV or JSON)"),
        help_text=_(
            "Posts and comments exported from a Facebook, YouTube or Zalo page, as CSV "
            "(UTF-8) or JSON; columns id and text are required."
        ),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received; choose the file again."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.filter(
            kind=Source.Kind.SOCIAL, active=True
        ).order_by("name")
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(
                _(
                    "Only .csv and .json files can be imported. An Excel workbook must first "
                    "be saved as CSV UTF-8."
                )
            )
        limit = social_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
            )
        data = upload.read(limit + 1)
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."))
        if b"\x00" in data[:4096]:
            raise forms.ValidationError(
                _("This is not a text file: save the export as CSV or JSON.")
            )
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text (first bad byte at position %(position)d). "
                    "Save it again choosing the UTF-8 encoding."
                )
                % {"position": error.start + 1}
            ) from error
        self.data_bytes = data
        return upload
