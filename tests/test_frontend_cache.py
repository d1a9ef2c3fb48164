"""Front-end cache purge (Wagtail's frontend cache): publishing an article purges it in every
language and the listings that show it; nothing is sent when no backend is configured."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from doingoai.portal.models import ArticlePage, Banner
from doingoai.portal.page_cache import affected_urls
from tests.factories import PortalImageFactory, add_page, article_fields

pytestmark = pytest.mark.django_db


class PurgeRecorder(BaseHTTPRequestHandler):
    received: list = []

    def do_PURGE(self):
        self.received.append((self.command, self.headers["Host"], self.path))
        self.send_response(200)
        self.end_headers()

    do_GET = do_PURGE  # NginxRefreshBackend

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    PurgeRecorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", PurgeRecorder.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def frontend_cache(settings, purge_server):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    return received


def _publish(page, capture):
    with capture(execute=True):
        page.save_revision().publish()


def test_publishing_purges_the_page_in_every_language_and_its_listings(
    portal, frontend_cache, django_capture_on_commit_callbacks
):
    article = portal.articles[0]
    english = ArticlePage.objects.get(
        translation_key=article.translation_key, locale__language_code="en"
    )
    article.title = "Tin đã sửa"
    _publish(article, django_capture_on_commit_callbacks)
    paths = {path for _method, _host, path in frontend_cache}
    assert {method for method, _host, _path in frontend_cache} == {"PURGE"}
    assert {host for _method, host, _path in frontend_cache} == {"localhost"}
    section_vi = portal.sections["thoi-su"].url
    expected = {
        article.url,
        article.url + "in/",
        english.url,
        english.url + "in/",
        "/vi/",
        "/en/",
        section_vi,
        english.get_parent().url,
        "/vi/rss/",
        "/vi/atom/",
        "/en/rss/",
        "/vi/rss/thoi-su/",
        "/vi/atom/thoi-su/",
        "/sitemap.xml",
        "/news-sitemap.xml",
    }
    assert expected <= paths, expected - paths
    assert len(frontend_cache) == len(paths)  # each URL once


def test_a_new_article_purges_its_section_and_home(
    portal, frontend_cache, django_capture_on_commit_callbacks
):
    new = add_page(
        portal.sections["du-lich"], ArticlePage, publish=False, **article_fields(7, title="Tin mới")
    )
    _publish(new, django_capture_on_commit_callbacks)
    paths = {path for _method, _host, path in frontend_cache}
    assert {new.url, "/vi/", portal.sections["du-lich"].url, "/vi/rss/du-lich/"} <= paths


def test_unpublishing_moving_and_deleting_purge(
    portal, frontend_cache, django_capture_on_commit_callbacks
):
    article = portal.articles[1]
    old_url = article.url
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert old_url in {path for *_rest, path in frontend_cache}
    frontend_cache.clear()
    _publish(article, django_capture_on_commit_callbacks)
    frontend_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.move(portal.sections["du-lich"], pos="last-child")
    article.refresh_from_db()
    paths = {path for *_rest, path in frontend_cache}
    assert {old_url, article.url, portal.sections["du-lich"].url} <= paths
    frontend_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    paths = [path for *_rest, path in frontend_cache]
    assert article.url in paths and paths.count(article.url) == 1


def test_banner_change_purges_that_language_home(
    portal, frontend_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Banner.objects.create(
            title="Banner",
            image=PortalImageFactory(),
            link_url="https://e.vn",
            locale=portal.locales["en"],
        )
    assert [path for *_rest, path in frontend_cache] == ["/en/"]


def test_nginx_refresh_backend_fetches_each_url_again_with_the_page_host(
    portal, settings, purge_server, django_capture_on_commit_callbacks
):
    location, received = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "doingoai.portal.frontend_cache.NginxRefreshBackend",
            "LOCATION": location,
        }
    }
    _publish(portal.articles[0], django_capture_on_commit_callbacks)
    assert {method for method, _host, _path in received} == {"GET"}
    assert {host for _method, host, _path in received} == {"localhost"}
    assert portal.articles[0].url in {path for *_rest, path in received}


def test_nothing_is_sent_when_the_setting_is_off(
    portal, settings, purge_server, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    _location, received = purge_server
    _publish(portal.articles[0], django_capture_on_commit_callbacks)
    assert received == []


def test_affected_urls_are_absolute_and_unique(portal):
    urls = affected_urls(portal.articles[0])
    assert all(url.startswith("http://localhost/") for url in urls)
    assert len(urls) == len(set(urls))


def test_off_by_default_and_each_translation_purged_as_is():
    import os

    from django.conf import settings

    if not os.environ.get("FRONTEND_CACHE_PURGE_URL"):
        assert settings.WAGTAILFRONTENDCACHE == {}
    assert settings.WAGTAILFRONTENDCACHE_LANGUAGES == []  # no /vi/ → /en/ URL rewriting
