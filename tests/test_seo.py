"""Feeds, sitemaps, robots.txt and page metadata (doingoai.seo)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import feedparser
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page, PageViewRestriction, Site

from doingoai.portal.models import ArticlePage, HomePage, SectionPage, StandardPage
from doingoai.seo.templatetags import seo_tags
from tests.factories import PortalImageFactory, add_page, article_fields

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request renders, so query counts and time travel see the real views."""
    settings.PAGE_CACHE_SECONDS = 0


def get(client, url: str, **extra):
    response = client.get(url, HTTP_USER_AGENT=BROWSER, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def parse_feed(client, url: str):
    response = get(client, url)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


def links(feed) -> set[str]:
    return {entry.link for entry in feed.entries}


# --- feeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_language_feed_lists_latest_news_of_that_language(client, portal, kind):
    feed = parse_feed(client, f"/vi/{kind}/")
    assert feed.feed.title == portal.homes["vi"].site_name
    assert feed.feed.link == "http://localhost/vi/"
    vi_items = [*portal.articles, portal.photo, portal.video]
    assert links(feed) == {page.full_url for page in vi_items}
    assert feed.entries[0].title == portal.articles[0].title  # newest first
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/vi/")
        assert entry.published_parsed
        if kind == "atom":  # RSS 2.0 has no updated date
            assert entry.updated_parsed
        assert entry.summary.startswith("Tóm tắt tin số")
        (enclosure,) = entry.enclosures
        assert enclosure.href.startswith("http://localhost/media/")
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) > 0
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)  # unique guids
    first = next(e for e in feed.entries if e.link == portal.articles[0].full_url)
    assert {tag.term for tag in first.tags} == {"Biên giới", "Chủ đề 1"}


def test_feeds_keep_languages_apart(client, portal):
    english = parse_feed(client, "/en/rss/")
    assert english.feed.title == "Portal en"
    assert [entry.title for entry in english.entries] == ["Test article one"]
    assert english.entries[0].link == "http://localhost/en/thoi-su/test-article-one/"
    assert parse_feed(client, "/lo/atom/").entries == []
    assert "Test article one" not in {
        entry.title for entry in parse_feed(client, "/vi/rss/").entries
    }


def test_feed_leaves_out_drafts_restricted_and_unpublished_items(client, portal):
    add_page(portal.sections["thoi-su"], ArticlePage, publish=False, **article_fields(5))
    portal.articles[1].unpublish()
    PageViewRestriction.objects.create(
        page=portal.articles[2], restriction_type=PageViewRestriction.LOGIN
    )
    titles = {entry.title for entry in parse_feed(client, "/vi/rss/").entries}
    assert titles == {portal.articles[0].title, portal.photo.title, portal.video.title}


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_only_has_that_section(client, portal, kind):
    feed = parse_feed(client, f"/vi/{kind}/du-lich/")
    assert links(feed) == {portal.photo.full_url, portal.video.full_url}
    assert feed.feed.title.startswith("Du lịch | ")
    english = parse_feed(client, f"/en/{kind}/thoi-su/")
    assert [entry.title for entry in english.entries] == ["Test article one"]


def test_unknown_section_feed_is_404(client, portal):
    assert client.get("/vi/rss/khong-co/").status_code == 404
    assert client.get("/vi/atom/gioi-thieu/").status_code == 404  # a plain page, not a section


def test_feed_is_capped_at_30_items(client, portal):
    add_articles(portal, 30)
    for kind in ("rss", "atom"):
        entries = parse_feed(client, f"/vi/{kind}/").entries
        assert len(entries) == 30
        authors = {entry.get("author") for entry in entries}
        assert "Phóng viên 124" in authors
        assert "Phóng viên 125" not in authors  # the five oldest of 35 items are left out


def add_articles(portal, how_many: int) -> None:
    for n in range(100, 100 + how_many):
        page = add_page(
            portal.sections["thoi-su"],
            ArticlePage,
            hero_image=PortalImageFactory(),
            author=f"Phóng viên {n}",
            **article_fields(n),
        )
        page.tags.set(["Biên giới", f"Chủ đề {n}"])
        page.save_revision().publish()


def count_queries(client, url: str) -> int:
    get(client, url)  # warm per-process caches (site root paths, content types, renditions)
    with CaptureQueriesContext(connection) as queries:
        get(client, url)
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", ["/vi/rss/", "/vi/atom/thoi-su/"])
def test_feed_queries_do_not_grow_with_items(client, portal, url):
    before = count_queries(client, url)
    add_articles(portal, 12)  # 3 → 15 articles, each with its own image and tags
    after = count_queries(client, url)
    print(f"{url}: {before} queries with 3 articles, {after} with 15")
    assert after == before


# --- sitemaps and robots.txt ---------------------------------------------------------------


def xml_root(client, url: str, **extra) -> ET.Element:
    return ET.fromstring(get(client, url, **extra).content)  # noqa: S314 (our own output)


def sitemap_entries(client, url: str = "/sitemap.xml", **extra) -> dict[str, ET.Element]:
    root = xml_root(client, url, **extra)
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def test_sitemap_lists_every_live_page_of_every_language(client, portal):
    draft = add_page(portal.sections["thoi-su"], ArticlePage, publish=False, **article_fields(7))
    entries = sitemap_entries(client)
    homes = portal.homes.values()
    expected = {
        page.full_url
        for home in homes
        for page in Page.objects.live().descendant_of(home, inclusive=True)
    }
    assert set(entries) == expected
    assert {"http://localhost/lo/", "http://localhost/zh-hans/gioi-thieu/"} <= expected
    assert draft.full_url not in entries
    for entry in entries.values():
        assert entry.findtext("sm:lastmod", namespaces=NS)


def test_sitemap_hreflang_alternates(client, portal):
    entries = sitemap_entries(client)

    def alternates(url: str) -> dict[str, str]:
        return {
            link.get("hreflang"): link.get("href")
            for link in entries[url].findall("xhtml:link", NS)
        }

    article = portal.articles[0].full_url
    english = "http://localhost/en/thoi-su/test-article-one/"
    both = {"vi": article, "en": english, "x-default": article}
    assert alternates(article) == both
    assert alternates(english) == both
    assert alternates(portal.homes["lo"].full_url) == {
        "vi": "http://localhost/vi/",
        "en": "http://localhost/en/",
        "zh-hans": "http://localhost/zh-hans/",
        "lo": "http://localhost/lo/",
        "x-default": "http://localhost/vi/",
    }
    assert alternates(portal.photo.full_url) == {
        "vi": portal.photo.full_url,
        "x-default": portal.photo.full_url,
    }


def test_sitemap_leaves_out_other_sites(client, portal):
    root = Page.get_first_root_node()
    other_home = add_page(
        root, HomePage, title="Cổng khác", slug="cong-khac", site_name="Cổng khác"
    )
    other_page = add_page(other_home, StandardPage, title="Trang của cổng khác")
    Site.objects.create(hostname="khac.example", port=80, root_page=other_home)
    urls = set(sitemap_entries(client))
    assert not any("khac" in url for url in urls)
    assert portal.articles[0].full_url in urls
    other = set(sitemap_entries(client, HTTP_HOST="khac.example"))
    assert other == {"http://khac.example/vi/", other_page.full_url}


def test_news_sitemap_has_only_the_last_48_hours(client, portal):
    root = xml_root(client, "/news-sitemap.xml")
    news = {
        url.findtext("sm:loc", namespaces=NS): url.find("news:news", NS)
        for url in root.findall("sm:url", NS)
    }
    recent = {article.full_url for article in portal.articles}
    english = "http://localhost/en/thoi-su/test-article-one/"
    assert set(news) == recent | {english}  # the photo and video stories are 90 h old
    first = news[portal.articles[0].full_url]
    assert first.findtext("news:publication/news:name", namespaces=NS) == (
        portal.homes["vi"].site_name
    )
    assert first.findtext("news:publication/news:language", namespaces=NS) == "vi"
    assert first.findtext("news:title", namespaces=NS) == portal.articles[0].title
    assert news[english].findtext("news:publication/news:language", namespaces=NS) == "en"
    published = first.findtext("news:publication_date", namespaces=NS)
    assert datetime.fromisoformat(published) == portal.articles[0].published_at
    # Two days later, only what was published in the last 48 hours remains.
    with time_machine.travel(timezone.now() + timedelta(hours=46, minutes=30)):
        root = xml_root(client, "/news-sitemap.xml")
        later = {url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)}
    assert later == {portal.articles[0].full_url, english}


@pytest.mark.parametrize("url", ["/sitemap.xml", "/news-sitemap.xml"])
def test_sitemap_queries_do_not_grow_with_pages(client, portal, url):
    before = count_queries(client, url)
    add_articles(portal, 12)
    after = count_queries(client, url)
    print(f"{url}: {before} queries before, {after} after adding 12 articles")
    assert after == before


def test_robots_txt(client, portal):
    response = get(client, "/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /quan-tri/" in lines
    assert "Disallow: /*/in/$" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    assert "Sitemap: http://localhost/news-sitemap.xml" in lines


# --- head and footer ------------------------------------------------------------------------


def head(client, url: str) -> BeautifulSoup:
    return BeautifulSoup(get(client, url).content, "html.parser")


def meta(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
    return tag["content"] if tag else None


def feed_links(soup: BeautifulSoup) -> dict[str, str]:
    return {
        link["href"]: link["type"]
        for link in soup.find_all("link", rel="alternate")
        if link.get("type", "").endswith("+xml")
    }


def test_article_head_has_canonical_open_graph_and_json_ld(client, portal):
    article = portal.articles[0]
    soup = head(client, article.url)
    assert soup.find("link", rel="canonical")["href"] == article.full_url
    assert meta(soup, "og:title") == article.title
    assert meta(soup, "og:description") == article.lead
    assert meta(soup, "og:url") == article.full_url
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:locale") == "vi_VN"
    assert meta(soup, "og:locale:alternate") == "en_US"
    assert meta(soup, "og:site_name") == portal.homes["vi"].site_name
    assert meta(soup, "og:image").startswith("http://localhost/media/")
    assert "fill-1200x630" in meta(soup, "og:image")
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert feed_links(soup) == {
        "http://localhost/vi/rss/": "application/rss+xml",
        "http://localhost/vi/atom/": "application/atom+xml",
        "http://localhost/vi/rss/thoi-su/": "application/rss+xml",
        "http://localhost/vi/atom/thoi-su/": "application/atom+xml",
    }
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.lead
    assert data["inLanguage"] == "vi"
    publisher = data["publisher"]
    assert publisher["@type"] == "GovernmentOrganization"
    assert publisher["name"] == portal.homes["vi"].site_name
    assert publisher["url"] == "http://localhost/vi/"
    # Google requires a publisher logo for news articles: the emblem, absolute, 512 px
    assert publisher["logo"]["url"].startswith("http://localhost/static/portal/icons/icon-512")
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (512, 512)
    assert data["mainEntityOfPage"]["@id"] == article.full_url
    assert data["image"] == [meta(soup, "og:image")]
    published = datetime.fromisoformat(data["datePublished"])
    assert abs(published - article.published_at) < timedelta(milliseconds=1)
    assert data["dateModified"]


@pytest.mark.parametrize("which", ["photo", "video"])
def test_story_pages_are_news_articles_too(client, portal, which):
    page = getattr(portal, which)
    soup = head(client, page.url)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["headline"] == page.title
    assert "http://localhost/vi/rss/du-lich/" in feed_links(soup)


def test_json_ld_cannot_be_broken_out_of(client, portal):
    title = 'Tin </script><script>alert("x")</script> & <b>đậm</b>'
    page = add_page(
        portal.sections["thoi-su"],
        ArticlePage,
        author="Nguyễn Văn A",
        **article_fields(8, title=title, slug="tin-xss"),
    )
    html = get(client, page.url).content.decode()
    assert '<script>alert("x")' not in html
    soup = BeautifulSoup(html, "html.parser")
    (script,) = soup.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["headline"] == title
    assert data["author"] == {"@type": "Person", "name": "Nguyễn Văn A"}


def test_home_section_and_plain_pages_are_websites(client, portal):
    home = head(client, "/en/")
    assert home.find("link", rel="canonical")["href"] == "http://localhost/en/"
    assert meta(home, "og:type") == "website"
    assert meta(home, "og:title") == "Portal en"
    assert meta(home, "og:locale") == "en_US"
    graph = json.loads(home.find("script", type="application/ld+json").string)["@graph"]
    organisation, website = graph
    assert organisation["@type"] == "GovernmentOrganization"
    assert organisation["logo"]["url"].startswith("http://localhost/static/portal/icons/")
    assert website["@type"] == "WebSite"
    assert website["url"] == "http://localhost/en/"
    assert website["publisher"] == {"@id": organisation["@id"]}
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://localhost/en/tim-kiem/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    section = head(client, portal.sections["du-lich"].url + "?trang=2")
    assert section.find("link", rel="canonical")["href"].endswith("/vi/du-lich/?trang=2")
    assert "http://localhost/vi/atom/du-lich/" in feed_links(section)
    data = json.loads(section.find("script", type="application/ld+json").string)
    assert data["@type"] == "CollectionPage"
    assert [item["name"] for item in data["breadcrumb"]["itemListElement"]] == [
        portal.homes["vi"].site_name,
        portal.sections["du-lich"].title,
    ]
    plain = head(client, portal.standard.url)
    assert meta(plain, "og:type") == "website"
    assert json.loads(plain.find("script", type="application/ld+json").string)["@type"] == (
        "WebPage"
    )
    assert len(feed_links(plain)) == 2


def test_print_view_is_canonical_to_the_article(client, portal):
    article = portal.articles[0]
    soup = head(client, article.url + "in/")
    assert soup.find("link", rel="canonical")["href"] == article.full_url


def test_footer_links_to_feed_and_sitemap(client, portal):
    footer = head(client, "/en/").find("footer")
    hrefs = {a["href"] for a in footer.find_all("a")}
    assert {"http://localhost/en/rss/", "http://localhost/sitemap.xml"} <= hrefs


def test_empty_feeds_are_not_advertised(client, portal):
    """The test portal has no Chinese article: no Chinese feed is offered, on the home page
    nor on a section; its empty sections are not in the menu either."""
    home = head(client, "/zh-hans/")
    assert feed_links(home) == {}
    footer_hrefs = {a["href"] for a in home.find("footer").find_all("a")}
    assert "http://localhost/zh-hans/rss/" not in footer_hrefs
    assert "http://localhost/sitemap.xml" in footer_hrefs
    assert home.select(".main-nav a") and len(home.select(".main-nav a")) == 1  # home only
    english = head(client, "/en/")
    english_sections = [a["href"] for a in english.select(".main-nav a")][1:]
    assert english_sections == ["/en/thoi-su/"]  # the one English section with an article
    empty_section = SectionPage.objects.get(
        translation_key=portal.sections["du-lich"].translation_key, locale__language_code="en"
    )
    assert feed_links(head(client, empty_section.url)) == {
        "http://localhost/en/rss/": "application/rss+xml",
        "http://localhost/en/atom/": "application/atom+xml",
    }


@pytest.mark.parametrize("which", ["home", "section", "article", "photo", "standard"])
def test_head_adds_at_most_one_query(client, portal, which, monkeypatch):
    url = {
        "home": portal.homes["vi"].url,
        "section": portal.sections["thoi-su"].url,
        "article": portal.articles[0].url,
        "photo": portal.photo.url,
        "standard": portal.standard.url,
    }[which]
    with_head = count_queries(client, url)
    monkeypatch.setattr(seo_tags, "build_meta", lambda context: {})
    without_head = count_queries(client, url)
    print(f"{which}: {without_head} queries without the head, {with_head} with it")
    assert with_head - without_head <= 1, (which, without_head, with_head)


def test_strings_are_translated():
    for language in ("vi", "zh-hans", "lo"):
        with translation.override(language):
            assert gettext("RSS feed") != "RSS feed"
            assert gettext("Sitemap") != "Sitemap"
            assert "%(site)s" in gettext("Latest news from %(site)s")
    with translation.override("vi"):
        assert gettext("Sitemap") == "Sơ đồ trang"
