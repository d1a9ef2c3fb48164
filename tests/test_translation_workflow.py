"""Translating in the back office: an editor starts an English version of an article."""

import pytest

from doingoai.portal.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_editor_creates_a_translation_draft(client, portal):
    article = portal.articles[1]  # Vietnamese only
    client.force_login(portal.users["editor"])
    url = f"/quan-tri/translation/submit/page/{article.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    assert "Dịch trang" in form.content.decode()
    response = client.post(url, {"locales": [portal.locales["en"].pk]})
    assert response.status_code == 302
    english = article.get_translation(portal.locales["en"])
    assert isinstance(english.specific, ArticlePage)
    assert not english.live  # a draft for the translator to work on
    assert english.translation_key == article.translation_key


def test_reporter_cannot_start_translations(client, portal):
    client.force_login(portal.users["reporter"])
    response = client.get(f"/quan-tri/translation/submit/page/{portal.articles[1].pk}/")
    assert response.status_code in (302, 403)
