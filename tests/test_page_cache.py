"""Anonymous visitors get cached pages; publishing makes them fresh; editors bypass."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doingoai.portal.models import ArticlePage
from doingoai.visitors.services import visits_flush
from tests.factories import add_page, article_fields

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_second_view_is_served_from_cache_without_queries_and_still_counted(client, portal):
    url = portal.articles[0].url
    first = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert second["X-Page-Cache"] == "hit"
    assert len(queries.captured_queries) == 0
    assert second.content == first.content
    assert "public" in second["Cache-Control"] and "max-age=60" in second["Cache-Control"]
    assert visits_flush() == 2


def test_conditional_get_returns_304(client, portal):
    url = portal.homes["vi"].url
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_publishing_refreshes_home_section_and_other_languages(client, portal):
    urls = ["/vi/", portal.sections["thoi-su"].url, "/en/"]
    for url in urls:
        client.get(url)
    assert client.get("/vi/")["X-Page-Cache"] == "hit"
    new = add_page(portal.sections["thoi-su"], ArticlePage, **article_fields(0, title="Tin mới"))
    assert "Tin mới" in client.get("/vi/").content.decode()
    assert "Tin mới" in client.get(portal.sections["thoi-su"].url).content.decode()
    assert client.get("/en/")["X-Page-Cache"] == "miss"
    new.unpublish()
    assert "Tin mới" not in client.get("/vi/").content.decode()


def test_editing_a_banner_refreshes_pages(client, portal):
    from doingoai.portal.models import Banner
    from tests.factories import PortalImageFactory

    client.get("/vi/")
    Banner.objects.create(
        title="Banner mới",
        image=PortalImageFactory(),
        link_url="https://e.vn",
        slot="side",
        locale=portal.locales["vi"],
    )
    assert "Banner mới" in client.get("/vi/").content.decode()


def test_signed_in_editors_neither_read_nor_write_the_cache(client, portal):
    from django.test import Client

    url = portal.articles[0].url
    editor = Client()
    editor.force_login(portal.users["editor"])
    response = editor.get(url)
    assert "X-Page-Cache" not in response
    assert client.get(url)["X-Page-Cache"] == "miss"  # the editor's view was not stored
    assert "X-Page-Cache" not in editor.get(url)


def test_admin_and_not_found_are_not_cached(client, portal):
    client.get("/vi/khong-co/")
    assert "X-Page-Cache" not in client.get("/vi/khong-co/")
    assert "X-Page-Cache" not in client.get("/quan-tri/login/")


def test_a_publish_in_another_process_is_seen_without_redis(client, portal, settings):
    """With the local-memory cache the content version is a file every worker reads: a bump
    written by another process makes this process's pages and fragments unreachable."""
    from doingoai.portal.page_cache import content_version, page_cache_invalidate

    if not settings.CONTENT_VERSION_FILE:
        pytest.skip("Redis holds the content version")
    url = portal.articles[0].url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    before = content_version()
    with open(settings.CONTENT_VERSION_FILE, "w") as file:  # another worker's publish
        file.write(str(before + 5))
    assert content_version() == before + 5
    assert client.get(url)["X-Page-Cache"] == "miss"
    page_cache_invalidate()
    assert content_version() == before + 6


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize("which", ["home", "article", "feed", "search"])
def test_cached_answers_keep_every_security_header(client, portal, which):
    url = {
        "home": "/vi/",
        "article": portal.articles[0].url,
        "feed": "/vi/rss/",
        "search": "/vi/tim-kiem/?q=L%C3%A0o+Cai",
    }[which]
    fresh = client.get(url, HTTP_USER_AGENT=BROWSER)
    cached = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert (fresh["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    for name in SECURITY_HEADERS:
        assert fresh.has_header(name) and cached.has_header(name), name
        assert sorted(fresh[name].split("; ")) == sorted(cached[name].split("; ")), name
    assert cached["X-Frame-Options"] == "SAMEORIGIN"
    policy = cached["Content-Security-Policy"]
    assert "script-src 'none'" in policy and "object-src 'none'" in policy


def test_back_office_has_its_own_policy(client, portal):
    client.force_login(portal.users["editor"])
    policy = client.get("/quan-tri/")["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy


def test_cached_pages_are_sent_compressed_to_browsers_that_accept_it(client, portal):
    import gzip

    url = portal.articles[0].url
    plain = client.get(url, HTTP_USER_AGENT=BROWSER)
    packed = client.get(url, HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    # a fresh render (a signed-in editor: no page cache) is compressed by GZipMiddleware
    client.force_login(portal.users["editor"])
    fresh = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert not fresh.has_header("X-Page-Cache") and fresh["Content-Encoding"] == "gzip"


def test_validators_are_the_same_whoever_rendered_the_page(client, portal, settings):
    """Two workers render the same page with different visit counters: the ETag does not
    depend on the bytes, so a browser's If-None-Match is answered 304 by either."""
    from django.core.cache import cache

    from doingoai.portal.page_cache import VERSION_KEY

    def another_worker() -> None:
        """Its own cache, its own render; the content version is shared (a file every
        process reads, or the Redis key every worker reads, which clear() would reset)."""
        version = cache.get(VERSION_KEY)
        cache.clear()
        if version is not None:
            cache.set(VERSION_KEY, version, None)

    url = "/vi/"
    first = client.get(url, HTTP_USER_AGENT=BROWSER)
    another_worker()
    portal.homes["vi"].save_revision().publish()  # a different content version…
    second = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert second["ETag"] != first["ETag"]  # … is a different validator
    another_worker()
    third = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert third["ETag"] == second["ETag"] and third["ETag"].startswith('W/"')
    assert client.get(url, HTTP_IF_NONE_MATCH=third["ETag"]).status_code == 304
