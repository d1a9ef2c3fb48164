"""Hot public pages run a bounded number of SQL queries however many items they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doingoai.portal.models import ArticlePage
from tests.factories import PortalImageFactory, add_page, article_fields

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def count_queries(client, url) -> int:
    client.get(url, HTTP_USER_AGENT=BROWSER)  # warm per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return len(queries.captured_queries)


def add_articles(portal, how_many: int) -> None:
    for n in range(100, 100 + how_many):
        image = PortalImageFactory()
        page = add_page(
            portal.sections["thoi-su"], ArticlePage, hero_image=image, **article_fields(n)
        )
        page.tags.set(["Biên giới"])
        page.save_revision().publish()


@pytest.mark.parametrize("which", ["home", "section", "article", "photo", "standard"])
def test_page_queries_do_not_grow_with_items(client, portal, which):
    urls = {
        "home": lambda: portal.homes["vi"].url,
        "section": lambda: portal.sections["thoi-su"].url,
        "article": lambda: portal.articles[0].url,
        "photo": lambda: portal.photo.url,
        "standard": lambda: portal.standard.url,
    }
    before = count_queries(client, urls[which]())
    add_articles(portal, 12)
    after = count_queries(client, urls[which]())
    assert after == before, f"{which}: {before} → {after} queries"
    budgets = {"home": 14, "section": 12, "article": 16, "photo": 16, "standard": 8}
    assert after <= budgets[which], f"{which} ran {after} queries"
