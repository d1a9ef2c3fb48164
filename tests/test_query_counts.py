"""Hot public pages run a bounded number of SQL queries however many items they list.

Two figures per page type, both with the full-page cache off (``PAGE_CACHE_SECONDS=0``, as in
every test), i.e. real renders through Wagtail:

* **warm**: the usual case: the site, the route (URL → page id), the live page object, the
  page furniture and the cached fragments (lists, breadcrumb, article body) are in the cache
  for the current content version: no query at all. Publishing, unpublishing, moving or
  deleting bumps the version; saving a page's row drops that page's object (tests below).
* **cold**: the first render after a publish, unpublish, move or delete (the content version
  was just bumped, so every versioned entry is unreachable): everything is rebuilt, each list
  with its own bounded query. Per-process caches (content types) stay warm, as they do in a
  running server.

docs/deployment.md ("Uncached renders") lists what each query is.
"""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doingoai.portal.models import ArticlePage
from doingoai.portal.page_cache import page_cache_invalidate
from tests.factories import PortalImageFactory, add_page, article_fields

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
WARM_BUDGETS = {"home": 0, "section": 0, "article": 0, "photo": 0, "standard": 0}
# before issue #3 (every render): home 14, section 12, article 16, photo 16, standard 8
COLD_BUDGETS = {"home": 14, "section": 12, "article": 13, "photo": 13, "standard": 8}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return len(queries.captured_queries)


def count_queries(client, url) -> int:
    """Warm: a first render fills the caches, the second is measured.

    The clock stands still meanwhile: entries that expire with time (the visitor counter,
    15 s; most read, one visit-flush interval) would otherwise make the count flaky."""
    with time_machine.travel(timezone.now(), tick=False):
        client.get(url, HTTP_USER_AGENT=BROWSER)
        return _count(client, url)


def count_cold_queries(client, url) -> int:
    """Cold: measured right after the content version is bumped (as a publish does)."""
    with time_machine.travel(timezone.now(), tick=False):
        client.get(url, HTTP_USER_AGENT=BROWSER)  # per-process caches, as in a server
        page_cache_invalidate()
        return _count(client, url)


def add_articles(portal, how_many: int) -> None:
    for n in range(100, 100 + how_many):
        image = PortalImageFactory()
        page = add_page(
            portal.sections["thoi-su"], ArticlePage, hero_image=image, **article_fields(n)
        )
        page.tags.set(["Biên giới"])
        page.save_revision().publish()


URLS = {
    "home": lambda portal: portal.homes["vi"].url,
    "section": lambda portal: portal.sections["thoi-su"].url,
    "article": lambda portal: portal.articles[0].url,
    "photo": lambda portal: portal.photo.url,
    "standard": lambda portal: portal.standard.url,
}


@pytest.mark.parametrize("which", list(URLS))
def test_page_queries_do_not_grow_with_items(client, portal, which):
    url = URLS[which](portal)
    warm_before, cold_before = count_queries(client, url), count_cold_queries(client, url)
    add_articles(portal, 12)
    warm_after, cold_after = count_queries(client, url), count_cold_queries(client, url)
    assert (warm_after, cold_after) == (warm_before, cold_before), which
    assert warm_after == WARM_BUDGETS[which], f"{which} ran {warm_after} queries (warm)"
    assert cold_after <= COLD_BUDGETS[which], f"{which} ran {cold_after} queries (cold)"


def test_uncached_article_meets_the_five_query_target(client, portal):
    """Issue #3: an uncached article render in at most five queries (warm fragments)."""
    assert count_queries(client, portal.articles[0].url) <= 5
    assert count_queries(client, portal.articles[0].url + "in/") <= 5  # print view


def test_publishing_shows_the_new_article_in_latest_and_related_at_once(client, portal):
    url = portal.articles[0].url
    assert count_queries(client, url) <= WARM_BUDGETS["article"]  # fragments are warm
    new = add_page(
        portal.sections["thoi-su"],
        ArticlePage,
        **article_fields(0, title="Tin vừa đăng về biên giới", slug="tin-vua-dang"),
    )
    new.tags.set(["Biên giới"])
    new.save_revision().publish()
    html = client.get(url, HTTP_USER_AGENT=BROWSER).content.decode()
    latest = html.split('id="latest-title"', 1)[1]
    related = html.split('id="related-title"', 1)[1].split('id="latest-title"', 1)[0]
    assert "Tin vừa đăng về biên giới" in latest
    assert "Tin vừa đăng về biên giới" in related
    new.unpublish()
    assert "Tin vừa đăng về biên giới" not in client.get(url).content.decode()


def test_editing_and_publishing_the_article_shows_the_new_text_at_once(client, portal):
    article = portal.articles[0]
    client.get(article.url)
    article.title = "Tiêu đề đã sửa"
    article.body = [("paragraph", "<p>Nội dung đã sửa.</p>")]
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Tiêu đề đã sửa" in html and "Nội dung đã sửa." in html


def test_saving_a_live_page_row_is_served_at_once(client, portal):
    """The router keeps the page object; a direct save (no publish) must not leave it stale."""
    article = portal.articles[0]
    client.get(article.url)
    article.title = "Tiêu đề sửa trực tiếp"
    article.save()
    assert "Tiêu đề sửa trực tiếp" in client.get(article.url).content.decode()
    article.save_revision()  # a draft: the live page does not change
    assert "Tiêu đề sửa trực tiếp" in client.get(article.url).content.decode()


def test_moving_and_deleting_pages_refreshes_routes(client, portal):
    article = portal.articles[1]
    old_url = article.url
    assert client.get(old_url).status_code == 200
    article.move(portal.sections["du-lich"], pos="last-child")
    article.refresh_from_db()
    moved = client.get(old_url)  # not the cached route: Wagtail's automatic redirect
    assert moved.status_code == 301 and moved["Location"] == article.url
    assert client.get(article.url).status_code == 200
    article.delete()
    assert client.get(article.url).status_code == 404


def test_a_new_view_restriction_applies_on_the_next_render(client, portal):
    """View restrictions come from a cached list: adding one must not leave a page public."""
    from wagtail.models import PageViewRestriction

    url = portal.articles[0].url
    assert count_queries(client, url) == 0
    PageViewRestriction.objects.create(
        page=portal.sections["thoi-su"], restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
