"""Who must sign in with a second factor, and what a signed-in session still owes."""

from __future__ import annotations

import enum

from django.conf import settings
from django_otp import user_has_device

from ..roles import ROLES

MODES = ("off", "roles", "all")
REQUIRED_GROUPS = tuple(role.group_name for role in ROLES if role.requires_second_factor)


class Due(enum.Enum):
    NOTHING = "nothing"
    CODE = "code"  # the officer has a second factor: the code step comes after the password
    SETUP = "setup"  # required of the officer, who has none yet: the set-up screen


def mode() -> str:
    return settings.TWO_FACTOR_REQUIRED if settings.TWO_FACTOR_REQUIRED in MODES else "roles"


def is_required(user) -> bool:
    """Must ``user`` have a second factor before using the back office?"""
    if not user.is_authenticated:
        return False
    current = mode()
    if current == "off":
        return False
    if current == "all" or user.is_superuser:
        return True
    return user.groups.filter(name__in=REQUIRED_GROUPS).exists()


def has_second_factor(user) -> bool:
    """A confirmed authenticator app or recovery codes."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


def due(user) -> Due:
    """What the signed-in ``user`` of this request still owes (``request.user`` after
    django-otp's ``OTPMiddleware``, which knows whether this session passed the code step)."""
    if not user.is_authenticated or user.is_verified():
        return Due.NOTHING
    if has_second_factor(user):
        return Due.CODE
    if is_required(user):
        return Due.SETUP
    return Due.NOTHING
