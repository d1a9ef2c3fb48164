"""End to end in headless Chromium: an editor looks at the monitoring dashboard, fetches a
source of the loopback test site now, and imports a social-media export."""

import io
import re
from datetime import UTC, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring import fetching, selectors
from doingoai.monitoring.models import Cluster, Item, MentionHour, Source
from doingoai.monitoring.near_index import near_index_reset
from doingoai.monitoring.services import monitoring_grant_permissions
from tests.factories import PASSWORD
from tests.monitoring.site import start_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOCIAL_CSV = (
    "id,text,type,parent_id,author,published\n"
    "p1,Lào Cai khai mạc tuần văn hoá du lịch Sa Pa,post,,Trang tin tỉnh,12/03/2024 08:00\n"
    "c1,Mong được lên Sa Pa dịp này,comment,p1,Minh Anh,12/03/2024 09:15\n"
    "c2,,comment,p1,Ẩn danh,12/03/2024 09:20\n"
).encode()


@pytest.fixture
def news_site(settings):
    settings.MONITORING_ALLOW_LOOPBACK = True
    settings.MONITORING_HOST_INTERVAL = 0
    fetching.robots_cache.clear()
    fetching.host_rate_limiter._next.clear()
    selectors._gazetteer_cache.clear()
    near_index_reset()
    site, server, thread = start_site()
    yield site
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    near_index_reset()


@pytest.fixture
def editor(db):
    """An editor: reads the monitoring screens, fetches sources now and imports exports."""
    roles_sync()
    monitoring_grant_permissions()
    user = user_create_with_role(username="bientap", password=PASSWORD, role="editor")
    return user


def a_trending_story() -> Cluster:
    hour = timezone.now().astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    story = Cluster.objects.create(
        title="Lào Cai đẩy mạnh thông quan nông sản",
        first_seen=hour - timedelta(hours=5),
        last_seen=hour,
        mention_count=1500,
        source_count=6,
        max_risk=0.2,
        topic="kinh-te",
    )
    MentionHour.objects.create(cluster=story, hour=hour - timedelta(hours=3), mentions=1500)
    return story


def sign_in(page, base, user):
    page.goto(f"{base}/quan-tri/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/quan-tri/$"))


def test_dashboard_fetch_now_and_social_import(live_server, new_page, settings, news_site, editor):
    settings.ALLOWED_HOSTS = ["*"]
    call_command("load_gazetteer", stdout=io.StringIO())
    paper = Source.objects.create(name="Báo Biên Cương", url=news_site.url("/feed.rss"))
    Source.objects.create(name="Trang Facebook tỉnh", kind="social", url="", platform="facebook")
    a_trending_story()
    base = live_server.url
    page = new_page()
    sign_in(page, base, editor)

    # 1. The dashboard, from the menu group "Theo dõi thông tin".
    assert "Theo dõi thông tin trong 24 giờ qua" in page.content()  # home panel
    page.get_by_role("link", name="Mở trang tổng quan theo dõi thông tin").click()
    page.wait_for_url(re.compile(r".*/tong-quan/$"))
    assert page.locator("h1").inner_text().strip() == "Tổng quan theo dõi thông tin"
    trending = page.locator("section[aria-labelledby=trending-title]")
    assert trending.get_by_role("link", name="Lào Cai đẩy mạnh thông quan nông sản").is_visible()
    assert "1.500" in trending.inner_text()
    chart = page.locator("svg[data-chart=mentions]")
    assert chart.is_visible()
    assert chart.locator("rect").count() == 24
    page.get_by_text("Bảng số liệu").click()  # the table behind the chart
    assert page.locator("details table").is_visible()
    page.select_option("#id_ky", "7d")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*\?ky=7d$"))
    assert page.locator("svg[data-chart=mentions] rect").count() == 7

    # 2. "Lấy tin ngay" on the source listing: fetched from the loopback site.
    page.goto(f"{base}/quan-tri/theo-doi-thong-tin/nguon/")
    page.get_by_role("button", name="Lấy tin ngay từ Báo Biên Cương").click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".messages").inner_text()
    assert "Đã lấy tin từ Báo Biên Cương: 3 tin mới, 0 tin đã có." in message
    assert Item.objects.filter(source=paper).count() == 3
    assert news_site.hits["/feed.rss"] == 1

    # 3. Import a social-media export and read the report.
    page.goto(f"{base}/quan-tri/theo-doi-thong-tin/nhap-mang-xa-hoi/")
    page.select_option("#id_source", label="Trang Facebook tỉnh")
    page.set_input_files(
        "#id_file", files=[{"name": "facebook.csv", "mimeType": "text/csv", "buffer": SOCIAL_CSV}]
    )
    page.get_by_role("button", name="Nhập tệp").click()
    page.wait_for_load_state("networkidle")
    report = page.locator("section[aria-labelledby=import-report-title]")
    assert "Kết quả nhập vào Trang Facebook tỉnh" in report.inner_text()
    assert "Dòng 4: nội dung trống (cột text)" in report.inner_text()
    first_row = report.locator("tr").first
    assert first_row.locator("th").inner_text().strip() == "Đã nhập"
    assert first_row.locator("td").inner_text().strip() == "2"
    assert Item.objects.filter(source__kind="social").count() == 2
