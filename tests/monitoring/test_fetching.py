"""Safe and polite fetching (doingoai.monitoring.fetching) against the local test site."""

import socket
import time

import pytest

from doingoai.monitoring import fetching
from doingoai.monitoring.fetching import (
    FEED_TYPES,
    BlockedAddressError,
    ContentTypeError,
    Fetcher,
    FetchTimeoutError,
    HostRateLimiter,
    HTTPStatusError,
    InvalidURLError,
    RedirectError,
    ResponseTooLargeError,
    RobotsDisallowedError,
    address_refusal,
    resolve_checked,
)

# --- Address policy (no network) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.0.0.1", "private"),
        ("10.255.255.254", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", None),  # reserved (Python also counts it as private)
        ("100.64.0.1", "not-global"),  # carrier-grade NAT
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fc00::1", "private"),
        ("fd12:3456:789a::1", "private"),
        ("fe80::1%eth0", "link-local"),
        ("ff02::1", "multicast"),
        ("::ffff:10.0.0.1", "private"),  # IPv4-mapped
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:a00:1::", "private"),  # 6to4 around 10.0.0.1
    ],
)
def test_internal_addresses_are_refused(address, reason):
    refusal = address_refusal(address)
    assert refusal is not None
    if reason is not None:
        assert refusal == reason


@pytest.mark.parametrize("address", ["8.8.8.8", "203.113.131.1", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None


def test_loopback_is_opened_only_by_the_setting():
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert address_refusal("::1", allow_loopback=True) is None
    assert address_refusal("10.0.0.1", allow_loopback=True) == "private"
    assert address_refusal("169.254.1.1", allow_loopback=True) == "link-local"


def fake_dns(answers: dict, calls: list | None = None):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            if calls is not None:
                calls.append(host)
            value = answers[host]
            addresses = value(len(calls or [])) if callable(value) else value
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port, 0, 0) if ":" in a else (a, port),
                )
                for a in addresses
            ]
        return real(host, port, *args, **kwargs)

    return getaddrinfo


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "172.16.9.9", "192.168.0.10", "169.254.169.254", "::1", "fc00::5"]
)
def test_hostnames_resolving_to_internal_addresses_are_refused(monkeypatch, settings, address):
    settings.MONITORING_ALLOW_LOOPBACK = False
    monkeypatch.setattr(socket, "getaddrinfo", fake_dns({"tin.example.vn": [address]}))
    with pytest.raises(BlockedAddressError) as caught:
        resolve_checked("tin.example.vn", 80)
    assert caught.value.address == address
    assert "tin.example.vn" in str(caught.value)
    with Fetcher(retries=0, respect_robots=False) as fetcher, pytest.raises(BlockedAddressError):
        fetcher.fetch("http://tin.example.vn/bai-viet.html")


def test_a_host_with_one_internal_address_among_public_ones_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", fake_dns({"mixed.example.vn": ["203.113.131.1", "10.0.0.9"]})
    )
    with pytest.raises(BlockedAddressError):
        resolve_checked("mixed.example.vn", 443)


def test_dns_rebinding_cannot_swap_the_address(monkeypatch, site):
    """The name is resolved once per connection and the checked address is the one used."""
    calls = []
    # First answer: the (allowed) test server; any later answer: an internal address.
    answers = {"rebind.example.vn": lambda n: ["127.0.0.1"] if n <= 1 else ["10.0.0.1"]}
    monkeypatch.setattr(socket, "getaddrinfo", fake_dns(answers, calls))
    port = site.base.rsplit(":", 1)[1]
    with Fetcher(retries=0, respect_robots=False) as fetcher:
        result = fetcher.fetch(f"http://rebind.example.vn:{port}/articles/a1.html")
        assert result.status == 200
        assert calls == ["rebind.example.vn"]  # one lookup, no second one at connect time
        # A new connection resolves again and now meets the internal address: refused.
        fetcher.session.close()
        with pytest.raises(BlockedAddressError):
            fetcher.fetch(f"http://rebind.example.vn:{port}/articles/a2.html")


def test_loopback_is_refused_without_the_setting(settings, site):
    settings.MONITORING_ALLOW_LOOPBACK = False
    with Fetcher(retries=0) as fetcher, pytest.raises(BlockedAddressError) as caught:
        fetcher.fetch(site.url("/articles/a1.html"))
    assert caught.value.reason == "loopback"
    assert site.hits["/articles/a1.html"] == 0 and site.hits["/robots.txt"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.vn/a",
        "file:///etc/passwd",
        "gopher://x/",
        "http://",
        "http://u:p@example.vn/",
    ],
)
def test_only_plain_http_urls_are_fetched(fetcher, url):
    with pytest.raises(InvalidURLError):
        fetcher.fetch(url)


# --- Against the local site --------------------------------------------------------------------


def test_fetches_a_page(fetcher, site):
    result = fetcher.fetch(site.url("/articles/a1.html"))
    assert result.status == 200
    assert result.content_type == "text/html"
    assert "Vân Nam".encode() in result.content
    user_agent = dict(site.requests[-1][1])["User-Agent"]
    assert user_agent.startswith("doingoai-monitor/")


def test_conditional_get_gives_not_modified(fetcher, site):
    first = fetcher.fetch(site.url("/feed.rss"), accept=FEED_TYPES)
    assert first.etag == '"feed-v1"'
    assert first.last_modified
    again = fetcher.fetch(
        site.url("/feed.rss"), accept=FEED_TYPES, etag=first.etag, last_modified=first.last_modified
    )
    assert again.not_modified and again.status == 304 and again.content == b""
    _path, headers = site.requests[-1]
    assert headers["If-None-Match"] == '"feed-v1"'
    assert headers["If-Modified-Since"] == first.last_modified


def test_redirects_are_followed_and_recorded(fetcher, site):
    result = fetcher.fetch(site.url("/redirect/1"))
    assert result.final_url == site.url("/articles/a1.html")
    assert result.redirects == [site.url("/redirect/2"), site.url("/articles/a1.html")]


def test_redirect_to_a_private_address_is_refused(fetcher, site):
    with pytest.raises(BlockedAddressError) as caught:
        fetcher.fetch(site.url("/to-private"))
    assert caught.value.address == "10.0.0.7"
    with pytest.raises(BlockedAddressError) as caught:
        fetcher.fetch(site.url("/to-metadata"))
    assert caught.value.reason == "link-local"


def test_redirect_loops_and_long_chains_are_refused(fetcher, site):
    with pytest.raises(RedirectError, match="loop"):
        fetcher.fetch(site.url("/loop/a"))
    with pytest.raises(RedirectError):
        fetcher.fetch(site.url("/chain/0"))
    assert site.hits["/chain/5"] == 1 and site.hits["/chain/6"] == 0  # 5 redirects followed
    with pytest.raises(RedirectError):
        fetcher.fetch(site.url("/to-ftp"))


def test_robots_txt_is_respected_and_cached(fetcher, site):
    with pytest.raises(RobotsDisallowedError):
        fetcher.fetch(site.url("/private/secret.html"))
    fetcher.fetch(site.url("/articles/a1.html"))
    fetcher.fetch(site.url("/articles/a2.html"))
    assert site.hits["/private/secret.html"] == 0
    assert site.hits["/robots.txt"] == 1


def test_missing_robots_allows_and_broken_robots_disallows(fetcher, site):
    del site.routes["/robots.txt"]
    assert fetcher.fetch(site.url("/articles/a1.html")).status == 200
    fetching.robots_cache.clear()
    site.routes["/robots.txt"] = site.routes["/error-500"]
    with pytest.raises(RobotsDisallowedError):
        fetcher.fetch(site.url("/articles/a1.html"))


def test_size_cap_is_enforced_while_streaming(site):
    with Fetcher(retries=0, max_bytes=100_000) as fetcher:
        with pytest.raises(ResponseTooLargeError):
            fetcher.fetch(site.url("/huge.html"))  # declared length
        with pytest.raises(ResponseTooLargeError):
            fetcher.fetch(site.url("/huge-stream.html"))  # no length: stopped while reading
        with pytest.raises(ResponseTooLargeError):
            fetcher.fetch(site.url("/bomb.html"))  # 20 kB on the wire, 20 MB unpacked


def test_slow_answers_time_out(site):
    started = time.monotonic()
    with Fetcher(retries=0, read_timeout=0.3) as fetcher, pytest.raises(FetchTimeoutError):
        fetcher.fetch(site.url("/slow.html"))
    assert time.monotonic() - started < 1.5


def test_a_dripping_body_hits_the_total_deadline(site):
    fetcher = Fetcher(retries=0, read_timeout=1, total_timeout=0.4)
    with fetcher, pytest.raises(FetchTimeoutError):
        fetcher.fetch(site.url("/drip.html"))


def test_unexpected_content_types_are_refused(fetcher, site):
    with pytest.raises(ContentTypeError):
        fetcher.fetch(site.url("/image.png"))
    with pytest.raises(ContentTypeError):
        fetcher.fetch(site.url("/articles/a1.html"), accept=FEED_TYPES)


def test_server_errors_are_retried_with_backoff(site):
    waits = []
    with Fetcher(retries=2, backoff=0.5, sleep=waits.append) as fetcher:
        site.flaky_failures = 2
        assert fetcher.fetch(site.url("/flaky")).status == 200
        assert site.hits["/flaky"] == 3
        assert 0.5 <= waits[0] < waits[1] and waits[1] >= 1.0  # exponential
        with pytest.raises(HTTPStatusError) as caught:
            fetcher.fetch(site.url("/error-500"))
        assert caught.value.status == 500
        assert site.hits["/error-500"] == 3
        with pytest.raises(HTTPStatusError):
            fetcher.fetch(site.url("/missing.html"))
        assert site.hits["/missing.html"] == 1  # a 404 is not retried


def test_timeouts_are_retried(site):
    fetcher = Fetcher(retries=1, backoff=0, read_timeout=0.2)
    with fetcher, pytest.raises(FetchTimeoutError):
        fetcher.fetch(site.url("/slow.html"))
    assert site.hits["/slow.html"] == 2


def test_requests_to_one_host_are_spaced():
    now = [100.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    limiter = HostRateLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait("baolaocai.vn") == 0
    assert limiter.wait("laocai.gov.vn") == 0  # another host is not delayed
    assert limiter.wait("baolaocai.vn") == 2.0
    now[0] += 5
    assert limiter.wait("baolaocai.vn") == 0
    assert limiter.wait("baolaocai.vn", min_interval=10) == 2.0  # crawl-delay may lengthen it
    assert limiter.wait("baolaocai.vn") == 10.0
    assert slept == [2.0, 2.0, 10.0]


def test_fetcher_uses_the_host_rate_limit(settings, site):
    settings.MONITORING_HOST_INTERVAL = 0.2
    limiter = HostRateLimiter()
    with Fetcher(retries=0, rate_limiter=limiter) as fetcher:
        started = time.monotonic()
        fetcher.fetch(site.url("/articles/a1.html"))  # robots.txt, then the page
        fetcher.fetch(site.url("/articles/a2.html"))
    assert time.monotonic() - started >= 0.2 * 2 - 0.05
