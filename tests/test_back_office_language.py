"""The back office is Vietnamese whatever language the officer's browser asks for."""

import pytest
from wagtail.users.models import UserProfile

from doingoai.accounts.services import roles_sync, user_create_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    roles_sync()
    return user_create_with_role(username="bt_ngon_ngu", password="x-2026-abc", role="editor")


def test_an_english_browser_still_gets_the_vietnamese_back_office(client, editor):
    client.force_login(editor)
    html = client.get("/quan-tri/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi"' in html
    assert "Sorry, you do not have permission" not in html


def test_an_officer_who_chose_english_gets_english(client, editor):
    UserProfile.get_for_user(editor).__class__.objects.filter(user=editor).update(
        preferred_language="en"
    )
    client.force_login(editor)
    html = client.get("/quan-tri/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en"' in html
