"""Canonical URLs: one spelling per document, so the same article is stored once.

``canonical_url`` lowercases the scheme and host (IDNA-encoded), drops the default port,
credentials, the fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``…),
sorts what is left of the query, percent-encodes non-ASCII characters in upper-case hex and
drops a trailing slash (except on the root path). It refuses what is not an http(s) URL.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

__all__ = ["MAX_URL_LENGTH", "InvalidURL", "canonical_url", "is_tracking_param", "same_site"]

MAX_URL_LENGTH = 2048
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "_hs", "hsa_")
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "zarsrc",  # Zalo
        "zl_ref",
        "ref_src",
        "ref_url",
        "__tn__",  # Facebook
        "__cft__",
        "si",  # YouTube share id
        "feature",  # YouTube "feature=share"
        "rss",
        "cmpid",
    }
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters kept as they are in a path and in query parts (RFC 3986 unreserved + sub-delims).
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_ESCAPE_RE = re.compile(r"%[0-9a-fA-F]{2}")


class InvalidURL(ValueError):
    """Not an absolute http(s) URL, or too long to store."""


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _host(hostname: str) -> str:
    host = hostname.rstrip(".").lower()
    if not host:
        raise InvalidURL("no host")
    if ":" in host:  # IPv6 literal
        return f"[{host}]"
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise InvalidURL(f"bad host name {hostname!r}") from error
    return host


def _requote(part: str, safe: str) -> str:
    quoted = quote(part, safe=safe)
    return _ESCAPE_RE.sub(lambda m: m.group().upper(), quoted)


def canonical_url(url: str) -> str:
    """The canonical spelling of ``url``; raises ``InvalidURL`` for non-http(s) URLs."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InvalidURL(str(error)) from error
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidURL(f"not an http(s) URL: {text[:100]!r}")
    host = _host(parts.hostname or "")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _requote(parts.path or "/", _PATH_SAFE)
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query_pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query_pairs.sort(key=lambda pair: pair[0])
    query = urlencode(query_pairs, quote_via=quote, safe="-._~:@!$'()*,;/?")
    canonical = urlunsplit((scheme, netloc, path, query, ""))
    if len(canonical) > MAX_URL_LENGTH:
        raise InvalidURL(f"URL longer than {MAX_URL_LENGTH} characters")
    return canonical


def _site(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on the same host (``www.`` ignored)."""
    try:
        first, second = urlsplit(url).hostname or "", urlsplit(other).hostname or ""
    except ValueError:
        return False
    return bool(first) and _site(first) == _site(second)
