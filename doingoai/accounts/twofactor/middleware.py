"""Keep a session whose second factor is due inside the code or set-up step.

Wagtail's sign-in view signs the officer in when the password is right; django-otp's
``OTPMiddleware`` (before this one) then tells whether *this session* has also passed the code
step (``request.user.is_verified()``). Until it has, an officer who has a second factor is sent
to the code step from every back-office address, and one who must have a second factor but has
none to the set-up screen; everywhere else (public pages, documents) the session counts as not
signed in. Signing out, the sign-in and password-reset screens and the idle-timeout ping stay
open.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import LazyObject, empty
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware

from ..middleware import BACK_OFFICE_PREFIX
from .policy import Due, due

CODE_STEP = "accounts_twofactor_verify"
SETUP_STEP = "accounts_twofactor_setup"
ALWAYS_OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the icons every admin page loads, these steps included
    "session_security_ping",
    "javascript-catalog",
}
ALWAYS_OPEN_PREFIXES = ("wagtailadmin_password_reset",)


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, with ``request.user`` one lazy object deep as Django makes it.

    django-otp wraps Django's lazy user in a second lazy object; Wagtail's audit log unwraps
    one level to find the log of an object's type, and silently logged nothing for the officer
    (the idle sign-out, the account page's changes)."""

    def _verify_user_sync(self, request, user):
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        return super()._verify_user_sync(request, user)


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


async def _anonymous():
    return AnonymousUser()


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owed = due(request.user)
        if owed is Due.NOTHING:
            return self.get_response(request)
        step = CODE_STEP if owed is Due.CODE else SETUP_STEP
        name = _url_name(request)
        if name == step or name in ALWAYS_OPEN or name.startswith(ALWAYS_OPEN_PREFIXES):
            return self.get_response(request)
        if request.path_info.startswith(BACK_OFFICE_PREFIX):
            target = reverse(step)
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        # Outside the back office the password alone signs nobody in.
        request.user = AnonymousUser()
        request.auser = _anonymous
        return self.get_response(request)
