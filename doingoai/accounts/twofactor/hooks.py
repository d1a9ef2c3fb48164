"""Wagtail hooks of two-factor sign-in (imported by accounts.wagtail_hooks): its screens, a
panel on the account page, and its entries in the audit log."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel
from wagtail.log_actions import LogFormatter

from .. import audit
from . import services, views
from .policy import is_required


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("xac-thuc-hai-buoc/", views.ManageView.as_view(), name="accounts_twofactor"),
        path("xac-thuc-hai-buoc/nhap-ma/", views.verify, name="accounts_twofactor_verify"),
        path("xac-thuc-hai-buoc/thiet-lap/", views.setup, name="accounts_twofactor_setup"),
        path(
            "xac-thuc-hai-buoc/ma-khoi-phuc-moi/",
            views.renew_recovery_codes,
            name="accounts_twofactor_renew",
        ),
        path(
            "xac-thuc-hai-buoc/go-bo/", views.RemoveView.as_view(), name="accounts_twofactor_remove"
        ),
        path(
            "xac-thuc-hai-buoc/nguoi-dung/<int:user_id>/dat-lai/",
            views.ResetView.as_view(),
            name="accounts_twofactor_reset",
        ),
    ]


class TwoFactorPanel(BaseSettingsPanel):
    """Status and a link on the account page (the panel has no fields of its own)."""

    name = "two_factor"
    title = _("Two-step sign-in")
    order = 550
    template_name = "accounts/twofactor/account_panel.html"

    def get_form(self):
        return forms.Form()

    def render(self):
        return render_to_string(
            self.template_name,
            {
                "app_device": services.app_device(self.user),
                "recovery_left": services.recovery_codes_left(self.user),
                "required": is_required(self.user),
            },
            request=self.request,
        )


@hooks.register("register_account_settings_panel")
def two_factor_panel(request, user, profile):
    return TwoFactorPanel(request, user, profile)


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    actions.register_action(
        audit.TWO_FACTOR_ENABLED, _("Two-step sign-in set up"), _("Turned on two-step sign-in")
    )
    actions.register_action(
        audit.TWO_FACTOR_VERIFIED,
        _("Two-step sign-in"),
        _("Passed two-step sign-in with the authenticator app"),
    )
    actions.register_action(
        audit.TWO_FACTOR_RECOVERY_RENEWED,
        _("New recovery codes"),
        _("Made new recovery codes (the old ones no longer work)"),
    )
    actions.register_action(
        audit.TWO_FACTOR_REMOVED, _("Two-step sign-in removed"), _("Removed two-step sign-in")
    )
    actions.register_action(
        audit.TWO_FACTOR_RESET,
        _("Two-step sign-in reset"),
        _("Two-step sign-in reset by an administrator"),
    )

    @actions.register_action(audit.TWO_FACTOR_FAILED)
    class WrongCode(LogFormatter):
        label = _("Wrong two-step sign-in code")

        def format_message(self, log_entry):
            return _("Wrong two-step sign-in code (%(count)s in a row)") % {
                "count": log_entry.data.get("failure_count", "?")
            }

    @actions.register_action(audit.TWO_FACTOR_RECOVERY_USED)
    class RecoveryCodeUsed(LogFormatter):
        label = _("Recovery code used")

        def format_message(self, log_entry):
            return _("Signed in with a recovery code (%(count)s left)") % {
                "count": log_entry.data.get("recovery_codes_left", "?")
            }
