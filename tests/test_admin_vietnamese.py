"""Every back-office screen our roles see reads in Vietnamese."""

import pytest
from bs4 import BeautifulSoup

from tests.admin_i18n import crawl_admin, english_in_html, record_missed_strings

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
        "/quan-tri/nhat-ky-thao-tac/",
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


def signed_out_screens(client, portal) -> list[tuple[str, str]]:
    """The sign-in and password-reset screens, as a visitor who is not signed in sees them:
    (what, HTML)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = portal.users["editor"]
    uid, token = (
        urlsafe_base64_encode(force_bytes(user.pk)),
        default_token_generator.make_token(user),
    )
    screens = []

    def get(what: str, url: str, **kwargs) -> None:
        response = client.get(url, follow=True, **kwargs)
        assert response.status_code == 200, (what, url, response.status_code)
        screens.append((what, response.content.decode()))

    get("sign-in", "/quan-tri/login/")
    response = client.post("/quan-tri/login/", {"username": user.username, "password": "sai"})
    screens.append(("sign-in refused", response.content.decode()))
    get("password reset", "/quan-tri/password_reset/")
    response = client.post("/quan-tri/password_reset/", {"email": ""})
    screens.append(("password reset, no address", response.content.decode()))
    get("password reset sent", "/quan-tri/password_reset/done/")
    get("new password", f"/quan-tri/password_reset/confirm/{uid}/{token}/")
    get("new password, link used", f"/quan-tri/password_reset/confirm/{uid}/0-0/")
    get("password changed", "/quan-tri/password_reset/complete/")
    return screens


def test_sign_in_and_password_reset_screens_are_vietnamese(client, portal):
    """Every string on them is looked up in Vietnamese, and none reaches the page in English
    without a lookup (Wagtail's password field had no label: Django named it "Password")."""
    with record_missed_strings() as missed:
        missed.current_url = "/quan-tri/login/ and password reset"
        screens = signed_out_screens(client, portal)
    english = {what: sorted(english_in_html(html)) for what, html in screens}
    assert not any(english.values()), {what: found for what, found in english.items() if found}
    assert not missed.where, sorted(missed.where)
    assert "Đăng nhập" in screens[0][1]
    label = BeautifulSoup(screens[0][1], "html.parser").find("label", attrs={"for": "id_password"})
    assert label.get_text(" ", strip=True).startswith("Mật khẩu")


def test_the_html_check_sees_strings_that_skip_gettext():
    html = (
        '<label for="p">Password<span>*</span></label>'
        '<input id="p" placeholder="Nhập mật khẩu">'
        '<input type="submit" value="Search"><a title="Tài khoản">Minh</a>'
    )
    assert english_in_html(html) == {"Password", "Search"}


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
