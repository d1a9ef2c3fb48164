"""The branded back office keeps WCAG 2.1 AA contrast (axe-core in headless Chromium) on the
sign-in page, the dashboard and the staff guide, in the light and the dark theme."""

import re

import pytest

from tests.factories import PASSWORD, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}


def test_branded_screens_keep_aa_contrast(live_server, new_page, settings):
    from axe_playwright_python.sync_playwright import Axe

    settings.ALLOWED_HOSTS = ["*"]
    portal = build_portal(n_articles=1)
    axe = Axe()
    problems = {}
    for scheme in ("light", "dark"):
        page = new_page(color_scheme=scheme)
        page.goto(f"{live_server.url}/quan-tri/login/")
        assert page.locator("h1").inner_text().strip().endswith("Đăng nhập trang quản trị")
        results = axe.run(page, options=CONTRAST)
        if results.violations_count:
            problems[f"{scheme} sign-in"] = results.generate_report()
        page.fill("input[name=username]", portal.users["editor"].username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/quan-tri/$"))
        # the sidebar shows the emblem and the portal's name in place of Wagtail's bird
        brand = page.locator(".sidebar-custom-branding")
        assert settings.WAGTAIL_SITE_NAME in brand.inner_text()
        for url in ("/quan-tri/", "/quan-tri/huong-dan/"):
            page.goto(f"{live_server.url}{url}")
            results = axe.run(page, options=CONTRAST)
            if results.violations_count:
                problems[f"{scheme} {url}"] = results.generate_report()
    assert not problems, "\n\n".join(f"{where}\n{report}" for where, report in problems.items())
