"""End to end in headless Chromium: a reporter writes and submits an article, the editor
passes it, the approver publishes it, and an anonymous visitor reads it."""

import re

import pytest

from doingoai.portal.models import ArticlePage
from tests.factories import PASSWORD, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Lào Cai đón đoàn phóng viên quốc tế tìm hiểu cửa khẩu"


def sign_in(page, base, user):
    page.goto(f"{base}/quan-tri/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/quan-tri/$"))


def open_actions_and_click(page, selector):
    page.locator("[data-w-dropdown-target='toggle'], .dropdown-toggle").last.click()
    page.locator(selector).first.click()


def workflow_action(page, base, article_id, action):
    page.goto(f"{base}/quan-tri/pages/{article_id}/edit/")
    open_actions_and_click(page, f"button[data-workflow-action-name='{action}']")
    page.wait_for_load_state("networkidle")


def test_reporter_editor_approver_visitor(live_server, new_page, settings):
    settings.ALLOWED_HOSTS = ["*"]
    portal = build_portal(n_articles=1)
    section = portal.sections["thoi-su"]
    base = live_server.url

    # 1. The reporter writes a draft and submits it for moderation.
    reporter = new_page()
    sign_in(reporter, base, portal.users["reporter"])
    reporter.goto(f"{base}/quan-tri/pages/add/portal/articlepage/{section.pk}/")
    reporter.fill("#id_title", TITLE)
    reporter.fill("#id_lead", "Đoàn phóng viên của năm hãng thông tấn quốc tế thăm cửa khẩu.")
    open_actions_and_click(reporter, "button[name='action-submit']")
    reporter.wait_for_url(re.compile(r".*/quan-tri/pages/\d+/edit/$|.*/quan-tri/pages/\d+/$"))
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.current_workflow_task.name == "Biên tập viên duyệt"

    # 2. The editor approves the editing step.
    editor = new_page()
    sign_in(editor, base, portal.users["editor"])
    assert TITLE in editor.content()  # awaiting review on the dashboard
    workflow_action(editor, base, article.pk, "approve")
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Lãnh đạo duyệt"

    # 3. The approver approves: the article is published.
    approver = new_page()
    sign_in(approver, base, portal.users["approver"])
    workflow_action(approver, base, article.pk, "approve")
    article.refresh_from_db()
    assert article.live

    # 4. An anonymous visitor sees it on the home page and in its section.
    visitor = new_page()
    visitor.goto(f"{base}/vi/")
    assert visitor.get_by_role("link", name=TITLE).first.is_visible()
    visitor.goto(f"{base}{section.url}")
    visitor.get_by_role("link", name=TITLE).first.click()
    assert visitor.locator("h1").inner_text() == TITLE
