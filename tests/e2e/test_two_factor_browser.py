"""Two-step sign-in in headless Chromium: an approver (for whom it is required) signs in with the
password, lands on the set-up screen, adds the account to an "authenticator app" by reading the
secret from the page, confirms with a code, keeps the recovery codes, signs out, and signs in
again with the password and a code.

With DOINGOAI_SAVE_SCREENSHOTS=1 the screens are saved where the documentation shows them
(docs/screenshots/backoffice-2fa-*.png and the staff guide's docs/guide/anh/xac-thuc-hai-buoc.png);
otherwise into the test's temporary directory.
"""

import os
import re
import time
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from tests.factories import PASSWORD, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def code_from_secret(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed by hand (base32, spaces ignored)."""
    key = b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def shots(tmp_path):
    if os.environ.get("DOINGOAI_SAVE_SCREENSHOTS"):
        return ROOT / "docs" / "screenshots", ROOT / "docs" / "guide" / "anh"
    return tmp_path, tmp_path


def save(target, path: Path, **options) -> None:
    """Screenshot ``target`` (a page or an element) as a small palette PNG."""
    from PIL import Image

    target.screenshot(path=str(path), **options)
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    palette = rgb.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    rgb.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG).save(path, optimize=True)


def password_step(page, base, username):
    page.goto(f"{base}/quan-tri/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_approver_sets_up_two_step_sign_in_and_signs_in_with_a_code(
    live_server, new_page, settings, tmp_path
):
    settings.ALLOWED_HOSTS = ["*"]
    settings.TWO_FACTOR_REQUIRED = "roles"
    portal = build_portal(n_articles=1)
    approver = portal.users["approver"]
    approver.first_name, approver.last_name = "Hùng", "Lê Quang"
    approver.save()
    base = live_server.url
    screenshots, guide_images = shots(tmp_path)
    page = new_page()
    console_errors, refused = [], []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: refused.append((r.status, r.url)) if r.status >= 400 else None)

    # 1. The password is right, but the role requires a second factor: the set-up screen.
    password_step(page, base, approver.username)
    page.wait_for_url(re.compile(r".*/quan-tri/xac-thuc-hai-buoc/thiet-lap/.*"))
    assert "Thiết lập xác thực hai bước" in page.locator("h1").inner_text()
    assert "Vai trò của bạn bắt buộc xác thực hai bước" in page.content()
    qr = page.locator("img.twofactor-qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 100")  # drawn, not blocked
    # typing an admin address does not get round it
    page.goto(f"{base}/quan-tri/pages/")
    page.wait_for_url(re.compile(r".*/xac-thuc-hai-buoc/thiet-lap/.*"))
    page.set_viewport_size({"width": 1280, "height": 860})
    save(page, screenshots / "backoffice-2fa-setup.png", full_page=True)
    save(page.locator("main"), guide_images / "xac-thuc-hai-buoc.png")

    # 2. The officer types the secret into the app and confirms with the code it shows.
    secret = page.locator("#twofactor-secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ?)+", secret)
    page.fill("input[name=code]", code_from_secret(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    page.wait_for_selector("ol.twofactor-codes")
    assert "Tài khoản của bạn đã bật xác thực hai bước" in page.content()
    codes = page.locator("ol.twofactor-codes li").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về (.txt)").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code.strip() in saved for code in codes)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_url(re.compile(r".*/quan-tri/pages/$"))

    # 3. Sign out from the account menu.
    page.goto(f"{base}/quan-tri/")
    page.locator(".sidebar-footer__account").click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r".*/quan-tri/login/.*"))

    # 4. Signing in again: password, then a code (the next one: each code is accepted once).
    password_step(page, base, approver.username)
    page.wait_for_url(re.compile(r".*/quan-tri/xac-thuc-hai-buoc/nhap-ma/.*"))
    assert "Mật khẩu đã đúng" in page.content()
    field = page.locator("input[name=code]")
    assert field.get_attribute("autocomplete") == "one-time-code"
    page.set_viewport_size({"width": 1280, "height": 860})
    save(page, screenshots / "backoffice-2fa-code.png")
    field.fill("000000" if code_from_secret(secret, steps_ahead=1) != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    assert "Mã xác thực không đúng" in page.locator(".error-message").inner_text()
    page.wait_for_timeout(2_100)  # django-otp makes one wait after a wrong code
    page.fill("input[name=code]", code_from_secret(secret, steps_ahead=1))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r".*/quan-tri/$"))
    assert "Lê Quang Hùng" in page.content()
    assert not [error for error in console_errors if "Content Security Policy" in error]
    assert refused == []  # nothing the steps' pages load is refused (icons, scripts)
