"""The address of the client a request came from, read through trusted reverse proxies only.

Behind nginx every connection comes from nginx itself (``REMOTE_ADDR`` is 127.0.0.1), so the
client's address must be read from ``X-Forwarded-For``. That header is whatever the client
sent with each proxy's view appended at its right end, so only the entries the proxies added
can be believed: with ``TRUSTED_PROXY_COUNT`` proxies, the client is the entry that many
places from the right — and only when the connection itself comes from a trusted proxy
(``TRUSTED_PROXY_ADDRESSES``). Otherwise (no proxy configured, or a client reaching gunicorn
directly) the header is ignored and the connecting address is the client: a spoofed header
never lets a client choose its address. docs/deployment.md shows the matching nginx set-up.

Used by sign-in throttling (django-axes' ``AXES_CLIENT_IP_CALLABLE``) and the visitor count.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(addresses: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in addresses)


def _parse(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.9:51000
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _parse(address)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXY_ADDRESSES", ())))
    return any(ip in network for network in networks if ip.version == network.version)


def client_address(request) -> str:
    """The client's IP address as text (the connecting address unless proxies are trusted)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0 or not is_trusted_proxy(remote):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # not what the configured proxies send: believe nothing
    ip = _parse(hops[-count])
    return str(ip) if ip is not None else remote
