"""Back-office forms of the registers: the unit defaults to the user's own and other units are
refused to anybody who is not province-level staff."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import PressEvent
from .selectors import records_visible_to, units_for_user, user_default_unit

OTHER_UNIT = _("You can only file records under your own unit.")


class RegisterRecordForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.for_user = for_user
        unit_field = self.fields.get("unit")
        if unit_field is not None and for_user is not None:
            unit_field.queryset = units_for_user(for_user)
            unit_field.error_messages["invalid_choice"] = OTHER_UNIT
            unit_field.empty_label = None if unit_field.queryset.count() == 1 else "---------"
            if not self.instance.pk and not self.initial.get("unit"):
                default = user_default_unit(for_user)
                if default is not None:
                    self.initial["unit"] = default.pk


class PressQuestionForm(WagtailAdminModelForm):
    """Questions hang under an event of the user's unit; the unit comes from the event."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        event_field = self.fields.get("event")
        if event_field is not None and for_user is not None:
            events = records_visible_to(user=for_user, queryset=PressEvent.objects.all())
            if self.instance.pk and self.instance.event_id:
                # The unit assigned to answer keeps the event it cannot otherwise choose.
                events = events | PressEvent.objects.filter(pk=self.instance.event_id)
            event_field.queryset = events.select_related("unit").distinct()
            event_field.error_messages["invalid_choice"] = _(
                "Choose a press event of your own unit."
            )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("The first row holds the column headers described below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
