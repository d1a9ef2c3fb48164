"""WCAG 2.1 AA checks with axe-core in headless Chromium, and keyboard use."""

import pytest

from tests.factories import build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def test_public_pages_have_no_wcag_aa_violations(live_server, new_page, settings):
    from axe_playwright_python.sync_playwright import Axe

    settings.ALLOWED_HOSTS = ["*"]
    portal = build_portal(n_articles=3)
    urls = [
        "/vi/",
        "/en/",
        "/lo/",
        portal.sections["thoi-su"].url,
        portal.articles[0].url,
        portal.photo.url,
        portal.video.url,
        portal.standard.url,
        f"{portal.articles[0].url}in/",
        f"/lo/chua-dich/{portal.articles[1].pk}/",
        "/vi/khong-ton-tai/",
    ]
    page = new_page()
    axe = Axe()
    problems = {}
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            problems[url] = results.generate_report()
    assert not problems, "\n\n".join(f"{url}\n{report}" for url, report in problems.items())


def test_keyboard_reaches_the_skip_link_first(live_server, new_page, settings):
    settings.ALLOWED_HOSTS = ["*"]
    build_portal(n_articles=1)
    page = new_page()
    page.goto(f"{live_server.url}/vi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_pages_work_without_javascript(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    portal = build_portal(n_articles=2)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/")
    page.get_by_role("link", name=portal.articles[0].title).first.click()
    assert page.locator("h1").inner_text() == portal.articles[0].title
    page.locator(".language-switcher a[hreflang=en]").click()
    assert page.url.endswith("/test-article-one/")
    context.close()
