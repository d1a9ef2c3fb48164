"""Every visit store counts the same (issue #12): the SQLite file store (the default without
Redis), the process's memory and Redis (when REDIS_URL is set). And the production layout
itself: gunicorn with several workers and no Redis, views over HTTP, `run_periodic --once` in
a process of its own, every view counted."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from doingoai.visitors.buffer import get_visit_store
from doingoai.visitors.models import PageDailyVisits, ReferrerDailyVisits, SiteDailyVisits
from doingoai.visitors.selectors import visit_counter
from doingoai.visitors.services import visits_flush
from doingoai.visitors.store import MemoryVisitStore, SqliteVisitStore

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ROOT = Path(__file__).resolve().parent.parent

STORES = ["sqlite", "memory", pytest.param("redis", marks=pytest.mark.redis)]


@pytest.fixture(params=STORES)
def store_kind(request, settings, tmp_path):
    """The settings pick the store; the process-wide store is built from them."""
    kind = request.param
    if kind == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
        import redis

        settings.REDIS_URL = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/13"
        redis.Redis.from_url(settings.REDIS_URL).flushdb()
    settings.VISITS_STORE = kind
    settings.VISITS_STORE_FILE = str(tmp_path / "visits.sqlite3")
    get_visit_store.cache_clear()
    yield kind
    get_visit_store.cache_clear()


@pytest.mark.django_db
def test_counter_and_online_now(store_kind):
    today = date(2026, 12, 2)
    SiteDailyVisits.objects.create(day=date(2026, 11, 30), views=10, visitors=1)
    store = get_visit_store()
    now = time.time()
    store.record(page_id=1, locale="vi", visitor="a", day=today, now=now - 400)  # gone
    store.record(page_id=1, locale="vi", visitor="b", day=today, now=now)
    store.record(page_id=2, locale="en", visitor="c", day=today, now=now)
    counter = visit_counter(today=today, use_cache=False)
    assert (counter.today, counter.week, counter.month, counter.online) == (3, 13, 3, 2)
    assert visits_flush() == 3
    counter = visit_counter(today=today, use_cache=False)
    assert (counter.today, counter.week, counter.total) == (3, 13, 13)  # now from the table
    assert SiteDailyVisits.objects.get(day=today).visitors == 3


@pytest.mark.django_db
def test_flush_adds_up_keeps_distinct_visitors_and_referrers(store_kind):
    store = get_visit_store()
    today = date(2026, 11, 24)
    for visitor in ("a", "b", "a"):
        store.record(page_id=7, locale="vi", visitor=visitor, day=today, referrer="search")
    assert visits_flush() == 3
    store.record(page_id=7, locale="en", visitor="c", day=today)
    store.record(page_id=None, locale="vi", visitor="a", day=today)  # not a page: site only
    assert visits_flush() == 2
    assert visits_flush() == 0
    site = SiteDailyVisits.objects.get(day=today)
    assert (site.views, site.visitors) == (5, 3)
    pages = {(row.locale, row.views) for row in PageDailyVisits.objects.filter(page_id=7)}
    assert pages == {("vi", 3), ("en", 1)}
    assert dict(ReferrerDailyVisits.objects.values_list("kind", "views")) == {
        "search": 3,
        "direct": 2,
    }


@pytest.mark.django_db
def test_a_failed_flush_loses_nothing(store_kind, monkeypatch):
    from doingoai.visitors import services

    store = get_visit_store()
    store.record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 24))

    def broken(_drained):
        raise RuntimeError("database is down")

    monkeypatch.setattr(services, "_write", broken)
    with pytest.raises(RuntimeError):
        visits_flush()
    store.record(page_id=1, locale="vi", visitor="b", day=date(2026, 11, 24))
    monkeypatch.undo()
    assert visits_flush() == 2
    assert SiteDailyVisits.objects.get(day=date(2026, 11, 24)).views == 2


@pytest.mark.django_db
def test_browser_views_reach_the_statistics_screen(store_kind, client, portal):
    article = portal.articles[0]
    for referer in ("https://www.google.com/", "", ""):
        client.get(article.url, HTTP_USER_AGENT=BROWSER, HTTP_REFERER=referer)
    assert visit_counter(use_cache=False).today == 3
    assert visit_counter(use_cache=False).online == 1
    assert visits_flush() == 3
    client.force_login(portal.users["editor"])
    csv = client.get("/quan-tri/thong-ke-truy-cap/", {"ngay": 7, "dinh-dang": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert f"{timezone.localdate().strftime('%d/%m/%Y')},3,1" in text
    assert article.title in text


def test_sqlite_store_is_shared_by_processes_and_survives_a_restart(tmp_path):
    """Another process writes, this one reads and drains; a new store object (a restarted
    worker) sees what was recorded before."""
    path = tmp_path / "visits.sqlite3"
    code = (
        "import sys; from datetime import date;"
        "from doingoai.visitors.store import SqliteVisitStore;"
        "s = SqliteVisitStore(sys.argv[1]);"
        "[s.record(page_id=5, locale='vi', visitor=str(n % 7), day=date(2026, 11, 24))"
        " for n in range(200)]"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], cwd=ROOT) for _ in range(3)
    ]
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    store = SqliteVisitStore(path)
    assert store.pending_site_views(date(2026, 11, 24)) == 600
    drained = store.drain()
    assert drained.site_views[date(2026, 11, 24)] == 600
    assert drained.page_views[(5, "vi", date(2026, 11, 24))] == 600
    assert drained.site_visitors[date(2026, 11, 24)] == 7
    restarted = SqliteVisitStore(path)  # not acknowledged: drained again, nothing lost
    assert restarted.drain().site_views[date(2026, 11, 24)] == 600
    restarted.acknowledge()
    assert SqliteVisitStore(path).drain().site_views == {}


def test_sqlite_store_keeps_three_days_of_visitor_sets(tmp_path):
    store = SqliteVisitStore(tmp_path / "visits.sqlite3")
    today = date(2026, 11, 24)
    for offset in range(6):
        store.record(page_id=1, locale="vi", visitor="a", day=today - timedelta(days=offset))
    store.drain()
    store.acknowledge()
    with sqlite3.connect(tmp_path / "visits.sqlite3") as db:
        days = [row[0] for row in db.execute("SELECT day FROM visitors ORDER BY day")]
    assert days == [(today - timedelta(days=n)).isoformat() for n in (3, 2, 1, 0)]


def test_a_view_the_store_cannot_write_does_not_fail_the_page(tmp_path, caplog):
    store = SqliteVisitStore(tmp_path / "visits.sqlite3", timeout=0.05)
    store.record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 24))
    blocker = sqlite3.connect(tmp_path / "visits.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        store.record(page_id=1, locale="vi", visitor="b", day=date(2026, 11, 24))
    finally:
        blocker.execute("ROLLBACK")
    assert "not counted" in caplog.text
    assert store.pending_site_views(date(2026, 11, 24)) == 1


def test_one_flush_at_a_time(tmp_path):
    store = SqliteVisitStore(tmp_path / "visits.sqlite3")
    inside = threading.Event()
    release = threading.Event()
    order = []

    def first():
        with store.flush_lock():
            inside.set()
            release.wait(5)
            order.append("first")

    def second():
        inside.wait(5)
        with store.flush_lock():
            order.append("second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first", "second"]


def test_memory_store_alone_loses_views_across_processes():
    """Why memory is no longer the default: a separate flushing process sees nothing."""
    web_worker, flusher = MemoryVisitStore(), MemoryVisitStore()
    web_worker.record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 24))
    assert flusher.drain().site_views == {}


# --- the production layout ------------------------------------------------------------------

VIEWS = 1000
COUNT_SCRIPT = (
    "import json; from django.db.models import Sum;"
    "from doingoai.visitors.models import PageDailyVisits, SiteDailyVisits;"
    "from doingoai.visitors.selectors import visit_counter;"
    "from django.conf import settings;"
    "from django.utils import timezone;"
    "c = visit_counter(use_cache=False); day = timezone.localdate();"
    "print(json.dumps({'site': SiteDailyVisits.objects.aggregate(s=Sum('views'))['s'] or 0,"
    " 'site_today': SiteDailyVisits.objects.filter(day=day).aggregate(s=Sum('views'))['s'] or 0,"
    " 'pages': PageDailyVisits.objects.aggregate(s=Sum('views'))['s'] or 0,"
    " 'today': c.today, 'online': c.online, 'store': settings.VISITS_STORE}))"
)


@pytest.mark.production
def test_every_view_is_counted_under_gunicorn_without_redis(tmp_path):
    from tests.production_server import ProductionServer

    server = ProductionServer(tmp_path, redis=False)
    assert "REDIS_URL" not in server.env
    try:
        server.start()  # 2 gunicorn workers, production settings, the demo province
        paths = ["/vi/", "/en/", "/zh-hans/", "/lo/"]
        agents = [f"{BROWSER} visitor/{n}" for n in range(20)]
        # warm-up render of each page (they count too)
        for path in paths:
            assert server.get(path, {"User-Agent": agents[0]})[0] == 200

        def view(n: int) -> int:
            return server.get(paths[n % len(paths)], {"User-Agent": agents[n % len(agents)]})[0]

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(view, range(VIEWS - len(paths))))
        elapsed = time.monotonic() - started
        assert statuses.count(200) == len(statuses)
        workers = {line for line in server.log().splitlines() if "Booting worker" in line}
        assert len(workers) >= 2, server.log()
        before = json.loads(server.manage("shell", "-c", COUNT_SCRIPT).strip().splitlines()[-1])
        assert before["store"] == "sqlite"
        # pending in the store, read by another process: the counter already shows them
        assert before["today"] - before["site_today"] == VIEWS
        printed = server.manage("run_periodic", "--once")  # a process of its own
        assert "visits_flush" in printed
        after = json.loads(server.manage("shell", "-c", COUNT_SCRIPT).strip().splitlines()[-1])
        print(f"{VIEWS} views over HTTP in {elapsed:.1f} s; before {before}; after {after}")
        assert after["site"] - before["site"] == VIEWS  # the demo has older days
        assert after["pages"] - before["pages"] == VIEWS
        assert after["site_today"] - before["site_today"] == VIEWS
        assert after["today"] == before["today"]
        assert after["online"] == len(agents)
    finally:
        server.stop()


def test_deploy_check_warns_about_a_memory_buffer_nobody_can_flush(settings):
    from doingoai.visitors.checks import check_visit_store

    settings.VISITS_STORE, settings.PERIODIC_JOBS_IN_PROCESS = "memory", False
    assert [message.id for message in check_visit_store()] == ["visitors.W001"]
    settings.PERIODIC_JOBS_IN_PROCESS = True  # one process flushing its own memory
    assert check_visit_store() == []
    settings.VISITS_STORE = "sqlite"
    assert check_visit_store() == []
