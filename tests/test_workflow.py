"""The approval workflow: reporter → editor → approver, with rejection back to the author."""

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from doingoai.accounts.services import WORKFLOW_NAME
from doingoai.portal.models import ArticlePage
from tests.factories import add_page, article_fields

pytestmark = pytest.mark.django_db


def submit(portal, n=70):
    reporter = portal.users["reporter"]
    page = add_page(
        portal.sections["thoi-su"], ArticlePage, publish=False, owner=reporter, **article_fields(n)
    )
    page.save_revision(user=reporter)
    workflow = page.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    workflow.start(page, reporter)
    return ArticlePage.objects.get(pk=page.pk)


def act(page, user, action, comment=""):
    state = page.current_workflow_task_state
    actions = {name for name, *_rest in state.task.specific.get_actions(page, user)}
    assert action in actions, (user, actions)
    state.task.specific.on_action(state, user, action, comment=comment)
    return ArticlePage.objects.get(pk=page.pk)


def test_every_portal_root_uses_the_workflow(portal):
    for home in portal.homes.values():
        assert home.get_workflow().name == WORKFLOW_NAME
    assert portal.articles[0].get_workflow().name == WORKFLOW_NAME


def test_reporter_to_editor_to_approver_publishes(portal):
    page = submit(portal)
    assert not page.live
    assert page.current_workflow_task.name == "Biên tập viên duyệt"
    # The reporter and the approver cannot pass the editor's step.
    for user in (portal.users["reporter"], portal.users["approver"]):
        state = page.current_workflow_task_state
        assert state.task.specific.get_actions(page, user) == []
    page = act(page, portal.users["editor"], "approve", comment="Đã biên tập")
    assert page.current_workflow_task.name == "Lãnh đạo duyệt"
    assert not page.live
    assert (
        page.current_workflow_task_state.task.specific.get_actions(page, portal.users["editor"])
        == []
    )
    page = act(page, portal.users["approver"], "approve")
    assert page.live
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED


def test_rejection_goes_back_to_the_author_with_a_comment(portal):
    page = submit(portal, n=71)
    mail.outbox.clear()
    page = act(page, portal.users["editor"], "reject", comment="Bổ sung nguồn tin")
    state = page.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not page.live
    assert any(portal.users["reporter"].email in message.to for message in mail.outbox)
    # The author fixes the draft and resubmits; the workflow continues from the editor.
    page.save_revision(user=portal.users["reporter"])
    state.resume(portal.users["reporter"])
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_task.name == "Biên tập viên duyệt"


def test_scheduled_publication_and_expiry(portal, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    page = add_page(portal.sections["thoi-su"], ArticlePage, publish=False, **article_fields(72))
    go_live = timezone.now() + timedelta(hours=1)
    page.go_live_at = go_live
    page.save_revision(user=portal.users["approver"]).publish(user=portal.users["approver"])
    page.refresh_from_db()
    assert not page.live  # scheduled, not yet live
    import time_machine

    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    page.expire_at = timezone.now() + timedelta(days=1)
    page.save()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired


def test_revisions_can_be_compared(client, portal):
    article = portal.articles[0]
    first = article.latest_revision
    article.title = "Tiêu đề đã sửa"
    second = article.save_revision(user=portal.users["editor"])
    client.force_login(portal.users["editor"])
    url = f"/quan-tri/pages/{article.pk}/revisions/compare/{first.pk}...{second.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Tiêu đề đã sửa" in response.content.decode()
