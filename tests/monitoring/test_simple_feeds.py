"""Plain feeds read with lxml give feedparser's entries; every other feed goes to feedparser."""

from dataclasses import astuple, replace

import pytest

from doingoai.monitoring.connectors.feeds import parse_feed, parse_with_feedparser
from doingoai.monitoring.connectors.simple_feeds import simple_entries

from .site import atom, rss

BASE = "https://baobiencuong.example.vn"
ITEMS = [
    ("/tin/1.html", "Lào Cai &amp; Vân Nam trao đổi đoàn", "Wed, 13 Mar 2024 08:00:00 +0700"),
    ("/tin/2.html", "<![CDATA[Cửa khẩu Kim Thành thông quan]]>", "Wed, 13 Mar 2024 01:00:00 GMT"),
    ("/tin/3.html", "  Du lịch Sa Pa  ", "13 Mar 2024 10:30:05 +0000"),
]
ATOM_ITEMS = [
    ("/a/1.html", "Hội chợ biên giới &amp; giao thương", "2024-03-13T08:00:00+07:00"),
    ("/a/2.html", "Ruộng bậc thang Mù Cang Chải", "2024-03-14T02:30:00Z"),
]


def _rss_with(item: str, *, channel: str = "", root: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"{root}><channel>'
        f"<title>Báo</title><link>{BASE}/</link><description>Tin</description>{channel}"
        f"<item>{item}</item></channel></rss>"
    ).encode()


PLAIN_FEEDS = {
    "rss": rss(BASE, ITEMS),
    "atom": atom(BASE, ATOM_ITEMS),
    "rss with atom:link rel=self in the channel": _rss_with(
        f"<title>Tin</title><link>{BASE}/x</link><pubDate>Wed, 13 Mar 2024 08:00:00 +0700"
        "</pubDate><guid>x-1</guid><category>Thời sự</category>",
        channel=f'<atom:link href="{BASE}/rss" rel="self" type="application/rss+xml"/>',
        root=' xmlns:atom="http://www.w3.org/2005/Atom"',
    ),
    "rss without dates": _rss_with(f"<title>Tin không ngày</title><link>{BASE}/y</link>"),
    "rss in windows-1258": (
        '<?xml version="1.0" encoding="windows-1258"?><rss version="2.0"><channel>'
        f"<title>B</title><item><title>Lào Cai</title><link>{BASE}/z</link></item>"
        "</channel></rss>"
    ).encode("cp1258"),
}

NOT_PLAIN = {
    "relative link": _rss_with("<title>T</title><link>/tin/1.html</link>"),
    "missing link": _rss_with("<title>T</title><guid isPermaLink='true'>https://a.vn/1</guid>"),
    "markup in a title": _rss_with(f"<title>&lt;b&gt;Nóng&lt;/b&gt;</title><link>{BASE}/1</link>"),
    "a time zone feedparser guesses": _rss_with(
        f"<title>T</title><link>{BASE}/1</link><pubDate>13 Mar 2024 08:00 ICT</pubDate>"
    ),
    "dc:creator": _rss_with(
        f"<title>T</title><link>{BASE}/1</link><dc:creator>Hà An</dc:creator>",
        root=' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ),
    "rss author": _rss_with(f"<title>T</title><link>{BASE}/1</link><author>a@b.vn (A)</author>"),
    "xml:base": _rss_with(f'<title xml:base="{BASE}/">T</title><link>{BASE}/1</link>'),
    "a DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "x">]>'
    + _rss_with(f"<title>&e;</title><link>{BASE}/1</link>").split(b"?>", 1)[1],
    "a syntax error": rss(BASE, ITEMS)[:-60],
    "rss 0.91": _rss_with(f"<title>T</title><link>{BASE}/1</link>").replace(
        b'version="2.0"', b'version="0.91"'
    ),
    "atom author with e-mail": atom(BASE, ATOM_ITEMS).replace(
        b"<name>Ph", b"<email>pv@a.vn</email><name>Ph"
    ),
    "atom html title": atom(BASE, ATOM_ITEMS).replace(b"<title>Ru", b'<title type="html">Ru'),
    "atom date without a time": atom(BASE, ATOM_ITEMS).replace(
        b"2024-03-14T02:30:00Z", b"2024-03-14"
    ),
    "not a feed": b"<html><body>Not a feed</body></html>",
}


def _comparable(entries):
    # The summary is the feed's text here and sanitised HTML in feedparser; nothing shows it.
    return [astuple(replace(entry, summary="")) for entry in entries]


@pytest.mark.parametrize("name", PLAIN_FEEDS)
def test_plain_feeds_give_feedparsers_entries(name):
    data = PLAIN_FEEDS[name]
    simple = simple_entries(data)
    assert simple, name
    by_feedparser, problems = parse_with_feedparser(data, base_url=BASE + "/rss")
    assert problems == []
    assert _comparable(simple) == _comparable(by_feedparser)


def test_plain_feed_entries_are_read_fully():
    entries = simple_entries(PLAIN_FEEDS["rss"])
    assert [entry.url for entry in entries] == [BASE + path for path, _t, _d in ITEMS]
    assert entries[0].title == "Lào Cai & Vân Nam trao đổi đoàn"
    assert entries[1].title == "Cửa khẩu Kim Thành thông quan"
    assert entries[0].published.isoformat() == "2024-03-13T01:00:00+00:00"
    assert simple_entries(PLAIN_FEEDS["atom"])[0].author == "Phóng viên"


@pytest.mark.parametrize("name", NOT_PLAIN)
def test_other_feeds_are_left_to_feedparser(name):
    assert simple_entries(NOT_PLAIN[name]) is None


def test_parse_feed_reads_both_kinds(settings):
    settings.MONITORING_MAX_ENTRIES = 2
    entries, problems = parse_feed(PLAIN_FEEDS["rss"], base_url=BASE + "/rss")
    assert len(entries) == 2 and problems == []
    entries, problems = parse_feed(NOT_PLAIN["relative link"], base_url=BASE + "/rss")
    assert [entry.url for entry in entries] == [BASE + "/tin/1.html"]  # resolved by feedparser
    entries, _problems = parse_feed(NOT_PLAIN["a DOCTYPE"], base_url=BASE + "/rss")
    assert len(entries) == 1  # feedparser's reading, entities and all, as before
