"""Idle-session timeout, login throttling and the sign-in audit trail."""

from datetime import datetime, timedelta

import pytest
import time_machine
from wagtail.models import ModelLogEntry

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

DASHBOARD = "/quan-tri/"
PING = "/phien/ping/"


def sign_in(client, user):
    response = client.post("/quan-tri/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]


def test_admin_pages_carry_the_countdown_dialog(client, portal, settings):
    sign_in(client, portal.users["editor"])
    html = client.get(DASHBOARD).content.decode()
    assert 'id="idle-timeout"' in html
    assert f'data-expire-after="{settings.IDLE_TIMEOUT_SECONDS}"' in html
    assert 'data-warn-before="60"' in html
    assert "Duy trì đăng nhập" in html


def test_idle_session_is_signed_out_after_the_timeout(client, portal, settings):
    user = portal.users["editor"]
    start = datetime(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False):
        sign_in(client, user)
        assert client.get(DASHBOARD).status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get(DASHBOARD).status_code == 200  # activity: the clock restarts
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]
    assert ModelLogEntry.objects.filter(
        action="doingoai.session_expired", object_id=str(user.pk)
    ).exists()


def test_background_pings_do_not_keep_an_idle_session_alive(client, portal):
    start = datetime(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False):
        sign_in(client, portal.users["editor"])
    # The browser pings every few minutes, reporting how long the user has been idle.
    for minutes in (10, 20, 29):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(PING, {"idleFor": minutes * 60}).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get(DASHBOARD).status_code == 302


def test_wagtail_editing_session_pings_are_passive(client, portal):
    from django.urls import reverse

    article = portal.articles[0]
    start = datetime(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False):
        sign_in(client, portal.users["editor"])
    ping = reverse(
        "wagtailadmin_editing_sessions:ping", args=["wagtailcore", "page", article.pk, 0]
    )
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        client.post(ping)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        assert client.get(DASHBOARD).status_code == 302


def test_stay_signed_in_button_extends_the_session(client, portal):
    start = datetime(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False):
        sign_in(client, portal.users["editor"])
    with time_machine.travel(start + timedelta(minutes=29, seconds=30), tick=False):
        # The button reports zero idle time.
        assert client.get(PING, {"idleFor": 0}).content == b"0"
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert client.get(DASHBOARD).status_code == 200


def test_timeout_is_configurable(client, portal, settings):
    settings.IDLE_TIMEOUT_SECONDS = 120
    start = datetime(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False):
        sign_in(client, portal.users["editor"])
    with time_machine.travel(start + timedelta(minutes=3), tick=False):
        assert client.get(DASHBOARD).status_code == 302


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, portal, settings):
    user = portal.users["editor"]
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            "/quan-tri/login/", {"username": user.username, "password": "sai-mat-khau"}
        )
        # Wrong passwords get the form back; the last allowed one triggers the lock.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    response = client.post("/quan-tri/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert (
        ModelLogEntry.objects.filter(action="doingoai.login_failed", object_id=str(user.pk)).count()
        >= 1
    )


def test_sign_in_and_out_are_in_the_audit_log(client, portal):
    user = portal.users["approver"]
    sign_in(client, user)
    client.post("/quan-tri/logout/")
    actions = set(
        ModelLogEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"doingoai.login", "doingoai.logout"} <= actions
    client.force_login(portal.users["administrator"])
    html = client.get("/quan-tri/nhat-ky-thao-tac/").content.decode()
    assert "Đã đăng nhập" in html
