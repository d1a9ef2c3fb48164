"""A source's address is refused when it is saved if the fetch would refuse it, and a source
whose host moved inside the network shows the refusal in its health (issue #12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from doingoai.accounts.services import roles_sync, user_create_with_role
from doingoai.monitoring.models import Item, Source
from doingoai.monitoring.services import monitoring_grant_permissions, source_fetch

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1/feed.rss",
    "http://127.1/feed.rss",  # short form of 127.0.0.1
    "http://[::1]/feed.rss",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.7/admin",
    "http://192.168.1.1/",
    "http://0.0.0.0:8000/",
    "ftp://example.vn/file.xml",
    "file:///etc/passwd",
    "http://2130706433/",  # 127.0.0.1 in decimal
    "http://0177.0.0.1/",  # octal
    "http://0x7f.0.0.1/",  # hex
    "http://0x7f000001/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, mapped
    "http://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
    "http://localhost:8000/",  # a host name that resolves to a loopback address
    "http://user:secret@example.vn/",
]


@pytest.fixture(autouse=True)
def _no_loopback(settings):
    settings.MONITORING_ALLOW_LOOPBACK = False  # production behaviour


@pytest.mark.parametrize("url", REFUSED)
def test_internal_and_non_http_addresses_are_refused_at_save_time(url):
    source = Source(name="Nguồn", kind=Source.Kind.FEED, url=url)
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        source.clean()
    message = " ".join(caught.value.message_dict["url"])
    assert any(
        words in message
        for words in ("không được trỏ vào mạng nội bộ", "Chỉ tải được địa chỉ http", "mật khẩu")
    ), message


@pytest.mark.parametrize(
    "url", ["https://93.184.215.14/rss", "https://[2606:4700::6810:84e5]/", "https://bao.vn/x"]
)
def test_public_addresses_and_unknown_hosts_are_accepted(url):
    # a host that does not resolve now (no network here) is reported by the fetch, not here
    Source(name="Nguồn", kind=Source.Kind.FEED, url=url).clean()


def test_the_source_form_shows_the_refusal_in_vietnamese(client):
    roles_sync()
    monitoring_grant_permissions()
    client.force_login(
        user_create_with_role(username="qt", password="x-2026", role="administrator")
    )
    for url in ("http://127.0.0.1:8000/quan-tri/", "http://localhost/", "http://[::1]/"):
        response = client.post(
            reverse("monitoring_sources:add"),
            {
                "name": "Máy chủ nội bộ",
                "kind": "url",
                "url": url,
                "platform": "",
                "link_pattern": "",
                "fetch_interval_minutes": "30",
                "active": "on",
            },
        )
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Nguồn tin không được trỏ vào mạng nội bộ" in html, url
    assert not Source.objects.exists()


@pytest.mark.parametrize("kind", [Source.Kind.URL, Source.Kind.FEED, Source.Kind.LISTING])
def test_a_source_refused_at_fetch_time_shows_the_refusal_in_its_health(kind):
    # saved before the check existed (or its host moved inside the network since)
    source = SourceFactory(name="Cũ", kind=kind, url="http://127.0.0.1:9/bai-viet.html")
    with translation.override("vi"):
        report = source_fetch(source=source)
    source.refresh_from_db()
    assert report.status == Source.Status.ERROR
    assert source.last_status == Source.Status.ERROR
    assert source.consecutive_failures == 1
    assert "Từ chối truy cập: 127.0.0.1" in source.last_error
    assert not Item.objects.exists()
