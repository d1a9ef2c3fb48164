"""Audit-log entries (nhật ký thao tác) for sign-in events, shown in Wagtail's audit log."""

from django.utils.functional import LazyObject, empty
from wagtail.log_actions import log

LOGIN = "doingoai.login"
LOGOUT = "doingoai.logout"
LOGIN_FAILED = "doingoai.login_failed"
SESSION_EXPIRED = "doingoai.session_expired"


def audit_login(user) -> None:
    log(instance=user, action=LOGIN, user=user)


def audit_logout(user) -> None:
    if user is not None and user.is_authenticated:
        log(instance=user, action=LOGOUT, user=user)


def audit_session_expired(user) -> None:
    if user is not None and user.is_authenticated:
        log(instance=user, action=SESSION_EXPIRED, user=user)


def audit_login_failed(username: str) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is not None:  # unknown usernames are throttled by axes, not logged per name
        log(instance=user, action=LOGIN_FAILED, data={"username": username})


# --- Two-factor sign-in (accounts/twofactor) --------------------------------------------------
TWO_FACTOR_ENABLED = "doingoai.two_factor_enabled"
TWO_FACTOR_VERIFIED = "doingoai.two_factor_verified"
TWO_FACTOR_FAILED = "doingoai.two_factor_failed"
TWO_FACTOR_RECOVERY_USED = "doingoai.two_factor_recovery_used"
TWO_FACTOR_RECOVERY_RENEWED = "doingoai.two_factor_recovery_renewed"
TWO_FACTOR_REMOVED = "doingoai.two_factor_removed"
TWO_FACTOR_RESET = "doingoai.two_factor_reset"


def audit_two_factor(user, action: str, *, by=None, **data) -> None:
    """One two-factor event on ``user``'s account, done by ``by`` (the officer by default).

    ``data`` holds what the entry's message shows: the failure count of a wrong code, the
    recovery codes left. Never a code itself."""
    user, by = _concrete(user), _concrete(by)
    log(instance=user, action=action, user=by or user, data=data)


def _concrete(user):
    """The user itself, not ``request.user``'s lazy wrapper (Wagtail finds the log for an
    object by its type, and would silently log nothing for the wrapper)."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user
