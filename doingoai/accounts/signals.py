from datetime import datetime

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from session_security.utils import set_last_activity

from .audit import audit_login, audit_login_failed, audit_logout


@receiver(user_logged_in, dispatch_uid="doingoai-audit-login")
def on_login(sender, request, user, **kwargs):
    audit_login(user)
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at sign-in (django-session-security keeps naive local time).
        set_last_activity(request.session, datetime.now())


@receiver(user_logged_out, dispatch_uid="doingoai-audit-logout")
def on_logout(sender, request, user, **kwargs):
    audit_logout(user)


@receiver(user_login_failed, dispatch_uid="doingoai-audit-login-failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    audit_login_failed(str(credentials.get("username", ""))[:150])
