"""The monitoring dashboard (Tổng quan) and the home-page summary panel."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring import dashboard, selectors
from doingoai.monitoring.models import Cluster, Item, MentionHour, Source
from doingoai.monitoring.services import monitoring_grant_permissions

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
URL = "/quan-tri/theo-doi-thong-tin/tong-quan/"


@pytest.fixture(autouse=True)
def _half_past(request):
    """The stories are placed in hours counted from "now", and the dashboard counts from its
    own "now" a moment later: half past the hour, so both fall in the same hour (at 10:59:59
    the test used to straddle two)."""
    import time_machine

    with time_machine.travel(timezone.now().replace(minute=30, second=0), tick=True):
        yield


def this_hour(hours_ago: int = 0) -> datetime:
    now = timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return now - timedelta(hours=hours_ago)


def make_story(title: str, *, source: Source, recent: int, previous: int = 0, **fields):
    cluster = Cluster.objects.create(
        title=title,
        first_seen=this_hour(30),
        last_seen=this_hour(1),
        mention_count=recent + previous,
        source_count=fields.pop("source_count", 1),
        **fields,
    )
    if recent:
        MentionHour.objects.create(cluster=cluster, hour=this_hour(2), mentions=recent)
    if previous:
        MentionHour.objects.create(cluster=cluster, hour=this_hour(30), mentions=previous)
    return cluster


def make_item(source: Source, n: int, *, topic: str = "", risk: float = 0.0, scores=None):
    return Item.objects.create(
        source=source,
        canonical_url=f"https://bao.example.vn/{source.pk}/{n}",
        title=f"Tin {n}",
        text="Nội dung",
        topic=topic,
        risk_score=risk,
        risk_scores=scores or {},
    )


@pytest.fixture
def roles(db):
    roles_sync()
    monitoring_grant_permissions()


@pytest.fixture
def editor(roles):
    return user_create_with_role(username="bientap", password="x-2026", role="editor")


@pytest.fixture
def found(roles):
    """Two stories (one growing, one new), items of every risk band and topic, a failing
    source."""
    paper = SourceFactory(name="Báo Biên Cương", last_status=Source.Status.OK)
    failing = SourceFactory(
        name="Cổng tin hỏng",
        last_status=Source.Status.ERROR,
        last_error="Máy chủ trả về mã 500 cho https://hong.example.vn/rss\nchi tiết",
        consecutive_failures=4,
        last_fetched_at=datetime(2026, 3, 19, 8, 15, tzinfo=UTC),
    )
    make_story(
        "Lào Cai đẩy mạnh thông quan nông sản",
        source=paper,
        recent=1234,
        previous=617,
        source_count=5,
        max_risk=0.82,
        topic="kinh-te",
    )
    make_story("Sa Pa đón khách dịp lễ", source=paper, recent=7, topic="du-lich", max_risk=0.1)
    make_story("Tin cũ không còn được nhắc", source=paper, recent=0, previous=9)
    make_item(paper, 1, topic="du-lich", risk=0.1)
    make_item(paper, 2, topic="du-lich", risk=0.5, scores={"negative": 0.5})
    make_item(paper, 3, topic="bien-gioi", risk=0.9, scores={"false": 0.9, "harmful": 0.2})
    make_item(failing, 4, risk=0.75, scores={"harmful": 0.75})
    return {"paper": paper, "failing": failing}


# --- Pure parts ----------------------------------------------------------------------------


def test_risk_bands_follow_the_module_thresholds():
    assert selectors.RISK_MEDIUM == 0.4 and selectors.RISK_HIGH == 0.7
    assert [selectors.risk_band(s) for s in (0.0, 0.39, 0.4, 0.69, 0.7, 1.0)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_period_from_the_query_string_falls_back_on_24_hours():
    assert dashboard.period_from("7d").hours == 168
    assert dashboard.period_from("30d").by == "day"
    assert dashboard.period_from("1y") is dashboard.DEFAULT_PERIOD
    assert dashboard.period_from(None).by == "hour"


def test_bar_chart_scales_to_the_highest_bar():
    buckets = [dashboard.Bucket(NOW, 0), dashboard.Bucket(NOW, 5), dashboard.Bucket(NOW, 10)]
    chart = dashboard.bar_chart(buckets, width=300, height=120)
    assert chart.peak == 10 and chart.total == 15
    assert [bar["height"] for bar in chart.bars] == [0, 50, 100]
    assert chart.bars[2]["y"] == 20 and chart.bars[1]["x"] == 100


@pytest.mark.parametrize("period_key, buckets", [("24h", 24), ("7d", 7), ("30d", 30)])
def test_mention_buckets_cover_the_period_with_empty_buckets(found, period_key, buckets):
    period = dashboard.period_from(period_key)
    rows = dashboard.mention_buckets(period=period, now=timezone.now())
    assert len(rows) == buckets
    expected = 1234 + 7 if period_key == "24h" else 1234 + 7 + 617 + 9
    assert sum(row.mentions for row in rows) == expected


def test_trending_shows_growth_against_the_period_before(found):
    rows = dashboard.trending_rows(period=dashboard.DEFAULT_PERIOD, now=timezone.now())
    assert [row["cluster"].title for row in rows] == [
        "Lào Cai đẩy mạnh thông quan nông sản",
        "Sa Pa đón khách dịp lễ",
    ]
    growing, new = rows
    assert (growing["recent"], growing["previous"], growing["growth"]) == (1234, 617, 617)
    assert growing["growth_percent"] == 100.0
    assert growing["risk_band"] == "high" and growing["topic"] == "Kinh tế"
    assert new["growth_percent"] is None  # not mentioned before: "new"


def test_risk_and_topic_share(found):
    since = timezone.now() - timedelta(hours=24)
    share = selectors.items_risk_share(since=since)
    assert share == {
        "total": 4,
        "low": 1,
        "medium": 1,
        "high": 2,
        "negative": 1,
        "harmful": 1,
        "false": 1,
    }
    topics = dict(selectors.items_topic_share(since=since))
    assert topics == {"du-lich": 2, "bien-gioi": 1, "": 1}


# --- The screen ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/quan-tri/login/")


def test_reporters_without_monitoring_permission_are_refused(client, roles):
    client.force_login(user_create_with_role(username="pv", password="x-2026", role="reporter"))
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    home = client.get("/quan-tri/").content.decode()
    assert "Theo dõi thông tin trong 24 giờ qua" not in home  # no summary panel either


def test_editors_see_the_dashboard_in_vietnamese(client, found, editor):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    story = Cluster.objects.get(title="Lào Cai đẩy mạnh thông quan nông sản")
    for text in (
        "Tổng quan theo dõi thông tin",
        "Tin nổi bật",
        "Lào Cai đẩy mạnh thông quan nông sản",
        reverse("monitoring_clusters:inspect", args=[story.pk]),
        "1.234",  # Vietnamese thousands separator
        "+617 (+100%)",
        "mới",  # the story not mentioned in the period before
        "Kinh tế",
        "Du lịch",
        "Biên giới",
        "Chưa phân loại",
        "Cao",
        "Trung bình",
        "Thấp",
        "Nghi sai sự thật",
        "Lượt nhắc đến theo giờ",
        '<svg role="img"',
        "Bảng số liệu",
        "Tình trạng nguồn tin",
        "Cổng tin hỏng",
        "Máy chủ trả về mã 500 cho https://hong.example.vn/rss",
        "19/03/2026",
        reverse("monitoring_sources:inspect", args=[found["failing"].pk]),
    ):
        assert text in html, text
    assert "Tin cũ không còn được nhắc" not in html  # not mentioned in the last 24 hours


def test_period_selector_switches_to_days(client, found, editor):
    client.force_login(editor)
    html = client.get(URL + "?ky=7d").content.decode()
    assert "Lượt nhắc đến theo ngày" in html
    assert "Tin cũ không còn được nhắc" in html
    assert 'value="7d" selected' in html
    today = timezone.localtime().date()
    assert today.strftime("%d/%m/%Y") in html


def test_empty_dashboard_says_so(client, editor):
    client.force_login(editor)
    html = client.get(URL + "?ky=30d").content.decode()
    assert "Không có cụm tin nào được nhắc đến trong khoảng thời gian này." in html
    assert "Mọi nguồn tin đang hoạt động đều tốt." in html


def test_dashboard_is_the_first_entry_of_the_monitoring_menu(client, found, editor):
    client.force_login(editor)
    html = client.get("/quan-tri/").content.decode()
    overview = html.index("T\\u1ed5ng quan")
    assert overview < html.index("C\\u1ee5m tin")
    # Editors may import social-media exports (monitoring.fetch_source).
    assert "Nh\\u1eadp d\\u1eef li\\u1ec7u m\\u1ea1ng x\\u00e3 h\\u1ed9i" in html


def test_home_panel_summarises_the_last_24_hours(client, found, editor):
    client.force_login(editor)
    html = client.get("/quan-tri/").content.decode()
    assert "Theo dõi thông tin trong 24 giờ qua" in html
    assert "Lào Cai đẩy mạnh thông quan nông sản" in html
    assert "Tin rủi ro cao" in html
    assert URL in html


def _add_more(n: int) -> None:
    for k in range(n):
        source = SourceFactory(last_status=Source.Status.ERROR, last_error=f"lỗi {k}")
        make_story(f"Cụm tin thêm {k}", source=source, recent=k + 1, previous=k, topic="xa-hoi")
        make_item(source, 100 + k, topic="quoc-phong", risk=0.45, scores={"negative": 0.6})


def test_dashboard_queries_do_not_grow_with_stories_and_sources(client, found, editor):
    client.force_login(editor)
    client.get(URL)  # warm caches (session, permissions, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _add_more(12)
    with CaptureQueriesContext(connection) as many:
        html = client.get(URL).content.decode()
    assert "Cụm tin thêm 11" in html and "Quốc phòng – an ninh" in html
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_home_panel_queries_do_not_grow(client, found, editor):
    client.force_login(editor)
    client.get("/quan-tri/")
    with CaptureQueriesContext(connection) as few:
        client.get("/quan-tri/")
    _add_more(8)
    with CaptureQueriesContext(connection) as many:
        client.get("/quan-tri/")
    assert len(many) == len(few)


def test_day_buckets_are_whole_local_days(found):
    """7 days = today and the 6 local days before, each from local midnight (UTC+7)."""
    story = Cluster.objects.get(title="Sa Pa đón khách dịp lễ")
    first_midnight = timezone.make_aware(datetime(2026, 3, 14))  # 13/03 17:00 UTC
    MentionHour.objects.create(cluster=story, hour=first_midnight, mentions=5)
    MentionHour.objects.create(cluster=story, hour=first_midnight - timedelta(hours=1), mentions=3)
    rows = dashboard.mention_buckets(period=dashboard.period_from("7d"), now=NOW)
    assert [row.start.strftime("%d/%m") for row in rows] == [f"{d}/03" for d in range(14, 21)]
    assert rows[0].mentions == 5  # 23:00 on 13/03 is the day before the period
