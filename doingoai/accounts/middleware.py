"""Idle-session timeout (tự động đăng xuất khi không thao tác).

django-session-security keeps the *real* last-activity time in the session: the browser's
ping reports how long the user has been idle, so background requests never count as
activity. We read the timeout from settings at request time (so it is configurable per
deployment and in tests) and mark Wagtail's own background pings as passive.
"""

from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from session_security.middleware import SessionSecurityMiddleware

from .audit import audit_session_expired

# URL names of requests the browser makes without the user doing anything.
PASSIVE_URL_NAMES = {"ping", "session_security_ping", "release"}


class IdleTimeoutMiddleware(SessionSecurityMiddleware):
    def get_expire_seconds(self, request) -> int:
        return settings.IDLE_TIMEOUT_SECONDS

    def is_passive_request(self, request) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is None:
            from django.urls import Resolver404, resolve

            try:
                match = resolve(request.path_info)
            except Resolver404:
                return False
        return match.url_name in PASSIVE_URL_NAMES

    def do_logout(self, request) -> None:
        user = request.user
        super().do_logout(request)
        audit_session_expired(user)
        messages.info(request, _("You were signed out after a period of inactivity."))
