"""Connectors: feeds, sitemaps, listing pages, single URLs and social-media exports."""

import json
from types import SimpleNamespace

import pytest
from django.utils import translation

from doingoai.monitoring.connectors import (
    REGISTRY,
    ConnectorError,
    get_connector,
    parse_social_export,
)
from doingoai.monitoring.connectors.feeds import parse_feed
from doingoai.monitoring.connectors.listing import listing_links
from doingoai.monitoring.connectors.sitemaps import parse_sitemap
from doingoai.monitoring.fetching import ResponseTooLargeError
from doingoai.monitoring.models import Source


def source(url="", kind="feed", **extra):
    values = {
        "url": url,
        "kind": kind,
        "etag": "",
        "last_modified": "",
        "link_pattern": "",
        "platform": "",
    }
    values.update(extra)
    return SimpleNamespace(**values)


def test_every_source_kind_has_a_connector():
    assert set(REGISTRY) == set(Source.Kind.values)


def test_rss_feed(fetcher, site):
    discovery = get_connector("feed", fetcher=fetcher).discover(source(site.url("/feed.rss")))
    assert [e.url for e in discovery.entries] == [
        site.url("/articles/a1.html"),
        site.url("/articles/a2.html"),
        site.url("/articles/a3.html"),
    ]
    first = discovery.entries[0]
    assert first.title == "Lào Cai và Vân Nam tăng cường hợp tác thương mại"
    assert first.published.isoformat() == "2024-03-12T02:00:00+00:00"
    assert discovery.etag == '"feed-v1"' and discovery.problems == []


def test_rss_feed_not_modified(fetcher, site):
    discovery = get_connector("feed", fetcher=fetcher).discover(
        source(site.url("/feed.rss"), etag='"feed-v1"')
    )
    assert discovery.not_modified and discovery.entries == []


def test_atom_feed(fetcher, site):
    discovery = get_connector("feed", fetcher=fetcher).discover(source(site.url("/feed.atom")))
    assert [e.url for e in discovery.entries] == [
        site.url("/articles/a3.html"),
        site.url("/articles/a4.html"),
    ]
    assert discovery.entries[1].author == "Phóng viên"


def test_malformed_feeds(fetcher, site):
    connector = get_connector("feed", fetcher=fetcher)
    with pytest.raises(ConnectorError):
        connector.discover(source(site.url("/broken.rss")))
    # A truncated feed: what could be read is kept, and the problem is reported.
    discovery = connector.discover(source(site.url("/truncated.rss")))
    assert len(discovery.entries) >= 2
    assert discovery.problems
    for bad in (b"", b"\x00\x01{{{", b"<rss><channel><item>"):
        with pytest.raises(ConnectorError):
            parse_feed(bad)


def test_sitemap_index_with_gzip_child(fetcher, site):
    discovery = get_connector("sitemap", fetcher=fetcher).discover(
        source(site.url("/sitemap_index.xml"), kind="sitemap")
    )
    urls = [e.url for e in discovery.entries]
    # Newest first; the page on another site is left out, and so is the foreign child sitemap.
    assert urls == [
        site.url("/articles/a4.html"),
        site.url("/articles/a3.html"),
        site.url("/articles/a1.html"),
    ]
    assert discovery.entries[1].title == "Sa Pa đón gần 600 nghìn lượt khách"
    assert any("1" in problem for problem in discovery.problems)


def test_sitemap_parsing_is_safe():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<urlset><url><loc>&b;</loc></url></urlset>"
    )
    _kind, entries = parse_sitemap(bomb, max_bytes=10_000)
    assert "aaaaaaaaaa" * 10 not in "".join(e.url for e in entries)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>&e;</loc></url></urlset>"
    )
    _kind, entries = parse_sitemap(external, max_bytes=10_000)
    assert all("root:" not in e.url for e in entries)
    with pytest.raises(ConnectorError):
        parse_sitemap(b"<html><body>not xml", max_bytes=10_000)
    with pytest.raises(ConnectorError):
        parse_sitemap(b"<rss/>", max_bytes=10_000)


def test_gzip_sitemap_is_capped():
    import gzip

    data = gzip.compress(b"<urlset>" + b" " * 200_000 + b"</urlset>")
    with pytest.raises(ResponseTooLargeError):
        parse_sitemap(data, max_bytes=100_000)


def test_listing_page_links(fetcher, site):
    discovery = get_connector("listing", fetcher=fetcher).discover(
        source(site.url("/tin-tuc/"), kind="listing")
    )
    assert [(e.url, e.title) for e in discovery.entries] == [
        (site.url("/articles/a1.html"), "Lào Cai và Vân Nam tăng cường hợp tác"),
        (site.url("/articles/a4.html?utm_source=trang-chu"), "Sạt lở ở Văn Bàn"),
        (site.url("/khac/a3-ban-sao.html"), "Sa Pa đón khách (bản đăng lại)"),
        (site.url("/articles/video.html"), "Video: chợ phiên"),
    ]


def test_listing_pattern_and_limit():
    html = b"".join(
        f"<a href='/tin/{n}.html'>Tin {n}</a><a href='/gioi-thieu/{n}'>x</a>".encode()
        for n in range(30)
    )
    entries = listing_links(html, base_url="https://baolaocai.vn/", pattern=r"/tin/\d+", limit=10)
    assert len(entries) == 10
    assert all("/tin/" in e.url for e in entries)


def test_single_url(fetcher):
    discovery = get_connector("url", fetcher=fetcher).discover(
        source("https://baolaocai.vn/bai.html", kind="url")
    )
    assert [e.url for e in discovery.entries] == ["https://baolaocai.vn/bai.html"]


SOCIAL_CSV = (
    "\ufeffNền tảng;Mã;Loại;Nội dung;Người đăng;Ngày đăng;Lượt thích;Link\n"
    "facebook;101;bài viết;Lào Cai khai mạc tuần văn hoá du lịch Sa Pa;Trang Du lịch;"
    "12/03/2024 08:30;1.250;https://facebook.com/dulichsapa/posts/101\n"
    "facebook;102;bình luận;Đẹp quá, nhất định sẽ lên Sa Pa;Lan;12/03/2024 09:00;3;\n"
    "youtube;;post;Video không có mã;A;12/03/2024;;\n"
    "zalo;103;post;;B;12/03/2024;;\n"
    "myspace;104;post;Nền tảng lạ;C;12/03/2024;;\n"
    "facebook;105;post;Ngày sai;D;31/02/2024;;\n"
    "facebook;106;post;Lượt thích sai;E;12/03/2024;nhiều;\n"
    "facebook;107;tin nhắn;Loại sai;F;12/03/2024;;\n"
    "facebook;108;post;Địa chỉ sai;G;12/03/2024;;javascript:alert(1)\n"
    "facebook;101;post;Trùng mã;H;12/03/2024;;\n"
).encode()


def test_social_csv_export_with_bad_rows():
    with translation.override("en"):
        export = parse_social_export(SOCIAL_CSV, filename="trang.csv")
    assert [e.key for e in export.entries] == ["social:facebook:101", "social:facebook:102"]
    post, comment = export.entries
    assert post.kind == "post" and comment.kind == "comment"
    assert post.text == "Lào Cai khai mạc tuần văn hoá du lịch Sa Pa"
    assert post.extra == {"platform": "facebook", "id": "101", "likes": 1250}
    assert post.published.isoformat() == "2024-03-12T08:30:00+07:00"
    assert post.url == "https://facebook.com/dulichsapa/posts/101"
    assert [error.row for error in export.errors] == [4, 5, 6, 7, 8, 9, 10, 11]
    assert export.rows == 10


def test_social_export_errors_are_reported_in_vietnamese():
    with translation.override("vi"):
        export = parse_social_export(SOCIAL_CSV, filename="trang.csv")
        messages = [str(error) for error in export.errors]
    assert messages[0] == "Dòng 4: thiếu mã bài viết hoặc bình luận (cột id)"
    assert messages[1] == "Dòng 5: nội dung trống (cột text)"
    assert messages[-1].startswith("Dòng 11: mã 101 xuất hiện hai lần trong tệp (lần đầu ở dòng 2)")
    assert all(message.startswith("Dòng ") for message in messages)


def test_social_json_export():
    data = {
        "data": [
            {
                "id": "yt-1",
                "textOriginal": "Clip chợ phiên Bắc Hà",
                "authorDisplayName": "Kênh A",
                "publishedAt": "2024-03-12T01:00:00Z",
                "likeCount": 12,
                "videoId": "v1",
                "type": "comment",
            },
            {"id": "yt-2", "message": "", "from": {"name": "B"}},
            "not an object",
        ]
    }
    export = parse_social_export(
        json.dumps(data).encode(), filename="youtube.json", platform="youtube"
    )
    assert [e.key for e in export.entries] == ["social:youtube:yt-1"]
    assert export.entries[0].extra["parent_id"] == "v1"
    assert export.entries[0].author == "Kênh A"
    assert [error.row for error in export.errors] == [2, 3]


def test_bad_social_files():
    with pytest.raises(ConnectorError):
        parse_social_export(b"\xff\xfe\x00garbage", filename="x.csv")
    with pytest.raises(ConnectorError):
        parse_social_export(b"[{broken", filename="x.json")
    with pytest.raises(ConnectorError):
        parse_social_export(b"a,b\n1,2\n", filename="x.csv")  # no id/text columns
    assert parse_social_export(b"", filename="x.csv").entries == []
