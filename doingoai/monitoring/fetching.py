"""Polite and safe HTTP fetching for the monitoring connectors.

``Fetcher.fetch(url, accept=...)`` returns a ``FetchResult`` or raises a ``FetchError``
subclass whose message says, in the active language, why the fetch was refused or failed.

Safety (the addresses we connect to are chosen by strangers' feeds and pages):

- Only ``http``/``https`` URLs. No proxies from the environment.
- Every connection resolves the host **once**, refuses the whole host if any of its
  addresses is private, loopback, link-local, multicast, reserved or otherwise not global
  (IPv4-mapped IPv6 addresses are checked as IPv4), and connects to the address it checked.
  There is no second lookup, so DNS rebinding cannot swap in an internal address. This is
  done inside urllib3's connection (``GuardedHTTPConnection``), so it applies to every hop.
- Redirects are followed by hand (at most ``MAX_REDIRECTS``), each hop checked again (scheme,
  robots.txt, address), loops refused.
- ``MONITORING_ALLOW_LOOPBACK`` (default False) lets tests reach a server on 127.0.0.1/::1.

Politeness and robustness:

- robots.txt is read (through the same guarded fetch) and cached per host; a 4xx robots.txt
  allows everything, a 5xx or unreachable one disallows everything for a while (RFC 9309).
- A minimum interval between two requests to one host (``MONITORING_HOST_INTERVAL``, or the
  host's Crawl-delay when larger, up to a minute).
- Conditional GET with ``If-None-Match``/``If-Modified-Since``; a 304 is a result, not an error.
- One deadline per page (``MONITORING_TOTAL_TIMEOUT``) for everything the server controls:
  connecting, the headers, the body, redirects, retries and their back-off. Connect and read
  timeouts are cut to what is left, and a watchdog thread shuts the socket down when the
  deadline passes, so a server dripping its headers or body a byte at a time cannot hold a
  fetch longer. A byte cap applied while streaming (decompressed bytes are counted, so a gzip
  bomb stops at the cap).
- Content-type checked against what the caller accepts.
- Retries with exponential back-off on 5xx, 429, timeouts and connection failures
  (``Retry-After`` honoured up to 30 s).
"""

from __future__ import annotations

import contextlib
import heapq
import ipaddress
import itertools
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import certifi
import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30.0
MAX_CRAWL_DELAY = 60.0
CHUNK_SIZE = 64 * 1024

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
XML_TYPES = frozenset({"application/xml", "text/xml", "application/gzip", "application/x-gzip"})
EXPORT_TYPES = frozenset({"text/csv", "application/json", "text/plain", "application/octet-stream"})

DEFAULTS = {
    "MONITORING_USER_AGENT": "doingoai-monitor/1.0 (+https://github.com/doingoai)",
    "MONITORING_CONNECT_TIMEOUT": 5.0,
    "MONITORING_READ_TIMEOUT": 15.0,
    "MONITORING_TOTAL_TIMEOUT": 45.0,
    "MONITORING_MAX_BYTES": 5 * 1024 * 1024,
    "MONITORING_RETRIES": 2,
    "MONITORING_BACKOFF_SECONDS": 1.0,
    "MONITORING_HOST_INTERVAL": 1.0,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


# --- Errors ---------------------------------------------------------------------------------


class FetchError(Exception):
    """A fetch that was refused or failed; ``str(error)`` is a message for staff."""

    code = "fetch_error"
    retryable = False

    def __init__(self, message: str, *, url: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status


class InvalidURLError(FetchError):
    code = "invalid_url"


class BlockedAddressError(FetchError):
    code = "blocked_address"

    def __init__(self, message: str, *, host: str = "", address: str = "", reason: str = ""):
        super().__init__(message)
        self.host = host
        self.address = address
        self.reason = reason


class RobotsDisallowedError(FetchError):
    code = "robots"


class FetchTimeoutError(FetchError):
    code = "timeout"
    retryable = True


class DeadlineExceededError(FetchTimeoutError):
    """The page's deadline passed: trying again would only exceed it further."""

    retryable = False


class ConnectionFailedError(FetchError):
    code = "connection"
    retryable = True


class ResponseTooLargeError(FetchError):
    code = "too_large"


class ContentTypeError(FetchError):
    code = "content_type"


class RedirectError(FetchError):
    code = "redirect"


class HTTPStatusError(FetchError):
    code = "http_status"

    def __init__(
        self,
        message: str,
        *,
        url: str = "",
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, status=status)
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        if self.status not in RETRY_STATUSES:
            return False
        return self.retry_after is None or self.retry_after <= MAX_RETRY_AFTER


# --- Address policy -------------------------------------------------------------------------


def _reason_label(reason: str) -> str:
    labels = {
        "loopback": _("a loopback address"),
        "unspecified": _("an unspecified address"),
        "link-local": _("a link-local address"),
        "multicast": _("a multicast address"),
        "private": _("a private-network address"),
        "reserved": _("a reserved address"),
        "not-global": _("not a public Internet address"),
    }
    return labels[reason]


def address_refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why ``address`` may not be fetched from (a reason key), or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = address_refusal(str(embedded), allow_loopback=allow_loopback)
            if inner:
                return inner
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if not ip.is_global:
        return "not-global"
    return None


def _literal(host: str):
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def allow_loopback_setting() -> bool:
    return bool(getattr(settings, "MONITORING_ALLOW_LOOPBACK", False))


def resolve_checked(host: str, port: int, *, allow_loopback: bool | None = None) -> list[tuple]:
    """Resolve ``host`` once and return its ``getaddrinfo`` entries, all of them allowed.

    Raises ``BlockedAddressError`` if any address is refused (a host that resolves to both a
    public and an internal address is refused as a whole).
    """
    if allow_loopback is None:
        allow_loopback = allow_loopback_setting()
    host = host.strip("[]")
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if not infos:
        raise socket.gaierror(f"no address for {host}")
    for info in infos:
        address = info[4][0]
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason:
            values = {"host": host, "address": address, "reason": _reason_label(reason)}
            if ipaddress.ip_address(address.split("%", 1)[0]) == _literal(host):
                message = _("Refused: %(address)s is %(reason)s.") % values
            else:
                message = _("Refused: %(host)s resolves to %(address)s, %(reason)s.") % values
            raise BlockedAddressError(message, host=host, address=address, reason=reason)
    return infos


# --- The page deadline ------------------------------------------------------------------------


class _Budget:
    """The time one page may take (``MONITORING_TOTAL_TIMEOUT``): connecting, headers, body,
    redirects, retries and back-off, robots.txt when it is read for the page. Waits for the
    per-host interval (politeness, our own choice or the site's Crawl-delay) extend it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def extend(self, seconds: float) -> None:
        if seconds > 0:
            self.at += seconds


class _AttemptGuard:
    """One request under a deadline. The watchdog fires it when the deadline passes: the
    socket is shut down (through a duplicate of its descriptor, so this works during the TLS
    handshake too) and the blocked read in the fetching thread returns at once."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.fired = False
        self.done = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def attach(self, sock) -> None:
        """Watch ``sock`` (the request's connection), once per attempt."""
        with self._lock:
            if self._sock is not None or self.done:
                return
            try:
                self._sock = socket.socket(fileno=os.dup(sock.fileno()))
            except OSError:
                return
            if self.fired:
                self._shutdown()

    def fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        # Under the lock: ``finish`` cannot close the duplicate (and its number be reused
        # by another socket) while it is being shut down.
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        with self._lock:
            self.done = True
            if self._sock is not None:
                self._sock.close()
                self._sock = None


class _Watchdog:
    """One daemon thread per process firing the guards whose deadline has passed."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A fresh state (also in a forked child: the parent's thread and lock stay behind)."""
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, _AttemptGuard]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, guard: _AttemptGuard) -> None:
        with self._condition:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="monitoring-fetch-watchdog", daemon=True
                )
                self._thread.start()
            heapq.heappush(self._heap, (guard.at, next(self._order), guard))
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while True:
                    while self._heap and self._heap[0][2].done:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._condition.wait()
                        continue
                    delay = self._heap[0][0] - time.monotonic()
                    if delay <= 0:
                        guard = heapq.heappop(self._heap)[2]
                        break
                    self._condition.wait(delay)
            guard.fire()


_watchdog = _Watchdog()
os.register_at_fork(after_in_child=_watchdog.reset)  # RQ forks a work horse per job
# The guard of the request the current thread is making (read by the guarded connections).
_current = threading.local()


def _guard_attach(sock) -> None:
    guard = getattr(_current, "guard", None)
    if guard is not None:
        guard.attach(sock)


class _GuardedConnectionMixin:
    """Resolve once, check every address, connect to a checked address (no second lookup)."""

    allow_loopback = False
    peer_address = ""

    def _new_conn(self):
        try:
            infos = resolve_checked(self._dns_host, self.port, allow_loopback=self.allow_loopback)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        last_error: OSError | None = None
        for family, socktype, proto, _canonname, sockaddr in infos:
            sock = socket.socket(family, socktype, proto)
            try:
                for option in self.socket_options or ():
                    sock.setsockopt(*option)
                if isinstance(self.timeout, int | float):
                    sock.settimeout(self.timeout)
                if self.source_address:
                    sock.bind(self.source_address)
                sock.connect(sockaddr)  # the address that was checked, not the name
            except TimeoutError as error:
                sock.close()
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from error
            except OSError as error:
                sock.close()
                last_error = error
                continue
            self.peer_address = sockaddr[0]
            _guard_attach(sock)  # the page deadline covers the TLS handshake too
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last_error}")

    def getresponse(self, *args, **kwargs):
        if self.sock is not None:  # a kept-alive connection: watched from here on
            _guard_attach(self.sock)
        return super().getresponse(*args, **kwargs)


def _guarded_pools(allow_loopback: bool):
    http_conn = type(
        "GuardedHTTPConnection",
        (_GuardedConnectionMixin, HTTPConnection),
        {"allow_loopback": allow_loopback},
    )
    https_conn = type(
        "GuardedHTTPSConnection",
        (_GuardedConnectionMixin, HTTPSConnection),
        {"allow_loopback": allow_loopback},
    )
    http_pool = type(
        "GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}
    )
    https_pool = type(
        "GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}
    )
    return http_pool, https_pool


_POOLS = {flag: _guarded_pools(flag) for flag in (False, True)}


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections go through the address check."""

    def __init__(self, *, allow_loopback: bool = False, **kwargs) -> None:
        self.allow_loopback = allow_loopback
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        http_pool, https_pool = _POOLS[self.allow_loopback]
        self.poolmanager.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}

    def proxy_manager_for(self, proxy, **proxy_kwargs):  # pragma: no cover - never configured
        raise ConnectionFailedError(_("Fetching through a proxy is not allowed."))


# --- Politeness -----------------------------------------------------------------------------


class HostRateLimiter:
    """At least ``interval`` seconds between two requests to the same host (per process)."""

    def __init__(
        self,
        interval: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, *, min_interval: float = 0.0) -> float:
        """Block until ``host`` may be asked again; returns the seconds waited."""
        interval = (
            self.interval if self.interval is not None else setting("MONITORING_HOST_INTERVAL")
        )
        interval = max(float(interval), min_interval)
        with self._lock:
            now = self.clock()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + interval
        delay = start - now
        if delay > 0:
            self.sleep(delay)
        return delay


@dataclass
class _RobotsEntry:
    parser: RobotFileParser
    expires: float


class RobotsCache:
    """robots.txt per scheme+host, fetched through the guarded fetcher and cached."""

    def __init__(
        self, *, ttl: float = 3600.0, error_ttl: float = 600.0, max_bytes: int = 512 * 1024
    ):
        self.ttl = ttl
        self.error_ttl = error_ttl
        self.max_bytes = max_bytes
        self._entries: dict[str, _RobotsEntry] = {}
        self._lock = threading.Lock()
        # One load at a time, so that threads fetching pages of a new host ask once.
        self._load_lock = threading.RLock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def parser_for(self, url: str, fetcher: Fetcher) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        now = fetcher.clock()
        with self._lock:
            entry = self._entries.get(origin)
        if entry is not None and entry.expires > now:
            return entry.parser
        with self._load_lock:
            with self._lock:
                entry = self._entries.get(origin)
            if entry is not None and entry.expires > now:
                return entry.parser  # loaded by another thread meanwhile
            parser, ttl = self._load(origin, fetcher)
            with self._lock:
                self._entries[origin] = _RobotsEntry(parser=parser, expires=now + ttl)
        return parser

    def _load(self, origin: str, fetcher: Fetcher) -> tuple[RobotFileParser, float]:
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            result = fetcher.fetch(
                origin + "/robots.txt",
                accept=None,
                check_robots=False,
                max_bytes=self.max_bytes,
                retries=0,
            )
        except (BlockedAddressError, InvalidURLError):
            raise
        except HTTPStatusError as error:
            if error.status is not None and 400 <= error.status < 500:
                parser.allow_all = True  # no robots.txt: everything is allowed
                return parser, self.ttl
            parser.disallow_all = True  # server error: assume everything is disallowed
            return parser, self.error_ttl
        except FetchError:
            parser.disallow_all = True  # unreachable: assume everything is disallowed
            return parser, self.error_ttl
        text = result.content.decode("utf-8", "replace")
        parser.parse(text.splitlines())
        parser.modified()
        return parser, self.ttl

    def allowed(self, url: str, fetcher: Fetcher) -> bool:
        return self.parser_for(url, fetcher).can_fetch(fetcher.user_agent, url)

    def crawl_delay(self, url: str, fetcher: Fetcher) -> float:
        delay = self.parser_for(url, fetcher).crawl_delay(fetcher.user_agent)
        try:
            return min(float(delay or 0), MAX_CRAWL_DELAY)
        except (TypeError, ValueError):
            return 0.0


# Shared by every fetcher of the process (one politeness state per worker).
robots_cache = RobotsCache()
host_rate_limiter = HostRateLimiter()


# --- Fetching -------------------------------------------------------------------------------


@dataclass
class FetchResult:
    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)

    def text(self) -> str:
        return self.content.decode(self.charset or "utf-8", "replace")


def _media_type(header: str) -> tuple[str, str]:
    parts = [part.strip() for part in (header or "").split(";")]
    media_type = parts[0].lower()
    charset = ""
    for part in parts[1:]:
        name, _sep, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return media_type, charset


def check_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL with a host; raises ``InvalidURLError``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        raise InvalidURLError(
            _("Not a valid address: %(url)s") % {"url": url[:200]}, url=url
        ) from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidURLError(
            _("Only http and https addresses can be fetched: %(url)s") % {"url": url[:200]}, url=url
        )
    if parts.username or parts.password:
        raise InvalidURLError(_("Addresses with a user name or password are not fetched."), url=url)
    return urlunsplit(parts._replace(fragment=""))


def url_refusal(url: str) -> FetchError | None:
    """Why a fetch of ``url`` would be refused — an ``InvalidURLError`` (not http(s), no host,
    credentials) or a ``BlockedAddressError`` (the host is, or resolves to, an address inside
    the network, in any spelling: decimal, octal or hex IPv4, IPv4-mapped IPv6…) — or None.

    The same checks as the fetch itself, so that a source is refused when it is saved and its
    health shows the refusal when its host later resolves inside the network. A host that does
    not resolve now is not a refusal: the fetch reports it as a connection failure.
    """
    try:
        checked = check_url(url)
    except InvalidURLError as error:
        return error
    parts = urlsplit(checked)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        resolve_checked(parts.hostname or "", port)
    except BlockedAddressError as error:
        error.url = url
        return error
    except (OSError, UnicodeError, ValueError):
        return None
    return None


class _Session:
    """One thread's HTTP client: a urllib3 pool manager whose pools are the guarded ones
    (every new connection resolves the host once, checks every address and connects to the
    checked one), with the headers sent on every request. ``requests`` (built on urllib3)
    did the same with more work per request; redirects, retries, the byte cap and the
    timeouts are ``Fetcher``'s own, as before."""

    def __init__(self, *, allow_loopback: bool, headers: dict[str, str]) -> None:
        self.headers = headers
        self.pools = urllib3.PoolManager(
            num_pools=10,
            maxsize=10,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),  # the CA bundle requests used
        )
        http_pool, https_pool = _POOLS[allow_loopback]
        self.pools.pool_classes_by_scheme = {"http": http_pool, "https": https_pool}

    def get(self, url: str, *, headers: dict[str, str], timeout: urllib3.Timeout):
        """Send a GET (no redirect followed, no retry) and return the urllib3 response
        with its body not read yet."""
        pool = self.pools.connection_from_url(url)
        return pool.urlopen(
            "GET",
            urllib3.util.parse_url(url).request_uri,
            headers={**self.headers, **headers},
            redirect=False,
            assert_same_host=False,
            preload_content=False,
            decode_content=False,
            retries=Retry(0, read=False),
            timeout=timeout,
        )

    def close(self) -> None:
        self.pools.clear()


def _raise_connection_failed(error: Exception, *, host: str, url: str) -> NoReturn:
    """Raise what a failed connection means: the refusal of a blocked address when that is
    what stopped it (the guarded connection raised it inside urllib3), else "could not
    connect"."""
    cause = error.__context__ or error
    if isinstance(cause, BlockedAddressError):
        raise cause from None
    raise ConnectionFailedError(
        _("Could not connect to %(host)s.") % {"host": host}, url=url
    ) from error


class Fetcher:
    """Fetch URLs safely and politely. One per worker or per batch; ``fetch`` may be called
    from several threads at once (each thread gets its own session and connections, the
    per-host interval and robots.txt cache are shared and locked)."""

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        total_timeout: float | None = None,
        max_bytes: int | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        allow_loopback: bool | None = None,
        respect_robots: bool = True,
        robots: RobotsCache | None = None,
        rate_limiter: HostRateLimiter | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent or setting("MONITORING_USER_AGENT")
        self.connect_timeout = connect_timeout or setting("MONITORING_CONNECT_TIMEOUT")
        self.read_timeout = read_timeout or setting("MONITORING_READ_TIMEOUT")
        self.total_timeout = total_timeout or setting("MONITORING_TOTAL_TIMEOUT")
        self.max_bytes = max_bytes or setting("MONITORING_MAX_BYTES")
        self.retries = setting("MONITORING_RETRIES") if retries is None else retries
        self.backoff = setting("MONITORING_BACKOFF_SECONDS") if backoff is None else backoff
        self.allow_loopback = allow_loopback_setting() if allow_loopback is None else allow_loopback
        self.respect_robots = respect_robots
        self.robots = robots or robots_cache
        self.rate_limiter = rate_limiter or host_rate_limiter
        self.clock = clock
        self.sleep = sleep
        self._local = threading.local()
        self._sessions: list[_Session] = []
        self._sessions_lock = threading.Lock()

    def _new_session(self) -> _Session:
        # No proxies or .netrc from the environment: urllib3 reads neither.
        return _Session(
            allow_loopback=self.allow_loopback,
            headers={
                "User-Agent": self.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": "*/*",
                "Connection": "keep-alive",
                "Accept-Language": "vi,en;q=0.8",
            },
        )

    @property
    def session(self) -> _Session:
        """This thread's HTTP client (one per thread that fetches). Each keeps its
        connections to a host open for the next request (keep-alive); every new connection
        goes through the address check."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._new_session()
            with self._sessions_lock:
                self._sessions.append(session)
            self._local.session = session
        return session

    def close(self) -> None:
        with self._sessions_lock:
            sessions = list(self._sessions)
        for session in sessions:
            session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        accept: Iterable[str] | None = HTML_TYPES,
        etag: str = "",
        last_modified: str = "",
        max_bytes: int | None = None,
        check_robots: bool = True,
        retries: int | None = None,
    ) -> FetchResult:
        """GET ``url`` following at most ``MAX_REDIRECTS`` redirects, each hop checked, within
        one deadline (``total_timeout``) for all of it. A fetch made while another runs in the
        same thread (robots.txt read for the page) shares the page's deadline."""
        outer = getattr(self._local, "budget", None)
        if outer is not None:
            return self._fetch(
                url,
                accept=accept,
                etag=etag,
                last_modified=last_modified,
                max_bytes=max_bytes,
                check_robots=check_robots,
                retries=retries,
            )
        self._local.budget = _Budget(self.total_timeout)
        try:
            return self._fetch(
                url,
                accept=accept,
                etag=etag,
                last_modified=last_modified,
                max_bytes=max_bytes,
                check_robots=check_robots,
                retries=retries,
            )
        finally:
            self._local.budget = None

    def _fetch(self, url, *, accept, etag, last_modified, max_bytes, check_robots, retries):
        current = check_url(url)
        seen = {current}
        redirects: list[str] = []
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        accept_set = frozenset(accept) if accept is not None else None
        if accept_set:
            headers["Accept"] = ", ".join(sorted(accept_set)) + ", */*;q=0.1"
        for _hop in range(MAX_REDIRECTS + 1):
            min_interval = 0.0
            if check_robots and self.respect_robots:
                if not self.robots.allowed(current, self):
                    raise RobotsDisallowedError(
                        _("robots.txt of the site does not allow fetching %(url)s")
                        % {"url": current[:200]},
                        url=current,
                    )
                min_interval = self.robots.crawl_delay(current, self)
            outcome = self._with_retries(
                current,
                headers=headers,
                accept=accept_set,
                max_bytes=max_bytes or self.max_bytes,
                retries=self.retries if retries is None else retries,
                min_interval=min_interval,
            )
            if isinstance(outcome, FetchResult):
                outcome.url = url
                outcome.redirects = redirects
                return outcome
            location = urljoin(current, outcome)
            try:
                location = check_url(location)
            except InvalidURLError as error:
                raise RedirectError(
                    _("Redirected to an address that cannot be fetched: %(url)s")
                    % {"url": location[:200]},
                    url=current,
                ) from error
            if location in seen:
                raise RedirectError(
                    _("Redirect loop at %(url)s") % {"url": location[:200]}, url=current
                )
            seen.add(location)
            redirects.append(location)
            current = location
        raise RedirectError(
            _("More than %(count)d redirects from %(url)s")
            % {"count": MAX_REDIRECTS, "url": url[:200]},
            url=url,
        )

    # The request itself ---------------------------------------------------------------------

    def _deadline_error(self, url: str) -> DeadlineExceededError:
        return DeadlineExceededError(
            _("%(url)s took longer than %(seconds)s seconds to download.")
            % {"url": url[:200], "seconds": f"{self.total_timeout:g}"},
            url=url,
        )

    def _with_retries(self, url, *, headers, accept, max_bytes, retries, min_interval):
        budget: _Budget = self._local.budget
        attempt = 0
        while True:
            try:
                return self._attempt(
                    url,
                    headers=headers,
                    accept=accept,
                    max_bytes=max_bytes,
                    min_interval=min_interval,
                )
            except FetchError as error:
                if not error.retryable or attempt >= retries:
                    raise
                delay = getattr(error, "retry_after", None)
                if delay is None:
                    delay = self.backoff * (2**attempt) * (1 + random.random() * 0.25)  # noqa: S311
                if delay >= budget.remaining():
                    raise  # no time left for another attempt within the page's deadline
                logger.info("Retrying %s in %.2fs after: %s", url, delay, error)
                self.sleep(delay)
                attempt += 1

    def _attempt(self, url, *, headers, accept, max_bytes, min_interval):
        host = (urlsplit(url).hostname or "").lower()
        budget: _Budget = self._local.budget
        budget.extend(self.rate_limiter.wait(host, min_interval=min_interval))
        remaining = budget.remaining()
        if remaining <= 0:
            raise self._deadline_error(url)
        guard = _AttemptGuard(budget.at)
        _current.guard = guard
        _watchdog.watch(guard)
        try:
            outcome = self._attempt_guarded(
                url,
                host=host,
                headers=headers,
                accept=accept,
                max_bytes=max_bytes,
                remaining=remaining,
                guard=guard,
            )
        except Exception as error:
            # Whatever the shut-down socket made urllib3 or ssl raise, the cause is the deadline.
            if guard.fired and not isinstance(error, DeadlineExceededError):
                raise self._deadline_error(url) from error
            raise
        finally:
            _current.guard = None
            guard.finish()
        if guard.fired:  # an answer without a length ends early when its socket is shut down
            raise self._deadline_error(url)
        return outcome

    def _attempt_guarded(self, url, *, host, headers, accept, max_bytes, remaining, guard):
        timeout = urllib3.Timeout(
            connect=min(self.connect_timeout, remaining), read=min(self.read_timeout, remaining)
        )
        try:
            try:
                response = self.session.get(url, headers=headers, timeout=timeout)
            except MaxRetryError as error:
                raise (error.reason or error) from None
        except BlockedAddressError as error:
            error.url = url
            raise
        except NewConnectionError as error:  # before the timeouts: urllib3 derives it from one
            _raise_connection_failed(error, host=host, url=url)
        except Urllib3TimeoutError as error:
            raise FetchTimeoutError(
                _("No answer from %(host)s in time.") % {"host": host}, url=url
            ) from error
        except (ProtocolError, OSError) as error:
            _raise_connection_failed(error, host=host, url=url)
        except (Urllib3HTTPError, ValueError) as error:
            raise InvalidURLError(
                _("Not a valid address: %(url)s") % {"url": url[:200]}, url=url
            ) from error
        try:
            status = response.status
            if status in REDIRECT_STATUSES:
                location = response.headers.get("Location", "").strip()
                if not location:
                    raise RedirectError(
                        _("A redirect without a target address at %(url)s") % {"url": url[:200]},
                        url=url,
                    )
                return location
            if status == 304:
                return FetchResult(
                    url=url,
                    final_url=url,
                    status=304,
                    not_modified=True,
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
            if status >= 400:
                retry_after = response.headers.get("Retry-After", "").strip()
                raise HTTPStatusError(
                    _("The server answered %(status)d for %(url)s")
                    % {"status": status, "url": url[:200]},
                    url=url,
                    status=status,
                    retry_after=float(retry_after) if retry_after.isdigit() else None,
                )
            media_type, charset = _media_type(response.headers.get("Content-Type", ""))
            if accept is not None and media_type not in accept:
                raise ContentTypeError(
                    _("Unexpected content type %(type)s at %(url)s")
                    % {"type": media_type or "?", "url": url[:200]},
                    url=url,
                )
            content = self._read_capped(response, url=url, max_bytes=max_bytes, guard=guard)
            return FetchResult(
                url=url,
                final_url=url,
                status=status,
                content=content,
                content_type=media_type,
                charset=charset,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
        finally:
            # An answer read to the end has already given its connection back to the pool
            # (kept alive); one not read to the end closes its connection.
            response.close()
            response.release_conn()

    def _too_large(self, url: str, max_bytes: int) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            _("The answer from %(url)s is larger than %(size)s bytes.")
            % {"url": url[:200], "size": f"{max_bytes:,}".replace(",", ".")},
            url=url,
        )

    def _read_capped(self, response, *, url: str, max_bytes: int, guard: _AttemptGuard) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise self._too_large(url, max_bytes)
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1 returns as soon as some bytes arrived, so the deadline is checked
                # even when a server drips its answer one byte at a time.
                chunk = response.read1(CHUNK_SIZE, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise self._too_large(url, max_bytes)
                chunks.append(chunk)
                if time.monotonic() > guard.at:
                    raise self._deadline_error(url)
        except ReadTimeoutError as error:
            raise FetchTimeoutError(
                _("No answer from %(host)s in time.") % {"host": urlsplit(url).hostname}, url=url
            ) from error
        except (Urllib3HTTPError, OSError) as error:
            raise ConnectionFailedError(
                _("The answer from %(url)s could not be read.") % {"url": url[:200]}, url=url
            ) from error
        return b"".join(chunks)
