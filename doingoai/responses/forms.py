"""Back-office forms: alert rules (at least one condition), cases (the unit among the user's
units), moving a case and commenting on it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from doingoai.registers.selectors import units_for_user

from .cases import transitions_from
from .models import ResponseCase


def rule_has_condition(data: dict) -> bool:
    """Whether the cleaned data of a rule sets at least one condition."""
    return any(
        (
            data.get("min_risk") is not None,
            data.get("min_relevance") is not None,
            bool(data.get("topic")),
            data.get("growth_mentions") is not None,
            bool(data.get("watch_terms")),
            bool(data.get("watch_people")),
        )
    )


class AlertRuleForm(WagtailAdminModelForm):
    """Scores are typed the Vietnamese way (0,7)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("min_risk", "min_relevance"):
            if name in self.fields:
                self.fields[name].localize = True
                self.fields[name].widget.is_localized = True

    def clean(self):
        data = super().clean()
        if not rule_has_condition(data):
            raise forms.ValidationError(
                _("Set at least one condition, or the rule would alert on every item.")
            )
        return data


class ResponseCaseForm(WagtailAdminModelForm):
    """The responsible unit is one of the user's units (any unit for province-level staff)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        agency = self.fields.get("agency")
        if agency is not None and for_user is not None:
            agency.queryset = units_for_user(for_user)
            agency.error_messages["invalid_choice"] = _(
                "You can only assign a case to your own unit."
            )
        for name in ("cluster", "item"):
            if name in self.fields:
                self.fields[name].widget = forms.HiddenInput()


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=ResponseCase.Status.choices)
    comment = forms.CharField(
        label=pgettext_lazy("response case", "Comment"), required=False, widget=forms.Textarea
    )
    answer_note = forms.CharField(label=_("Answer note"), required=False, widget=forms.Textarea)

    def __init__(self, *args, case: ResponseCase, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = transitions_from(case.status)
        self.fields["to"].choices = [
            (value, label) for value, label in ResponseCase.Status.choices if value in allowed
        ]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=pgettext_lazy("response case", "Comment"), widget=forms.Textarea
    )
