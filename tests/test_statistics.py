"""Referrer classification and the back-office statistics screen with CSV export."""

from datetime import timedelta

import pytest
from django.utils import timezone

from doingoai.visitors.buffer import get_visit_store
from doingoai.visitors.models import PageDailyVisits, ReferrerDailyVisits, SiteDailyVisits
from doingoai.visitors.referrers import referrer_kind
from doingoai.visitors.services import visits_flush


@pytest.mark.parametrize(
    ("referer", "kind"),
    [
        ("", "direct"),
        ("not a url", "direct"),
        ("https://portal.example.vn/vi/thoi-su/", "internal"),
        ("https://www.google.com.vn/search?q=lao+cai", "search"),
        ("https://coccoc.com/search?query=sa+pa", "search"),
        ("https://m.facebook.com/story", "social"),
        ("https://zalo.me/abc", "social"),
        ("https://t.co/xyz", "social"),
        ("https://baomoi.com/tin", "other"),
        ("https://notgoogle-example.vn/", "other"),
    ],
)
def test_referrer_kind(referer, kind):
    assert referrer_kind(referer, "portal.example.vn:443") == kind


@pytest.mark.django_db
def test_sources_are_buffered_and_flushed(client, portal):
    url = portal.articles[0].url
    agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    client.get(url, HTTP_USER_AGENT=agent, HTTP_REFERER="https://www.google.com/")
    client.get(url, HTTP_USER_AGENT=agent, HTTP_REFERER="https://www.facebook.com/")
    client.get(url, HTTP_USER_AGENT=agent)
    visits_flush(get_visit_store())
    kinds = dict(ReferrerDailyVisits.objects.values_list("kind", "views"))
    assert kinds == {"search": 1, "social": 1, "direct": 1}


@pytest.fixture
def history(portal):
    today = timezone.localdate()
    for offset in range(10):
        SiteDailyVisits.objects.create(
            day=today - timedelta(days=offset), views=100 + offset, visitors=50
        )
    PageDailyVisits.objects.create(page_id=portal.articles[0].pk, locale="vi", day=today, views=77)
    PageDailyVisits.objects.create(page_id=portal.articles[1].pk, locale="en", day=today, views=5)
    ReferrerDailyVisits.objects.create(day=today, kind="search", views=60)
    return today


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reporter", "editor", "approver", "administrator"])
def test_statistics_screen(client, portal, history, role):
    client.force_login(portal.users[role])
    html = client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": 7}).content.decode()
    assert "Thống kê truy cập" in html
    assert portal.articles[0].title in html
    assert "Công cụ tìm kiếm" in html
    assert "<svg" in html and "<rect" in html
    assert history.strftime("%d/%m/%Y") in html


@pytest.mark.django_db
def test_statistics_csv_export(client, portal, history):
    client.force_login(portal.users["editor"])
    response = client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": 7, "dinh-dang": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Ngày,Lượt xem trang,Lượt khách"
    assert len([line for line in lines[1:8] if line.count("/") == 2]) == 7
    assert f"{history.strftime('%d/%m/%Y')},100,50" in text
    assert portal.articles[0].title in text


@pytest.mark.django_db
def test_statistics_survives_bad_period(client, portal):
    client.force_login(portal.users["editor"])
    assert client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": "abc"}).status_code == 200
    assert client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": "-5"}).status_code == 200
