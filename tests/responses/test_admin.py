"""Back-office screens of alerts and cases: who may do what, unit scoping, CSRF, the case
screen and its buttons, opening a case from a story, and Vietnamese on every screen."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from doingoai.responses.models import Alert, AlertRule, ResponseCase
from doingoai.responses.services import alerts_evaluate, case_open
from tests.admin_i18n import crawl_admin, record_missed_strings

from .factories import AlertRuleFactory, ClusterFactory, ItemFactory

pytestmark = pytest.mark.django_db

S = ResponseCase.Status
ROLES = ["anonymous", "reporter", "editor", "approver", "administrator"]


def refused(response) -> bool:
    """Wagtail answers a missing permission by sending the user to the dashboard."""
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("wagtailadmin_login"))


def login(client, office, role):
    if role != "anonymous":
        client.force_login(office.users[role])


def case_form(office, **extra):
    data = {
        "title": "Tin sai về giá nông sản tại cửa khẩu",
        "summary": "Nhiều trang chia sẻ lại.",
        "agency": office.district.pk,
        "deadline": "",
        "article": "",
        "answer_note": "",
        "cluster": "",
        "item": "",
    }
    data.update(extra)
    return data


def rule_form(**extra):
    data = {
        "name": "Rủi ro cao và lan nhanh",
        "active": "on",
        "min_risk": "0,7",
        "min_relevance": "",
        "topic": "",
        "growth_mentions": "10",
        "growth_hours": "6",
        "recipient_emails": "truc-ban@laocai.gov.vn",
        "webhook_url": "",
        "max_per_hour": "5",
        "cooldown_mentions": "10",
    }
    data.update(extra)
    return data


# What each role may do: list cases, open a case, move a case, list rules, add a rule.
MATRIX = {
    "anonymous": (False, False, False, False, False),
    "reporter": (False, False, False, False, False),
    "editor": (True, True, True, True, False),
    "approver": (True, True, True, True, True),
    "administrator": (True, True, True, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, office, role):
    may_list, may_add, may_move, may_list_rules, may_add_rule = MATRIX[role]
    case = case_open(user=office.users["approver"], title="Vụ việc có sẵn", agency=office.district)
    login(client, office, role)
    denied = sent_to_login if role == "anonymous" else refused

    listing = client.get(reverse("responses_cases:index"))
    assert (listing.status_code == 200) is may_list and (may_list or denied(listing))
    if may_list:
        assert case.code in listing.content.decode()

    added = client.post(reverse("responses_cases:add"), case_form(office))
    assert ResponseCase.objects.filter(title__startswith="Tin sai về giá").exists() is may_add
    if not may_add:
        assert denied(added)

    moved = client.post(reverse("responses_cases:transition", args=[case.pk]), {"to": S.VERIFYING})
    case.refresh_from_db()
    assert (case.status == S.VERIFYING) is may_move
    if not may_move:
        assert denied(moved)

    rules = client.get(reverse("responses_rules:index"))
    assert (rules.status_code == 200) is may_list_rules
    client.post(reverse("responses_rules:add"), rule_form())
    assert AlertRule.objects.filter(name="Rủi ro cao và lan nhanh").exists() is may_add_rule


def test_a_unit_officer_sees_and_moves_only_the_cases_of_their_unit(client, office):
    ours = case_open(user=office.users["editor"], title="Việc của huyện", agency=office.district)
    theirs = case_open(user=office.users["editor"], title="Việc huyện khác", agency=office.other)
    client.force_login(office.users["district_editor"])

    listing = client.get(reverse("responses_cases:index")).content.decode()
    assert ours.code in listing
    assert theirs.code not in listing
    assert client.get(reverse("responses_cases:inspect", args=[ours.pk])).status_code == 200
    assert refused(client.get(reverse("responses_cases:inspect", args=[theirs.pk])))
    assert refused(client.get(reverse("responses_cases:edit", args=[theirs.pk])))
    assert refused(
        client.post(reverse("responses_cases:transition", args=[theirs.pk]), {"to": S.VERIFYING})
    )
    theirs.refresh_from_db()
    assert theirs.status == S.NEW
    # Opening a case for another unit is refused by the form.
    response = client.post(
        reverse("responses_cases:add"), case_form(office, agency=office.other.pk)
    )
    assert response.status_code == 200
    assert "Bạn chỉ được giao vụ việc cho đơn vị của mình." in response.content.decode()


def test_moving_a_case_needs_the_csrf_token(office):
    case = case_open(user=office.users["editor"], title="Kiểm tra CSRF")
    client = Client(enforce_csrf_checks=True)
    client.force_login(office.users["editor"])
    url = reverse("responses_cases:transition", args=[case.pk])

    assert client.post(url, {"to": S.VERIFYING}).status_code == 403
    case.refresh_from_db()
    assert case.status == S.NEW

    page = client.get(reverse("responses_cases:inspect", args=[case.pk]))
    token = page.context["csrf_token"]
    client.post(url, {"to": S.VERIFYING, "csrfmiddlewaretoken": str(token)})
    case.refresh_from_db()
    assert case.status == S.VERIFYING
    assert client.get(url).status_code == 405  # POST only


def test_the_case_screen_shows_the_timeline_and_the_allowed_moves(client, office):
    editor = office.users["editor"]
    case = case_open(user=editor, title="Màn hình vụ việc", deadline=date(2099, 1, 1))
    client.force_login(editor)
    url = reverse("responses_cases:inspect", args=[case.pk])

    html = client.get(url).content.decode()
    assert "Diễn biến vụ việc" in html
    assert "Đã mở vụ việc." in html
    assert "Chuyển sang “Đang xác minh”" in html
    assert "Chuyển sang “Đã trả lời”" not in html  # not allowed from "new"
    assert "01/01/2099" in html

    transition = reverse("responses_cases:transition", args=[case.pk])
    response = client.post(transition, {"to": S.CLOSED}, follow=True)
    assert "ghi rõ lý do" in response.content.decode()  # the error is shown, nothing moved
    client.post(reverse("responses_cases:comment", args=[case.pk]), {"comment": "Đã gọi điện."})
    client.post(transition, {"to": S.VERIFYING, "comment": "Bắt đầu xác minh"})
    html = client.get(url).content.decode()
    assert "Đã gọi điện." in html
    assert "Mới → Đang xác minh" in html
    values = [dd.get_text(strip=True) for dd in BeautifulSoup(html, "html.parser").find_all("dd")]
    assert "None" not in values  # empty times show "-"
    assert "Chuyển sang “Đã trả lời”" in html


def test_a_case_opened_from_a_story_is_prefilled(client, office):
    cluster = ClusterFactory(title="Clip sai sự thật về lũ quét ở Bát Xát")
    client.force_login(office.users["editor"])

    form = client.get(reverse("responses_cases:add") + f"?cluster={cluster.pk}")
    html = form.content.decode()
    assert "Clip sai sự thật về lũ quét ở Bát Xát" in html
    response = client.post(
        reverse("responses_cases:add") + f"?cluster={cluster.pk}",
        case_form(office, title=cluster.title, cluster=cluster.pk, deadline="01/01/2099"),
    )
    case = ResponseCase.objects.get()
    assert response.url == reverse("responses_cases:inspect", args=[case.pk])
    assert (case.cluster, case.opened_by, case.deadline) == (
        cluster,
        office.users["editor"],
        date(2099, 1, 1),
    )


def test_a_deadline_in_the_past_is_refused_by_the_form(client, office):
    client.force_login(office.users["editor"])
    response = client.post(reverse("responses_cases:add"), case_form(office, deadline="01/01/2020"))
    assert "Hạn xử lý không được trước ngày mở vụ việc." in response.content.decode()
    assert not ResponseCase.objects.exists()


def test_a_rule_needs_a_condition_and_a_public_webhook(client, office, settings):
    settings.MONITORING_ALLOW_LOOPBACK = False
    client.force_login(office.users["approver"])
    url = reverse("responses_rules:add")
    html = client.post(url, rule_form(min_risk="", growth_mentions="")).content.decode()
    assert "Hãy đặt ít nhất một điều kiện" in html
    html = client.post(url, rule_form(webhook_url="http://192.168.1.10/hook")).content.decode()
    assert "không được trỏ vào mạng nội bộ" in html
    assert not AlertRule.objects.exists()


def test_the_alert_listing_offers_to_open_a_case(client, office):
    AlertRuleFactory(min_risk=0.5)
    item = ItemFactory(risk_score=0.9)
    alerts_evaluate()
    alert = Alert.objects.get()
    client.force_login(office.users["editor"])

    listing = client.get(reverse("responses_alerts:index")).content.decode()
    link = reverse("responses_cases:add") + f"?cluster={item.cluster_id}"
    assert f'href="{link}">Mở vụ việc</a>' in listing  # a link, not escaped text
    detail = client.get(reverse("responses_alerts:inspect", args=[alert.pk])).content.decode()
    assert "truc-ban@laocai.gov.vn" in detail
    assert "Đã gửi" in detail
    assert client.get(reverse("responses_alerts:add")).status_code == 302  # read-only


@pytest.mark.parametrize("role", ["editor", "approver", "administrator", "district_editor"])
def test_every_screen_reads_in_vietnamese(client, office, portal, role):
    rule = AlertRuleFactory(min_risk=0.5)
    item = ItemFactory(risk_score=0.9)
    alerts_evaluate()
    alert = Alert.objects.get()
    case = case_open(
        user=office.users["editor"], title="Vụ việc", cluster=item.cluster, agency=office.district
    )
    client.force_login(office.users[role])
    start = [
        reverse("responses_cases:index"),
        reverse("responses_cases:add") + f"?cluster={item.cluster_id}",
        reverse("responses_cases:inspect", args=[case.pk]),
        reverse("responses_cases:edit", args=[case.pk]),
        reverse("responses_alerts:index"),
        reverse("responses_alerts:inspect", args=[alert.pk]),
        reverse("responses_rules:index"),
        reverse("responses_rules:add"),
        reverse("responses_rules:edit", args=[rule.pk]),
    ]
    with record_missed_strings() as missed:
        visited, errors = crawl_admin(client, missed, start=start, limit=len(start))
    assert errors == []
    assert len(visited) == len(start)
    report = "\n".join(f"{text!r} on {sorted(urls)[0]}" for text, urls in missed.where.items())
    assert not missed.where, f"{len(missed.where)} untranslated strings:\n{report}"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listings_take_the_same_number_of_queries_for_more_rows(client, office):
    """No query per row (N+1) on the case and alert listings."""
    AlertRuleFactory(min_risk=0.5)
    client.force_login(office.users["editor"])

    def add_rows(n):
        for _n in range(n):
            item = ItemFactory(risk_score=0.9)
            case_open(
                user=office.users["editor"], title="Vụ việc", item=item, agency=office.district
            )
        alerts_evaluate()

    add_rows(2)
    few = [
        _queries(client, reverse(name))
        for name in ("responses_cases:index", "responses_alerts:index")
    ]
    add_rows(4)
    many = [
        _queries(client, reverse(name))
        for name in ("responses_cases:index", "responses_alerts:index")
    ]
    assert many == few


def test_story_and_item_pages_offer_to_open_a_case_to_those_who_may(client, office):
    from doingoai.monitoring.services import monitoring_grant_permissions

    monitoring_grant_permissions()
    item = ItemFactory(title="Tin đồn đóng cửa khẩu")
    pages = {
        "cluster": reverse("monitoring_clusters:inspect", args=[item.cluster_id]),
        "item": reverse("monitoring_items:inspect", args=[item.pk]),
    }
    client.force_login(office.users["editor"])
    for kind, url in pages.items():
        target = item.cluster_id if kind == "cluster" else item.pk
        link = reverse("responses_cases:add") + f"?{kind}={target}"
        html = client.get(url).content.decode()
        assert f'href="{link}"' in html and "Mở vụ việc" in html
    # Somebody who may read the monitoring screens but not open cases gets no button.
    viewer = office.users["editor"].__class__.objects.create_user("chi_xem_tin")
    viewer.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_cluster", "view_item"],
        )
    )
    client.force_login(viewer)
    html = client.get(pages["cluster"]).content.decode()
    assert "Tin đồn đóng cửa khẩu" in html and "Mở vụ việc" not in html


def test_the_case_listing_shows_deadlines_as_calendar_days(client, office):
    case = case_open(
        title="Tin đồn về cửa khẩu",
        user=office.users["editor"],
        agency=office.province,
        deadline=date(2099, 3, 7),
    )
    client.force_login(office.users["editor"])
    html = client.get(reverse("responses_cases:index")).content.decode()
    assert case.code in html and "07/03/2099" in html
