"""Forms of the two-factor screens (labels in English, translated in accounts/locale)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import normalise

SIX_DIGITS = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


class AppCodeForm(forms.Form):
    """The 6-digit code the authenticator app shows."""

    code = forms.CharField(
        label=_("Authentication code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows for this account."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": "",
                "autocapitalize": "off",
                "spellcheck": "false",
                "placeholder": "123456",
                "pattern": r"[0-9 ]*",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not SIX_DIGITS.match(code):
            raise forms.ValidationError(_("The code has 6 digits."), code="format")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the ten recovery codes (each works once)."""

    code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        help_text=_("One of the recovery codes you saved when you set up two-step sign-in."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autofocus": "",
                "autocapitalize": "off",
                "spellcheck": "false",
                "placeholder": "abcd-efgh",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not RECOVERY_CODE.match(code):
            raise forms.ValidationError(
                _("A recovery code has 8 letters and digits, like abcd-efgh."), code="format"
            )
        return code


class PasswordConfirmForm(forms.Form):
    """The officer's password again, before the second factor is removed."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": ""}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="password")
        return password
