"""Visitor counter: bots excluded, no database writes in the request path, flushing, and
the online-now / today / week / month / all-time maths."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doingoai.visitors.bots import is_bot
from doingoai.visitors.buffer import get_visit_store
from doingoai.visitors.models import PageDailyVisits, SiteDailyVisits
from doingoai.visitors.selectors import most_read_page_ids, period_starts, visit_counter
from doingoai.visitors.services import visits_flush
from doingoai.visitors.store import MemoryVisitStore

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "python-requests/2.32",
        "curl/8.5.0",
        "facebookexternalhit/1.1",
        "",
    ],
)
def test_bots_are_recognised(agent):
    assert is_bot(agent)


def test_browsers_are_people():
    assert not is_bot(BROWSER)
    assert not is_bot(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1"
        ".15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    )


def test_period_starts_week_is_monday_and_month_is_first():
    assert period_starts(date(2026, 11, 24)) == (date(2026, 11, 23), date(2026, 11, 1))
    # A week that starts in the previous month
    assert period_starts(date(2026, 12, 2)) == (date(2026, 11, 30), date(2026, 12, 1))


@pytest.mark.django_db
def test_counter_maths_across_week_and_month_boundaries(settings):
    today = date(2026, 12, 2)  # Wednesday; the week began on Monday 30/11
    rows = {
        date(2026, 11, 29): 100,
        date(2026, 11, 30): 10,
        date(2026, 12, 1): 20,
        date(2026, 10, 5): 1000,
    }
    for day, views in rows.items():
        SiteDailyVisits.objects.create(day=day, views=views, visitors=1)
    store = get_visit_store()
    store.record(page_id=1, locale="vi", visitor="a", day=today)
    store.record(page_id=1, locale="vi", visitor="b", day=today)
    counter = visit_counter(today=today, use_cache=False)
    assert counter.today == 2
    assert counter.week == 10 + 20 + 2
    assert counter.month == 20 + 2
    assert counter.total == 1000 + 100 + 10 + 20 + 2
    assert counter.online == 2


def test_online_now_is_a_five_minute_window():
    store = MemoryVisitStore()
    store.record(page_id=1, locale="vi", visitor="old", day=date.today(), now=1000.0)
    store.record(page_id=1, locale="vi", visitor="new", day=date.today(), now=1200.0)
    store.record(page_id=2, locale="vi", visitor="new", day=date.today(), now=1250.0)
    assert store.online_count(window_seconds=300, now=1290.0) == 2
    assert store.online_count(window_seconds=300, now=1301.0) == 1


@pytest.mark.django_db
def test_page_view_is_counted_without_a_database_write(client, portal):
    article = portal.articles[0]
    client.get(article.url, HTTP_USER_AGENT=BROWSER)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert SiteDailyVisits.objects.count() == 0
    assert visits_flush() == 2
    assert PageDailyVisits.objects.get(page_id=article.pk).views == 2


@pytest.mark.django_db
def test_bots_and_editors_are_not_counted(client, portal):
    article = portal.articles[0]
    client.get(article.url, HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)")
    client.force_login(portal.users["editor"])
    client.get(article.url, HTTP_USER_AGENT=BROWSER)
    assert visits_flush() == 0


@pytest.mark.django_db
def test_flush_adds_to_existing_rows_and_keeps_distinct_visitors(portal):
    store = get_visit_store()
    today = date(2026, 11, 24)
    for visitor in ("a", "b", "a"):
        store.record(page_id=7, locale="vi", visitor=visitor, day=today)
    visits_flush(store)
    store.record(page_id=7, locale="en", visitor="c", day=today)
    visits_flush(store)
    site = SiteDailyVisits.objects.get(day=today)
    assert site.views == 4
    assert site.visitors == 3
    assert {(row.locale, row.views) for row in PageDailyVisits.objects.filter(page_id=7)} == {
        ("vi", 3),
        ("en", 1),
    }


@pytest.mark.django_db
def test_restart_loses_at_most_the_unflushed_interval(portal):
    today = date(2026, 11, 24)
    before_restart = MemoryVisitStore()
    for n in range(5):
        before_restart.record(page_id=1, locale="vi", visitor=str(n), day=today)
    visits_flush(before_restart)  # the periodic flush ran
    before_restart.record(page_id=1, locale="vi", visitor="late", day=today)  # not flushed
    after_restart = MemoryVisitStore()  # the process restarted: memory is gone
    after_restart.record(page_id=1, locale="vi", visitor="x", day=today)
    visits_flush(after_restart)
    assert SiteDailyVisits.objects.get(day=today).views == 6  # 5 + 1; only "late" is lost


@pytest.mark.django_db
def test_failed_flush_keeps_counts(portal, monkeypatch):
    from doingoai.visitors import services

    store = MemoryVisitStore()
    store.record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 24))

    def broken(_drained):
        raise RuntimeError("database is down")

    monkeypatch.setattr(services, "_write", broken)
    with pytest.raises(RuntimeError):
        visits_flush(store)
    monkeypatch.undo()
    assert visits_flush(store) == 1


@pytest.mark.django_db
def test_most_read_orders_by_views(portal):
    today = date(2026, 11, 24)
    PageDailyVisits.objects.create(page_id=1, locale="vi", day=today - timedelta(days=1), views=5)
    PageDailyVisits.objects.create(page_id=2, locale="vi", day=today - timedelta(days=2), views=9)
    PageDailyVisits.objects.create(page_id=3, locale="vi", day=today - timedelta(days=60), views=99)
    PageDailyVisits.objects.create(page_id=4, locale="en", day=today, views=50)
    assert most_read_page_ids(locale="vi", today=today) == [2, 1]


@pytest.mark.django_db
def test_counter_block_on_every_page(client, portal):
    SiteDailyVisits.objects.create(day=date(2020, 1, 1), views=1234567, visitors=1)
    html = client.get("/vi/", HTTP_USER_AGENT=BROWSER).content.decode()
    assert 'data-counter="total"' in html
    assert "1.234.567" in html  # Vietnamese thousands separator


@pytest.mark.redis
@pytest.mark.django_db
def test_redis_store_is_shared_and_drains_atomically(settings):
    import os

    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    from doingoai.visitors.store import RedisVisitStore

    client = redis.Redis.from_url(url)
    client.flushdb()
    web_one, web_two = RedisVisitStore(client), RedisVisitStore(client)
    today = date(2026, 11, 24)
    web_one.record(page_id=1, locale="vi", visitor="a", day=today)
    web_two.record(page_id=1, locale="vi", visitor="b", day=today)
    web_two.record(page_id=2, locale="en", visitor="a", day=today)
    assert web_one.online_count(window_seconds=300) == 2
    assert web_one.pending_site_views(today) == 3
    assert visits_flush(web_one) == 3
    assert visits_flush(web_two) == 0
    assert SiteDailyVisits.objects.get(day=today).visitors == 2
    assert PageDailyVisits.objects.get(page_id=1).views == 2


@pytest.mark.django_db
def test_dashboard_shows_the_counter(client, portal):
    SiteDailyVisits.objects.create(day=date(2020, 1, 1), views=2500, visitors=1)
    client.force_login(portal.users["reporter"])
    html = client.get("/quan-tri/").content.decode()
    assert "Thống kê truy cập" in html
    assert "2.500" in html
