"""Every address a visitor can reach answers 200, in the test profile and in production.

The demo province is loaded, then ``tests.portal_crawl`` visits it as residents, feed readers
and search engines do: every URL of sitemap.xml (all languages) and its hreflang alternates,
robots.txt, every advertised feed and every feed item's link, every link, picture, stylesheet
and icon of every page reached, the print views and the "not translated yet" pages. A video
page once answered 500 while the suite stayed green; this is the test that catches it.

The production run is the layout of docs/deployment.md: the production settings module,
``migrate``, ``collectstatic`` and gunicorn, requested through the proxy headers nginx sets,
on the database and cache of the suite (SQLite, or PostgreSQL + Redis when DATABASE_URL and
REDIS_URL say so). It also checks that cached and fresh answers carry the same security
headers.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.portal_crawl import Answer, crawl
from tests.production_server import BROWSER, ProductionServer

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGE_TYPES = {
    "page-home",
    "page-section",
    "page-article",
    "page-photo-story",
    "page-video-story",
    "page-standard",
    "page-search",
    "page-untranslated",
    "print-view",
}
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def check_report(report, media_root: Path) -> None:
    assert not report.failures(), "\n".join(report.failures())
    assert len(report.sitemap_paths) >= 100
    for language in LANGUAGES:
        assert {f"/{language}/rss/", f"/{language}/atom/"} <= report.feed_paths
    assert len(report.feed_item_paths) >= 20
    assert report.page_classes >= PAGE_TYPES, PAGE_TYPES - report.page_classes
    assert not report.foreign_absolute, sorted(report.foreign_absolute)[:10]
    missing = [path for path in report.media_paths if not (media_root / path[7:]).is_file()]
    assert report.media_paths and not missing, missing[:10]


# --- the test profile (Django's test client) ---------------------------------------------


@pytest.mark.django_db
def test_every_address_answers_in_the_test_profile(client, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.vn"
    settings.PAGE_CACHE_SECONDS = 300  # as deployed: fresh renders and cached answers
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    def fetch(path: str) -> Answer:
        response = client.get(path, HTTP_USER_AGENT=BROWSER)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return Answer(
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=body,
            location=response.get("Location", ""),
        )

    report = crawl(fetch, "https://portal.example.vn", LANGUAGES)
    check_report(report, Path(settings.MEDIA_ROOT))


# --- the production settings under gunicorn -------------------------------------------------


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    server = ProductionServer(tmp_path_factory.mktemp("production"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.mark.production
def test_every_address_answers_under_the_production_settings(production_server):
    server = production_server

    def fetch(path: str) -> Answer:
        status, headers, body = server.get(path)
        return Answer(status, headers.get("content-type", ""), body, headers.get("location", ""))

    report = crawl(fetch, f"https://{server.host}", LANGUAGES)
    assert not report.failures(), "\n".join(report.failures()) + "\n" + server.log()
    check_report(report, server.directory / "media")


@pytest.mark.production
@pytest.mark.parametrize("path", ["/vi/", "/en/", "/vi/tim-kiem/?q=Sa+Pa", "/vi/rss/"])
def test_cached_and_fresh_answers_carry_the_same_security_headers(production_server, path):
    server = production_server
    # a fresh render: an address no one asked before (the query string is part of the key)
    first = server.get(path + ("&" if "?" in path else "?") + f"fresh={uuid.uuid4().hex}")
    assert first[1].get("x-page-cache") != "hit"
    # a cached one: each of the two workers keeps its own local-memory cache, so ask until
    # a worker answers from it (with two workers the third request at the latest)
    for _ in range(3):
        second = server.get(path)
        if second[1].get("x-page-cache") == "hit":
            break
    assert first[0] == second[0] == 200
    assert second[1].get("x-page-cache") == "hit"
    for name in SECURITY_HEADERS:
        assert first[1].get(name.lower()), (name, first[1])
        assert first[1][name.lower()].split(";")[0] == second[1][name.lower()].split(";")[0]
    assert second[1]["strict-transport-security"].startswith("max-age=")
    policy = second[1]["content-security-policy"]
    assert "script-src 'none'" in policy
    assert "upgrade-insecure-requests" in policy
    # a validator every worker agrees on: the same page asked again is "not modified"
    etag = second[1]["etag"]
    for _ in range(4):
        status, headers, _body = server.get(path, {"If-None-Match": etag})
        assert status == 304, headers
