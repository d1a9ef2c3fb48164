"""The idle-session warning in a real browser: countdown, stay signed in, then sign-out."""

import re

import pytest

from tests.factories import PASSWORD, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_countdown_stay_signed_in_then_expiry(live_server, new_page, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.IDLE_TIMEOUT_SECONDS = 9  # warning after 4 s, sign-out after 9 s
    settings.IDLE_WARNING_SECONDS = 5
    portal = build_portal(n_articles=1)
    page = new_page()
    page.goto(f"{live_server.url}/quan-tri/login/")
    page.fill("input[name=username]", portal.users["editor"].username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/quan-tri/$"))

    dialog = page.locator("#idle-timeout")
    dialog.wait_for(state="visible", timeout=8_000)
    assert "Phiên làm việc của bạn sắp kết thúc" in dialog.inner_text()
    first = int(page.locator("[data-idle-countdown]").inner_text())
    page.wait_for_timeout(1_200)
    assert int(page.locator("[data-idle-countdown]").inner_text()) < first  # counting down
    assert page.evaluate("document.activeElement.textContent.trim()") == "Duy trì đăng nhập"

    page.get_by_role("button", name="Duy trì đăng nhập").click()
    assert dialog.is_hidden()
    page.wait_for_timeout(1_000)
    assert "/quan-tri/login/" not in page.url  # still signed in

    # Nobody touches the page again: the warning returns and the session ends.
    page.wait_for_url(re.compile(r".*/quan-tri/login/.*"), timeout=20_000)
    assert page.locator("input[name=password]").is_visible()
