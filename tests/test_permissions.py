"""Roles × actions × page types, as Wagtail's permission tester sees them, plus the admin
screens each role may open."""

import pytest

from doingoai.portal.models import ArticlePage
from tests.factories import add_page, article_fields

pytestmark = pytest.mark.django_db

ROLES = ("reporter", "editor", "approver", "administrator")
PAGE_TYPES = ("home", "section", "article", "photo", "video", "standard")

# What each role may do on a page somebody else wrote.
EXPECTED = {
    #               add_child edit  publish unpublish delete lock
    "reporter": (True, False, False, False, False, False),
    "editor": (True, True, False, False, False, True),
    "approver": (True, True, True, True, True, True),  # delete: no children
    "administrator": (True, True, True, True, True, True),
}
ACTIONS = ("add_child", "edit", "publish", "unpublish", "delete", "lock")


def page_of_type(portal, kind):
    return {
        "home": portal.homes["vi"],
        "section": portal.sections["thoi-su"],
        "article": portal.articles[0],
        "photo": portal.photo,
        "video": portal.video,
        "standard": portal.standard,
    }[kind]


def can(tester, action, page) -> bool:
    if action == "add_child":
        return bool(page.specific_class.allowed_subpage_models()) and tester.can_add_subpage()
    return {
        "edit": tester.can_edit,
        "publish": tester.can_publish,
        "unpublish": tester.can_unpublish,
        "delete": tester.can_delete,
        "lock": tester.can_lock,
    }[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_permission_matrix(portal, role, kind):
    page = page_of_type(portal, kind)
    tester = page.permissions_for_user(portal.users[role])
    expected = dict(zip(ACTIONS, EXPECTED[role], strict=True))
    if not page.specific_class.allowed_subpage_models():
        expected["add_child"] = False  # articles have no children, for anybody
    if role == "approver" and page.get_children().exists():
        expected["delete"] = False  # no bulk delete: a section with its articles stays
    actual = {action: can(tester, action, page) for action in ACTIONS}
    assert actual == expected


def test_reporter_edits_own_draft_but_cannot_publish_it(portal):
    reporter = portal.users["reporter"]
    draft = add_page(
        portal.sections["thoi-su"], ArticlePage, publish=False, owner=reporter, **article_fields(60)
    )
    tester = draft.permissions_for_user(reporter)
    assert tester.can_edit()
    assert not tester.can_publish()
    assert tester.can_submit_for_moderation()


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/quan-tri/", set(ROLES)),
        ("/quan-tri/pages/", set(ROLES)),
        ("/quan-tri/images/", set(ROLES)),
        ("/quan-tri/documents/", set(ROLES)),
        ("/quan-tri/snippets/portal/banner/", {"editor", "approver", "administrator"}),
        ("/quan-tri/snippets/portal/relatedportallink/", {"editor", "approver", "administrator"}),
        ("/quan-tri/users/", {"administrator"}),
        ("/quan-tri/groups/", {"administrator"}),
        ("/quan-tri/workflows/list/", {"administrator"}),
        # The audit log (Nhật ký thao tác) replaces Wagtail's site history: administrators only
        ("/quan-tri/nhat-ky-thao-tac/", {"administrator"}),
        ("/quan-tri/sites/", {"administrator"}),
    ],
)
def test_admin_screens_by_role(client, portal, url, allowed):
    for role in ROLES:
        client.force_login(portal.users[role])
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, (role, url, status)
        else:
            assert status in (302, 403), (role, url, status)


def test_anonymous_is_sent_to_sign_in(client, portal):
    response = client.get("/quan-tri/pages/")
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_csrf_is_enforced_on_admin_posts(portal):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(portal.users["approver"])
    url = f"/quan-tri/pages/{portal.articles[0].pk}/unpublish/"
    assert strict.post(url).status_code == 403
    assert ArticlePage.objects.get(pk=portal.articles[0].pk).live
