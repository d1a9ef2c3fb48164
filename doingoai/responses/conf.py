"""Settings of the responses module (all optional, read with ``getattr``)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # How often the alert evaluation runs (seconds).
    "RESPONSES_ALERT_SECONDS": 60,
    # Items fetched this recently are evaluated again (late commits, late classification).
    "RESPONSES_LOOKBACK_MINUTES": 30,
    # New items evaluated per run at most (the rest on the next run).
    "RESPONSES_EVALUATE_BATCH": 1000,
    # Sending attempts per delivery, and the first wait before a retry (doubling).
    "RESPONSES_MAX_ATTEMPTS": 4,
    "RESPONSES_RETRY_SECONDS": 60,
    # The daily digest is sent once, at the first check after this local hour.
    "RESPONSES_DIGEST_HOUR": 7,
    # Addresses that receive the digest besides the alert rules' recipients.
    "RESPONSES_DIGEST_EMAILS": (),
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
