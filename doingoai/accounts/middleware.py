"""Idle-session timeout (tự động đăng xuất khi không thao tác).

django-session-security keeps the *real* last-activity time in the session: the browser's
ping reports how long the user has been idle, so background requests never count as
activity. We read the timeout from settings at request time (so it is configurable per
deployment and in tests) and mark Wagtail's own background pings as passive.
"""

from django.conf import settings
from django.contrib import messages
from django.utils import translation
from django.utils.translation import gettext as _
from session_security.middleware import SessionSecurityMiddleware

from .audit import audit_session_expired

BACK_OFFICE_PREFIX = "/quan-tri/"
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


class BackOfficeLanguageMiddleware:
    """The back office speaks Vietnamese unless an officer chose another language in their
    account settings: a browser sending ``Accept-Language: en-US`` must not turn the screens
    of a provincial office into English. Placed after ``LocaleMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(BACK_OFFICE_PREFIX):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
