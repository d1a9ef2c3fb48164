"""Sign-in throttling keyed on the real client address (issue #12).

Behind the documented nginx every connection comes from 127.0.0.1: throttling on that address
let any stranger lock any officer out. Here requests arrive as nginx forwards them
(``REMOTE_ADDR`` 127.0.0.1, ``X-Forwarded-For`` with the client's address appended), and
directly, with a header the client wrote itself, which must be ignored.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from doingoai.core.client_address import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/quan-tri/login/"
NGINX = "127.0.0.1"
ATTACKER = "203.0.113.9"
OFFICER = "198.51.100.7"


def through_nginx(client, username, password, *, client_ip, sent_header=""):
    """A POST as nginx forwards it: ``$proxy_add_x_forwarded_for`` appends the client."""
    forwarded = f"{sent_header}, {client_ip}" if sent_header else client_ip
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def direct(client, username, password, *, client_ip, sent_header=""):
    extra = {"HTTP_X_FORWARDED_FOR": sent_header} if sent_header else {}
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=client_ip, **extra
    )


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]


def test_a_stranger_behind_the_proxy_cannot_lock_an_officer_out(
    client, portal, settings, behind_nginx
):
    officer = portal.users["editor"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_nginx(client, officer.username, "sai-mat-khau", client_ip=ATTACKER)
    # the stranger is locked out of that account, even with the right password …
    assert through_nginx(client, officer.username, PASSWORD, client_ip=ATTACKER).status_code == 429
    # … even when writing the officer's address in the header: nginx appends the real one
    spoofed = through_nginx(
        client, officer.username, PASSWORD, client_ip=ATTACKER, sent_header=OFFICER
    )
    assert spoofed.status_code == 429
    # the officer, at another address behind the same nginx, signs in
    response = through_nginx(client, officer.username, PASSWORD, client_ip=OFFICER)
    assert response.status_code == 302, response.content[:300]


def test_an_address_trying_many_accounts_is_locked_at_its_own_limit(
    client, portal, settings, behind_nginx
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    names = [f"khong-co-{n}" for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT)]
    for name in names:  # one guess per account: never the per-account limit
        assert through_nginx(client, name, "sai", client_ip=ATTACKER).status_code in (200, 429)
    reporter = portal.users["reporter"]
    # the address is now locked for every account, even with the right password
    response = through_nginx(client, reporter.username, PASSWORD, client_ip=ATTACKER)
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    # other addresses are not
    assert through_nginx(client, reporter.username, PASSWORD, client_ip=OFFICER).status_code == 302


def test_the_address_limit_is_higher_than_the_account_limit(client, portal, settings, behind_nginx):
    # a few wrong passwords on two accounts from one address lock neither the address …
    for name in ("editor", "reporter"):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            through_nginx(client, portal.users[name].username, "sai", client_ip=OFFICER)
    approver = portal.users["approver"]
    # … nor a third account: its officer signs in from the same office address
    assert through_nginx(client, approver.username, PASSWORD, client_ip=OFFICER).status_code == 302


def test_a_header_sent_straight_to_django_is_ignored(client, portal, settings):
    """No proxy configured: whatever X-Forwarded-For says, the connecting address counts."""
    settings.TRUSTED_PROXY_COUNT = 0
    officer = portal.users["editor"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        direct(client, officer.username, "sai", client_ip=ATTACKER, sent_header=f"10.9.8.{n}")
    locked = direct(client, officer.username, PASSWORD, client_ip=ATTACKER, sent_header=OFFICER)
    assert locked.status_code == 429
    assert direct(client, officer.username, PASSWORD, client_ip=OFFICER).status_code == 302


def test_a_header_from_an_untrusted_peer_is_ignored_even_with_a_proxy_configured(
    client, portal, settings, behind_nginx
):
    """gunicorn reached directly (not through nginx): the peer is not a trusted proxy."""
    officer = portal.users["editor"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        direct(client, officer.username, "sai", client_ip=ATTACKER, sent_header=f"10.9.8.{n}")
    locked = direct(client, officer.username, PASSWORD, client_ip=ATTACKER, sent_header=OFFICER)
    assert locked.status_code == 429


@pytest.mark.parametrize(
    ("count", "remote", "header", "expected"),
    [
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # no proxy: header ignored
        (0, "127.0.0.1", "1.2.3.4", "127.0.0.1"),
        (1, "127.0.0.1", "203.0.113.9", "203.0.113.9"),
        (1, "127.0.0.1", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # client-written entry skipped
        (1, "::1", "2001:db8::7", "2001:db8::7"),
        (1, "127.0.0.1", "", "127.0.0.1"),  # nothing appended: the proxy itself
        (1, "127.0.0.1", "not-an-address", "127.0.0.1"),
        (1, "127.0.0.1", "203.0.113.9:51000", "203.0.113.9"),
        (1, "198.51.100.1", "203.0.113.9", "198.51.100.1"),  # peer is not a trusted proxy
        (2, "127.0.0.1", "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # balancer + nginx
        (2, "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # fewer entries than proxies
    ],
)
def test_client_address(settings, count, remote, header, expected):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1", "::1"]
    meta = {"REMOTE_ADDR": remote}
    if header:
        meta["HTTP_X_FORWARDED_FOR"] = header
    assert client_address(RequestFactory().get("/", **meta)) == expected
