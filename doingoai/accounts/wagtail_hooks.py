from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import audit
from .twofactor import hooks as _two_factor_hooks  # noqa: F401  (registers its hooks)


@hooks.register("register_log_actions")
def register_sign_in_actions(actions):
    actions.register_action(audit.LOGIN, _("Sign in"), _("Signed in"))
    actions.register_action(audit.LOGOUT, _("Sign out"), _("Signed out"))
    actions.register_action(audit.LOGIN_FAILED, _("Failed sign-in"), _("Failed sign-in attempt"))
    actions.register_action(
        audit.SESSION_EXPIRED, _("Session expired"), _("Signed out after inactivity")
    )


@hooks.register("insert_global_admin_js")
def idle_timeout_dialog():
    """The countdown dialog shown 60 s before an idle session expires."""
    return render_to_string(
        "accounts/idle_timeout.html",
        {
            "expire_after": settings.IDLE_TIMEOUT_SECONDS,
            "warn_before": settings.IDLE_WARNING_SECONDS,
        },
    )
