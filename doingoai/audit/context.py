"""Where an action comes from: the request being served, bound for the length of the request so
that every audit-log entry written meanwhile (by our services, by Wagtail's own views, by the
sign-in signals) records the client's address, and the changes seen during the request that
belong in an entry (see changes.py).

The address is read by ``doingoai.core.client_address`` — the one helper sign-in throttling
and the visitor count use too — so behind nginx it is the client's address from
X-Forwarded-For as the trusted-proxy settings allow (TRUSTED_PROXY_COUNT,
TRUSTED_PROXY_ADDRESSES), never a header a client could forge.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    """The address of the client that sent ``request`` ("" when unknown)."""
    from doingoai.core.client_address import client_address as trusted_client_address

    return trusted_client_address(request) if request is not None else ""


@dataclass
class RequestState:
    request: HttpRequest
    # (content type id, object pk as text) → {field name: change}; see changes.py
    pending: dict[tuple[int, str], dict[str, dict]] = field(default_factory=dict)
    committed: set[tuple[int, str]] = field(default_factory=set)
    labels: dict[tuple[int, str], str] = field(default_factory=dict)


_state: ContextVar[RequestState | None] = ContextVar("doingoai_audit_request", default=None)


def current_state() -> RequestState | None:
    return _state.get()


def current_request() -> HttpRequest | None:
    state = _state.get()
    return state.request if state else None


@contextmanager
def bound_request(request: HttpRequest):
    token = _state.set(RequestState(request=request))
    try:
        yield _state.get()
    finally:
        _state.reset(token)


class AuditRequestMiddleware:
    """Binds the request for the audit log; at the end writes the committed changes no entry
    took (a password or group changed outside the user's edit form, a group's page
    permissions saved after its edit entry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bound_request(request) as state:
            response = self.get_response(request)
            if state.pending:
                from .changes import flush_pending

                flush_pending(state)
        return response
