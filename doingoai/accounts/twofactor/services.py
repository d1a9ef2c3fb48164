"""Set up, check, renew and remove an officer's second factor (writes, each one audited).

An officer has at most one authenticator app (a confirmed ``TOTPDevice``: 6-digit codes that
change every 30 seconds, each accepted once) and one set of recovery codes (a ``StaticDevice``
with ten one-time codes for a lost phone). Wrong codes slow down per device, not per session:
django-otp's throttling makes the n-th wrong code in a row wait 2ⁿ⁻¹ seconds before the next
try, and signing in again does not reset it; a right code does.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit

APP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"
APP = "app"
RECOVERY = "recovery"
_NOT_CODE = re.compile(r"[\s-]+")


# --- reading ---------------------------------------------------------------------------------
def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it by hand: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address of ``device`` as an SVG QR code (a data: URI, drawn here)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=3)


def display_code(code: str) -> str:
    """A recovery code as shown: ``abcd-efgh``."""
    return f"{code[:4]}-{code[4:]}"


def normalise(code: str) -> str:
    return _NOT_CODE.sub("", code or "").lower()


def wait_seconds(device) -> int:
    """Seconds before ``device`` accepts another try (0: now)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


# --- setting up ------------------------------------------------------------------------------
def setup_start(user) -> TOTPDevice:
    """The authenticator being set up: unconfirmed, so it signs nobody in, and the same secret
    on every visit until the officer confirms it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


@dataclass
class Check:
    """The answer to a code: accepted, or refused (and whether the device makes one wait)."""

    ok: bool
    device: TOTPDevice | StaticDevice | None = None
    failures: int = 0  # wrong codes in a row on this device
    wait: int = 0  # seconds before the device takes another code
    throttled: bool = False  # refused without looking at the code: too soon after wrong ones
    recovery_left: int | None = None


@transaction.atomic
def setup_confirm(user, device_id: int, code: str) -> tuple[Check, list[str]]:
    """Confirm the authenticator being set up with a code it shows; on success it replaces any
    earlier one and ten new recovery codes are made (returned, to be shown once)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device_id, user=user, confirmed=False)
        .first()
    )
    if device is None:
        return Check(ok=False), []
    if refused := _too_soon(device):
        return refused, []
    if not device.verify_token(normalise(code)):
        return _wrong(device), []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _recovery_codes_make(user)
    audit.audit_two_factor(user, audit.TWO_FACTOR_ENABLED, recovery_codes=len(codes))
    return Check(ok=True, device=device, recovery_left=len(codes)), codes


def _recovery_codes_make(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [display_code(code) for code in codes]


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _recovery_codes_make(user)
    audit.audit_two_factor(user, audit.TWO_FACTOR_RECOVERY_RENEWED, recovery_codes=len(codes))
    return codes


# --- signing in ------------------------------------------------------------------------------
@transaction.atomic
def check_code(user, code: str, *, method: str = APP) -> Check:
    """Check a code from the authenticator app (``APP``) or a recovery code (``RECOVERY``,
    used up when accepted). A device that is making the officer wait refuses without looking
    at the code."""
    model = StaticDevice if method == RECOVERY else TOTPDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return Check(ok=False)
    if refused := _too_soon(device):
        return refused
    if device.verify_token(normalise(code)):
        if method == RECOVERY:
            left = device.token_set.count()
            audit.audit_two_factor(user, audit.TWO_FACTOR_RECOVERY_USED, recovery_codes_left=left)
            return Check(ok=True, device=device, recovery_left=left)
        audit.audit_two_factor(user, audit.TWO_FACTOR_VERIFIED)
        return Check(ok=True, device=device)
    refused = _wrong(device)
    audit.audit_two_factor(
        user, audit.TWO_FACTOR_FAILED, failure_count=refused.failures, method=method
    )
    return refused


def _too_soon(device) -> Check | None:
    if wait := wait_seconds(device):
        failures = device.throttling_failure_count
        return Check(ok=False, device=device, failures=failures, wait=wait, throttled=True)
    return None


def _wrong(device) -> Check:
    return Check(
        ok=False,
        device=device,
        failures=device.throttling_failure_count,
        wait=wait_seconds(device),
    )


# --- removing --------------------------------------------------------------------------------
@transaction.atomic
def second_factor_remove(user, *, by=None) -> bool:
    """Remove the authenticator and the recovery codes of ``user``: by the officer (after the
    password) or by an administrator ``by`` (a lost phone). Sessions that passed the code step
    with them are no longer verified. False if there was nothing to remove."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if not removed:
        return False
    if by is not None and by != user:
        audit.audit_two_factor(user, audit.TWO_FACTOR_RESET, by=by)
    else:
        audit.audit_two_factor(user, audit.TWO_FACTOR_REMOVED)
    return True
