"""Posting alerts to a webhook (địa chỉ nhận cảnh báo) with monitoring's safe connections.

The address of a webhook is typed by staff, but it is still refused when it points inside the
network (private, loopback, link-local… addresses), at save time and again at every POST:
connections go through ``monitoring.fetching.GuardedAdapter``, which resolves the host once,
checks every address and connects to the address it checked. ``MONITORING_ALLOW_LOOPBACK``
lets tests reach 127.0.0.1. Redirects are not followed; timeouts and the size of the answer
read follow the monitoring settings.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext as _

from doingoai.monitoring.fetching import (
    BlockedAddressError,
    GuardedAdapter,
    InvalidURLError,
    allow_loopback_setting,
    check_url,
    resolve_checked,
    setting,
)

#: At most this much of the receiver's answer is read (it is only kept for the error message).
MAX_ANSWER_BYTES = 4096


class WebhookError(Exception):
    """A POST that failed; ``retryable`` says whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def webhook_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook address (a message for staff), or None when it can."""
    try:
        checked = check_url(url)
    except InvalidURLError as error:
        return str(error)
    parts = urlsplit(checked)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        resolve_checked(parts.hostname or "", port)
    except BlockedAddressError as error:
        return _("Webhooks may not point inside the network. %(reason)s") % {"reason": error}
    except (OSError, UnicodeError):
        return _("The host %(host)s could not be found.") % {"host": parts.hostname}
    return None


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    adapter = GuardedAdapter(allow_loopback=allow_loopback_setting(), max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def webhook_post(url: str, payload: dict) -> int:
    """POST ``payload`` as JSON to ``url``; returns the HTTP status or raises ``WebhookError``."""
    try:
        url = check_url(url)
    except InvalidURLError as error:
        raise WebhookError(str(error), retryable=False) from error
    host = urlsplit(url).hostname or ""
    body = json.dumps(payload, ensure_ascii=False, default=str).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": setting("MONITORING_USER_AGENT"),
    }
    timeout = (setting("MONITORING_CONNECT_TIMEOUT"), setting("MONITORING_READ_TIMEOUT"))
    with _session() as session:
        try:
            response = session.post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
            )
        except requests.Timeout as error:
            raise WebhookError(
                _("No answer from %(host)s in time.") % {"host": host}, retryable=True
            ) from error
        except requests.ConnectionError as error:
            cause = error.__context__ or error
            if isinstance(cause, BlockedAddressError):
                raise WebhookError(str(cause), retryable=False) from None
            raise WebhookError(
                _("Could not connect to %(host)s.") % {"host": host}, retryable=True
            ) from error
        except BlockedAddressError as error:
            raise WebhookError(str(error), retryable=False) from error
        except (OSError, requests.RequestException) as error:
            raise WebhookError(
                _("Could not connect to %(host)s.") % {"host": host}, retryable=True
            ) from error
        with response:
            return _check_answer(response, url)


def _check_answer(response, url: str) -> int:
    status = response.status_code
    if 200 <= status < 300:
        return status
    try:
        answer = response.raw.read(MAX_ANSWER_BYTES, decode_content=True) or b""
    except Exception:  # the answer is only for the message
        answer = b""
    text = answer.decode("utf-8", "replace").strip()[:200]
    message = _("The webhook answered %(status)d for %(url)s") % {"status": status, "url": url}
    if text:
        message = f"{message}: {text}"
    raise WebhookError(message, retryable=status >= 500 or status in (408, 429))
