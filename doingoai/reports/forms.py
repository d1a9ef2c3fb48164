"""Back-office forms of the reports. Every refusal reads as a clear Vietnamese sentence."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from .models import Report
from .periods import MAX_YEAR, MIN_YEAR, ROMAN, PeriodError, PeriodKind, period_from_input
from .selectors import report_units_for, user_may_report_on

PERIOD_ERRORS = {
    "kind": _("Choose the kind of report: quarterly, six-monthly or annual."),
    "year": _("Enter a year between %(min)s and %(max)s."),
    "quarter": _("Choose a quarter from I to IV."),
    "half": _("Choose the first or the second half of the year."),
}
UNKNOWN_UNIT = _("This unit does not exist or you may not report on it.")
WHOLE_PROVINCE = _("Whole province")


def period_error_message(error: PeriodError) -> str:
    return str(PERIOD_ERRORS.get(error.code, PERIOD_ERRORS["kind"])) % {
        "min": MIN_YEAR,
        "max": MAX_YEAR,
    }


class ReportCreateForm(forms.Form):
    period_kind = forms.ChoiceField(
        label=_("Kind of report"),
        choices=Report.Kind.choices,
        initial=PeriodKind.QUARTER.value,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": PERIOD_ERRORS["kind"], "required": PERIOD_ERRORS["kind"]},
    )
    year = forms.IntegerField(
        label=_("Year"),
        error_messages={"invalid": _("Enter the year as a number, e.g. 2025.")},
        widget=forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[(n, _("Quarter %(roman)s") % {"roman": r}) for n, r in ROMAN.items()],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": PERIOD_ERRORS["quarter"]},
    )
    half = forms.TypedChoiceField(
        label=_("Half of the year"),
        choices=[(1, _("First six months")), (2, _("Last six months"))],
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": PERIOD_ERRORS["half"]},
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": UNKNOWN_UNIT},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["quarter"].initial = (today.month - 1) // 3 + 1
        self.fields["half"].initial = 1 if today.month <= 6 else 2
        unit_field = self.fields["unit"]
        unit_field.queryset = report_units_for(user)
        if user_may_report_on(user, None):
            unit_field.empty_label = WHOLE_PROVINCE
            unit_field.help_text = _("Leave “Whole province” to report on every unit together.")
        else:
            unit_field.required = True
            unit_field.empty_label = None
            unit_field.error_messages["required"] = _("Choose your unit.")

    def clean(self):
        data = super().clean()
        kind, year = data.get("period_kind"), data.get("year")
        if kind is None or year is None or "quarter" in self.errors or "half" in self.errors:
            return data
        number = {
            PeriodKind.QUARTER.value: data.get("quarter"),
            PeriodKind.HALF.value: data.get("half"),
        }.get(kind, 1)
        try:
            period = period_from_input(kind, year, number)
        except PeriodError as error:
            field = {"year": "year", "quarter": "quarter", "half": "half"}.get(error.code)
            self.add_error(field, period_error_message(error))
            return data
        if period.start > timezone.localdate():
            self.add_error(None, _("This period has not started yet."))
        data["period"] = period
        return data


class ReportDetailsForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "title",
            "superior_body",
            "issuing_body",
            "number",
            "symbol",
            "place",
            "issued_on",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
            "introduction",
        ]
        widgets = {
            "issued_on": AdminDateInput,
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }


class NotableEventAddForm(forms.Form):
    text = forms.CharField(
        label=_("New notable event"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the event.")},
    )
