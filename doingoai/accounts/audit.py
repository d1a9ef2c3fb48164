"""Audit-log entries (nhật ký thao tác) for sign-in events, shown in Wagtail's audit log."""

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
