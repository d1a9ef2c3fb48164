"""Two-factor sign-in (xác thực hai bước): set-up, the code step after the password, recovery
codes, throttling, who must use it, and an administrator's reset (doingoai/accounts/twofactor)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.utils import get_user_display_name
from wagtail.models import ModelLogEntry, PageViewRestriction

from doingoai.accounts import audit
from doingoai.accounts.twofactor import services
from doingoai.accounts.twofactor.policy import is_required
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/quan-tri/login/"
HOME = "/quan-tri/"
VERIFY = "/quan-tri/xac-thuc-hai-buoc/nhap-ma/"
SETUP = "/quan-tri/xac-thuc-hai-buoc/thiet-lap/"
MANAGE = "/quan-tri/xac-thuc-hai-buoc/"
REMOVE = "/quan-tri/xac-thuc-hai-buoc/go-bo/"
RENEW = "/quan-tri/xac-thuc-hai-buoc/ma-khoi-phuc-moi/"
# Back-office addresses an officer might type to get round the code step.
ADMIN_URLS = [
    "/quan-tri/",
    "/quan-tri/pages/",
    "/quan-tri/account/",
    "/quan-tri/users/",
    "/quan-tri/images/",
    "/quan-tri/reports/workflow/",
    "/quan-tri/huong-dan/",
    "/quan-tri/xac-thuc-hai-buoc/",
    "/quan-tri/api/main/pages/",
]


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the officer's authenticator app shows (``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set ``user`` up as the set-up screen does: returns the app and the recovery codes."""
    device = services.setup_start(user)
    check, codes = services.setup_confirm(user, device.pk, code_for(device))
    assert check.ok
    device.refresh_from_db()
    return device, codes


def password_step(client, user, next_url: str | None = None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content[:300]
    return response


def actions_of(user) -> list[str]:
    return list(
        ModelLogEntry.objects.filter(object_id=str(user.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def later(seconds: int):
    """Travel past django-otp's wait after a wrong code (and to a fresh TOTP period)."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


# --- who must use it ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mode", "required"),
    [
        ("roles", {"reporter": False, "editor": False, "approver": True, "administrator": True}),
        ("all", {"reporter": True, "editor": True, "approver": True, "administrator": True}),
        ("off", {"reporter": False, "editor": False, "approver": False, "administrator": False}),
    ],
)
def test_who_must_use_two_step_sign_in(portal, settings, mode, required):
    settings.TWO_FACTOR_REQUIRED = mode
    assert {role: is_required(user) for role, user in portal.users.items()} == required


def test_superusers_must_use_it_whatever_their_groups(portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    reporter = portal.users["reporter"]
    reporter.is_superuser = True
    reporter.save()
    assert is_required(reporter)


def test_the_setting_is_checked(settings):
    from doingoai.accounts.twofactor.checks import (
        two_factor_required_in_production,
        two_factor_setting,
    )

    settings.TWO_FACTOR_REQUIRED = "roles"
    assert two_factor_setting(None) == [] and two_factor_required_in_production(None) == []
    settings.TWO_FACTOR_REQUIRED = "yes"
    assert [error.id for error in two_factor_setting(None)] == ["doingoai.E201"]
    settings.TWO_FACTOR_REQUIRED = "off"
    assert [warning.id for warning in two_factor_required_in_production(None)] == ["doingoai.W201"]


# --- a required role: the set-up screen and nothing else ---------------------------------------
@pytest.mark.parametrize("role", ["approver", "administrator"])
def test_required_role_is_sent_to_set_up_and_cannot_type_its_way_round(
    client, portal, settings, role
):
    settings.TWO_FACTOR_REQUIRED = "roles"
    user = portal.users[role]
    password_step(client, user)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fquan-tri%2F"
    for url in ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    # writes are refused too (and the code step does not apply: there is no device yet)
    response = client.post("/quan-tri/pages/add/portal/articlepage/1/", {"title": "x"})
    assert response.status_code == 302 and response["Location"] == SETUP
    assert client.get(VERIFY)["Location"].startswith(SETUP)
    # what the step's own page loads stays open: icons, translations of the admin's scripts
    assert client.get("/quan-tri/sprite/").status_code == 200
    assert client.get("/quan-tri/jsi18n/").status_code == 200

    page = client.get(SETUP)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert "Vai trò của bạn bắt buộc xác thực hai bước" in soup.get_text()
    qr = soup.find("img", class_="twofactor-qr")
    assert qr["src"].startswith("data:image/svg+xml")
    assert qr["alt"] == "Mã QR để thêm tài khoản của bạn vào ứng dụng xác thực"
    secret = soup.find(id="twofactor-secret").get_text()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert secret.replace(" ", "") == services.secret_text(device).replace(" ", "")
    assert "otpauth://totp/" in device.config_url and "issuer=" in device.config_url
    # the same secret on a second visit (a half-scanned phone keeps working)
    again = BeautifulSoup(client.get(SETUP).content, "html.parser")
    assert again.find(id="twofactor-secret").get_text() == secret
    assert "Huỷ" not in again.find("form", class_="twofactor-form").get_text()

    # a wrong code does not turn it on
    response = client.post(SETUP, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(HOME).status_code == 302

    with later(5):
        response = client.post(SETUP, {"code": code_for(device), "next": "/quan-tri/pages/"})
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        codes = [li.get_text(strip=True) for li in soup.select("ol.twofactor-codes li")]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
        download = soup.find("a", download=True)
        assert download["href"].startswith("data:text/plain;charset=utf-8,")
        assert codes[0] in download["href"]
        assert soup.find("button", attrs={"data-twofactor-print": True})
        assert soup.find("a", string=re.compile("tiếp tục"))["href"] == "/quan-tri/pages/"
        assert "no-store" in response["Cache-Control"]
        assert client.get(HOME).status_code == 200
        assert client.get("/quan-tri/pages/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert audit.TWO_FACTOR_ENABLED in actions_of(user)


def test_a_pending_session_is_not_signed_in_on_the_public_site(client, portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    article = portal.articles[0]
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    user = portal.users["approver"]
    enrol(user)
    password_step(client, user)
    response = client.get(article.url)
    assert response.status_code == 302  # to the sign-in, as for a visitor
    with later(31):
        client.post(VERIFY, {"code": code_for(TOTPDevice.objects.get(user=user))})
        assert client.get(article.url).status_code == 200


# --- an optional role ----------------------------------------------------------------------------
def test_optional_role_may_skip_and_set_up_from_the_account_page(client, portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    user = portal.users["reporter"]
    password_step(client, user)
    assert client.get(HOME).status_code == 200
    account = BeautifulSoup(client.get("/quan-tri/account/").content, "html.parser")
    panel = account.find(class_="twofactor-panel")
    assert "Chưa bật" in panel.get_text()
    assert panel.find("a", href=SETUP)
    setup = BeautifulSoup(client.get(SETUP).content, "html.parser")
    assert setup.find("a", href=MANAGE, string="Huỷ")
    assert "bắt buộc" not in setup.get_text()
    manage = client.get(MANAGE)
    assert manage.status_code == 200 and "Thiết lập xác thực hai bước" in manage.content.decode()


# --- signing in with a code ---------------------------------------------------------------------
def test_sign_in_with_the_code_from_the_app(client, portal):
    user = portal.users["editor"]  # optional for an editor, but once set up it is always asked
    device, _codes = enrol(user)
    with later(31):
        response = password_step(client, user, next_url="/quan-tri/pages/")
        assert response["Location"] == "/quan-tri/pages/"
        for url in ADMIN_URLS:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(VERIFY), url
        page = client.get("/quan-tri/pages/")
        assert page["Location"] == f"{VERIFY}?next=%2Fquan-tri%2Fpages%2F"
        html = client.get(page["Location"]).content.decode()
        soup = BeautifulSoup(html, "html.parser")
        field = soup.find("input", attrs={"name": "code"})
        assert field["autocomplete"] == "one-time-code" and field["inputmode"] == "numeric"
        label = soup.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        assert label.rstrip("*") == "Mã xác thực"
        assert "Mật khẩu đã đúng" in soup.get_text()
        session_before = client.session.session_key
        response = client.post(
            page["Location"], {"code": code_for(device), "next": "/quan-tri/pages/"}
        )
        assert response.status_code == 302 and response["Location"] == "/quan-tri/pages/"
        assert client.session.session_key != session_before  # a new session key after the step
        assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
        for url in (HOME, "/quan-tri/pages/", "/quan-tri/account/", "/quan-tri/images/", MANAGE):
            assert client.get(url).status_code == 200, url
    assert actions_of(user)[-2:] == [audit.LOGIN, audit.TWO_FACTOR_VERIFIED]


def test_wrong_codes_are_refused_and_slow_down(client, portal):
    user = portal.users["editor"]
    device, _codes = enrol(user)
    start = timezone.now() + timedelta(seconds=60)
    with time_machine.travel(start, tick=False):
        password_step(client, user)
        right = code_for(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        assert "Mã xác thực không đúng" in response.content.decode()
        # a malformed code is refused before reaching the device
        response = client.post(VERIFY, {"code": "12ab"})
        assert "Mã xác thực gồm 6 chữ số" in response.content.decode()
        # too soon after a wrong code even the right one waits
        response = client.post(VERIFY, {"code": right})
        assert response.status_code == 200
        assert "Nhập sai mã quá nhiều lần. Hãy thử lại sau 1 giây." in response.content.decode()
        assert client.get(HOME).status_code == 302
    for n, seconds in enumerate((2, 4, 8), start=2):
        with time_machine.travel(start + timedelta(seconds=seconds), tick=False):
            client.post(VERIFY, {"code": wrong})
            device.refresh_from_db()
            assert device.throttling_failure_count == n
    # signing in again does not reset the count: the device remembers
    client.post("/quan-tri/logout/")
    with time_machine.travel(start + timedelta(seconds=9), tick=False):
        password_step(client, user)
        response = client.post(VERIFY, {"code": code_for(device)})
        text = BeautifulSoup(response.content, "html.parser").get_text()
        assert "Hãy thử lại sau" in text
    with time_machine.travel(start + timedelta(seconds=8 + 8 + 30), tick=False):
        response = client.post(VERIFY, {"code": code_for(device)})
        assert response.status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    failures = ModelLogEntry.objects.filter(
        object_id=str(user.pk), action=audit.TWO_FACTOR_FAILED
    ).order_by("pk")
    assert [entry.data["failure_count"] for entry in failures] == [1, 2, 3, 4]


def test_a_code_is_accepted_once(client, portal):
    user = portal.users["editor"]
    device, _codes = enrol(user)
    with later(31):
        code = code_for(device)
        password_step(client, user)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        other = Client()
        password_step(other, user)
        response = other.post(VERIFY, {"code": code})
        assert response.status_code == 200  # replayed: refused


def test_a_recovery_code_works_once(client, portal):
    user = portal.users["approver"]
    _device, codes = enrol(user)
    password_step(client, user)
    page = BeautifulSoup(client.get(VERIFY).content, "html.parser")
    link = page.find("a", string="Mất điện thoại? Dùng mã khôi phục")
    recovery_page = client.get(VERIFY + link["href"])
    assert "Mã khôi phục" in recovery_page.content.decode()
    typed = codes[3].upper().replace("-", " ")  # as a person copies it from paper
    response = client.post(VERIFY, {"code": typed, "method": "recovery"}, follow=True)
    assert response.redirect_chain[0] == (HOME, 302)
    assert "còn 9 mã" in response.content.decode()
    entry = ModelLogEntry.objects.filter(action=audit.TWO_FACTOR_RECOVERY_USED).get()
    assert entry.data["recovery_codes_left"] == 9 and entry.user_id == user.pk

    client.post("/quan-tri/logout/")
    with later(5):
        password_step(client, user)
        response = client.post(VERIFY, {"code": codes[3], "method": "recovery"})
        assert response.status_code == 200
        assert "Mã khôi phục không đúng hoặc đã được dùng" in response.content.decode()
    with later(10):
        assert client.post(VERIFY, {"code": codes[4], "method": "recovery"}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8


def test_next_address_stays_on_this_site(client, portal):
    user = portal.users["editor"]
    device, _codes = enrol(user)
    with later(31):
        password_step(client, user)
        response = client.post(
            VERIFY, {"code": code_for(device), "next": "https://ke-gian.example/"}
        )
        assert response["Location"] == HOME


def test_password_lockout_still_works_for_an_officer_with_two_step_sign_in(
    client, portal, settings
):
    user = portal.users["approver"]
    enrol(user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(LOGIN, {"username": user.username, "password": "sai-mat-khau"})
    assert response.status_code == 429
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


# --- the officer's own page -------------------------------------------------------------------
def sign_in_fully(client, user, device) -> None:
    password_step(client, user)
    response = client.post(VERIFY, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302, response.content[:500]


def test_new_recovery_codes_replace_the_old_ones(client, portal):
    user = portal.users["editor"]
    device, old = enrol(user)
    sign_in_fully(client, user, device)
    manage = BeautifulSoup(client.get(MANAGE).content, "html.parser").get_text(" ", strip=True)
    assert "Đang bật" in manage and "Còn 10 trên 10 mã khôi phục" in manage
    response = client.post(RENEW)
    new = [
        li.get_text(strip=True)
        for li in BeautifulSoup(response.content, "html.parser").select("ol.twofactor-codes li")
    ]
    assert len(new) == 10 and not set(new) & set(old)
    assert services.check_code(user, old[0], method=services.RECOVERY).ok is False
    with later(5):
        assert services.check_code(user, new[0], method=services.RECOVERY).ok
    assert audit.TWO_FACTOR_RECOVERY_RENEWED in actions_of(user)


def test_removing_asks_for_the_password(client, portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    user = portal.users["approver"]
    device, _codes = enrol(user)
    sign_in_fully(client, user, device)
    assert client.get(REMOVE).status_code == 200
    response = client.post(REMOVE, {"password": "sai-mat-khau"})
    assert response.status_code == 200 and "Mật khẩu không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post(REMOVE, {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == SETUP  # required: again
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert client.get(HOME)["Location"].startswith(SETUP)
    assert audit.TWO_FACTOR_REMOVED in actions_of(user)


def test_an_optional_officer_may_turn_it_off(client, portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    user = portal.users["reporter"]
    device, _codes = enrol(user)
    sign_in_fully(client, user, device)
    response = client.post(REMOVE, {"password": PASSWORD})
    assert response["Location"] == MANAGE
    assert client.get(HOME).status_code == 200


# --- an administrator resets another officer's second factor (a lost phone) --------------------
def test_administrator_resets_a_lost_phone_from_the_users_page(client, portal, settings):
    settings.TWO_FACTOR_REQUIRED = "roles"
    officer, admin = portal.users["approver"], portal.users["administrator"]
    officer_device, _codes = enrol(officer)
    admin_device, _codes = enrol(admin)
    officer_client = Client()
    sign_in_fully(officer_client, officer, officer_device)
    sign_in_fully(client, admin, admin_device)

    user_page = client.get(f"/quan-tri/users/edit/{officer.pk}/")
    soup = BeautifulSoup(user_page.content, "html.parser")
    status = soup.find(class_="twofactor-user")
    assert "Đang bật" in status.get_text() and "còn 10 mã khôi phục" in status.get_text()
    reset_url = status.find("a", string=re.compile("Đặt lại xác thực hai bước"))["href"]
    assert reset_url == f"/quan-tri/xac-thuc-hai-buoc/nguoi-dung/{officer.pk}/dat-lai/"
    confirm = client.get(reset_url)
    assert confirm.status_code == 200 and "nhật ký thao tác" in confirm.content.decode()
    response = client.post(reset_url, follow=True)
    assert response.redirect_chain[-1][0] == f"/quan-tri/users/edit/{officer.pk}/"
    name = get_user_display_name(officer)
    assert f"Đã đặt lại xác thực hai bước của {name}" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    entry = ModelLogEntry.objects.filter(action=audit.TWO_FACTOR_RESET).get()
    assert entry.object_id == str(officer.pk) and entry.user_id == admin.pk
    assert log_message(entry) == "Quản trị viên đã đặt lại xác thực hai bước"
    # the officer's session is no longer verified: the approver must set up a new phone
    assert officer_client.get(HOME)["Location"].startswith(SETUP)


def test_only_administrators_reset_and_not_their_own(client, portal):
    officer = portal.users["editor"]
    enrol(officer)
    url = f"/quan-tri/xac-thuc-hai-buoc/nguoi-dung/{officer.pk}/dat-lai/"
    client.force_login(portal.users["approver"])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=officer).exists()
    admin = portal.users["administrator"]
    client.force_login(admin)
    own = f"/quan-tri/xac-thuc-hai-buoc/nguoi-dung/{admin.pk}/dat-lai/"
    assert client.get(own).status_code in (302, 403)
    # a non-superuser who may change users cannot reset a superuser's
    from django.contrib.auth.models import Permission

    manager = portal.users["editor"]
    manager.user_permissions.add(Permission.objects.get(codename="change_user"))
    enrol(admin)
    client.force_login(manager)
    response = client.post(own)
    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=admin).exists()


# --- the audit log and the language of the screens ---------------------------------------------
def log_message(entry) -> str:
    """What the audit-log screens show for ``entry``, in Vietnamese."""
    from django.utils import translation
    from wagtail.log_actions import registry

    with translation.override("vi"):
        return str(registry.get_formatter(entry).format_message(entry))


def test_events_read_in_vietnamese_in_the_audit_log(client, portal):
    user = portal.users["editor"]
    device, codes = enrol(user)
    with later(31):
        password_step(client, user)
        client.post(VERIFY, {"code": "000000" if code_for(device) != "000000" else "111111"})
    with later(40):
        client.post(VERIFY, {"code": codes[0], "method": "recovery"})
    messages = {
        entry.action: log_message(entry)
        for entry in ModelLogEntry.objects.filter(object_id=str(user.pk))
    }
    assert messages[audit.TWO_FACTOR_ENABLED] == "Đã bật xác thực hai bước"
    assert messages[audit.TWO_FACTOR_FAILED] == "Nhập sai mã xác thực (1 lần liên tiếp)"
    assert messages[audit.TWO_FACTOR_RECOVERY_USED] == "Đã đăng nhập bằng mã khôi phục (còn 9 mã)"


def test_two_factor_screens_are_in_vietnamese(client, portal, settings):
    from tests.admin_i18n import record_missed_strings

    settings.TWO_FACTOR_REQUIRED = "roles"
    officer, admin = portal.users["approver"], portal.users["administrator"]
    with record_missed_strings() as missed:
        password_step(client, officer)
        client.get(SETUP)
        device = TOTPDevice.objects.get(user=officer)
        client.post(SETUP, {"code": "12"})
        with later(5):
            client.post(SETUP, {"code": code_for(device)})
        client.get(MANAGE)
        client.get(REMOVE)
        client.post(RENEW)
        client.get("/quan-tri/account/")
        client.post("/quan-tri/logout/")
        with later(40):
            password_step(client, officer)
            client.get(VERIFY)
            client.get(VERIFY + "?method=recovery")
            client.post(VERIFY, {"code": "zzzzzzzz", "method": "recovery"})
        with later(80):
            client.post(VERIFY, {"code": "999999"})
        admin_client = Client()
        admin_client.force_login(admin)
        admin_client.get(f"/quan-tri/users/edit/{officer.pk}/")
        admin_client.get(f"/quan-tri/xac-thuc-hai-buoc/nguoi-dung/{officer.pk}/dat-lai/")
    assert not missed.where, sorted(missed.where)


def test_demo_profile_does_not_require_it_and_production_does():
    import subprocess
    import sys

    def required_in(profile: str) -> str:
        code = (
            "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='doingoai.settings.'+"
            f"'{profile}'; os.environ.pop('TWO_FACTOR_REQUIRED', None);"
            "os.environ.setdefault('DJANGO_SECRET_KEY','x'*50);"
            "os.environ.setdefault('DJANGO_ALLOWED_HOSTS','example.org');"
            "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
        )
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()

    assert required_in("dev") == "off"
    assert required_in("production") == "roles"
