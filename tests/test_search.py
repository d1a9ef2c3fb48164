"""Portal search (/<lang>/tim-kiem/): folding, ranking, phrases, snippets, suggestions, filters,
bad input and bounded queries. Runs on SQLite FTS5 and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from doingoai.portal.models import ArticlePage, StandardPage
from doingoai.search.query import MAX_TOKENS, parse_query
from doingoai.search.selectors import suggestion_candidates
from tests.factories import add_page

pytestmark = pytest.mark.django_db

URL = "/vi/tim-kiem/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
_numbers = itertools.count(1000)


def article(portal, title, *, lead="", body="", days_ago=1, section="thoi-su", **extra):
    n = next(_numbers)
    return add_page(
        portal.sections[section],
        ArticlePage,
        title=title,
        slug=f"bai-{n}",
        lead=lead or f"Tóm tắt số {n} của bài viết.",
        body=[("paragraph", f"<p>{body or f'Nội dung số {n}.'}</p>")],
        published_at=timezone.now() - timedelta(days=days_ago),
        **extra,
    )


def search(client, q=None, **params):
    data = {key.replace("_", "-"): value for key, value in params.items()}
    if q is not None:
        data["q"] = q
    response = client.get(URL, data, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    html = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in html.select(".search-result .card__title a")]


def messages(response) -> str:
    html = BeautifulSoup(response.content, "html.parser")
    return " ".join(p.get_text(" ", strip=True) for p in html.select(".search-messages p"))


# --- the page and the header form -------------------------------------------------------


def test_search_page_is_a_labelled_get_form(client, portal):
    response = search(client)
    html = BeautifulSoup(response.content, "html.parser")
    form = html.select_one("main form[role=search]")
    assert form["method"] == "get" and form["action"] == URL
    for control in form.select("input:not([type=hidden]), select"):
        assert html.select_one(f"label[for={control['id']}]"), control
    assert html.select_one("meta[name=robots]")["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Nhập một hoặc nhiều từ" in messages(response)  # translated hint


def test_popular_searches_are_answered_from_the_page_cache(client, portal, settings):
    """Residents repeat the same searches: anonymous results pages are cached per query
    string and content version, so a publish shows at once in the results."""
    settings.PAGE_CACHE_SECONDS = 300
    url = f"{URL}?q=Lào+Cai"
    first = client.get(url, HTTP_USER_AGENT=BROWSER)
    again = client.get(url, HTTP_USER_AGENT=BROWSER)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    assert again.content == first.content and again["X-Robots-Tag"] == "noindex"
    new = article(portal, "Lào Cai đón đoàn khảo sát mới", days_ago=0)
    assert new.title in client.get(url, HTTP_USER_AGENT=BROWSER).content.decode()
    client.force_login(portal.users["editor"])
    assert not client.get(url, HTTP_USER_AGENT=BROWSER).has_header("X-Page-Cache")


def test_header_has_a_search_form_on_every_page(client, portal):
    for url in (portal.homes["vi"].url, portal.articles[0].url):
        html = BeautifulSoup(client.get(url, HTTP_USER_AGENT=BROWSER).content, "html.parser")
        form = html.select_one("header form.header-search")
        assert form["method"] == "get" and form["action"] == URL
        field = form.select_one("input[name=q]")
        assert html.select_one(f"label[for={field['id']}]").get_text(strip=True)
        assert form.select_one("button[type=submit]")
    # the search page has its own form: one search box, not two
    html = BeautifulSoup(client.get(URL, HTTP_USER_AGENT=BROWSER).content, "html.parser")
    assert html.select_one("header form.header-search") is None
    assert len(html.select("form[role=search]")) == 1


def test_header_form_uses_the_current_language(client, portal):
    html = BeautifulSoup(client.get("/en/", HTTP_USER_AGENT=BROWSER).content, "html.parser")
    assert html.select_one("header form.header-search")["action"] == "/en/tim-kiem/"


# --- diacritics and case ----------------------------------------------------------------


@pytest.mark.parametrize("q", ["dien bien", "Điện Biên", "ĐIỆN BIÊN", "Dien Bien"])
def test_accents_and_case_do_not_matter(client, portal, q):
    article(portal, "Điện Biên đón đoàn khách quốc tế")
    assert titles(search(client, q)) == ["Điện Biên đón đoàn khách quốc tế"]


def test_decomposed_query_finds_composed_text(client, portal):
    import unicodedata

    article(portal, "Mường Khương mùa hoa")
    assert titles(search(client, unicodedata.normalize("NFD", "Mường Khương"))) == [
        "Mường Khương mùa hoa"
    ]


def test_exact_spelling_ranks_first(client, portal):
    # "bản" (village), "bán" (sell), "ban" — one folded word; the newest is not spelled "bản".
    article(portal, "Bán nông sản qua mạng", days_ago=1)
    article(portal, "Ban chỉ đạo họp định kỳ", days_ago=2)
    article(portal, "Thăm bản vùng cao", days_ago=30)
    found = titles(search(client, "bản"))
    assert found[0] == "Thăm bản vùng cao"
    assert set(found[1:]) == {"Bán nông sản qua mạng", "Ban chỉ đạo họp định kỳ"}
    assert titles(search(client, "bán"))[0] == "Bán nông sản qua mạng"
    assert len(titles(search(client, "ban"))) == 3  # no accents typed: no spelling preferred


def test_other_spellings_are_announced(client, portal):
    article(portal, "Thăm bản vùng cao")
    article(portal, "Bán nông sản qua mạng")
    html = BeautifulSoup(search(client, "bản").content, "html.parser")
    note = html.select_one(".search-results__other")
    assert note is not None
    assert note.find_next("article").select_one("a").get_text() == "Bán nông sản qua mạng"
    html = BeautifulSoup(search(client, "ban").content, "html.parser")
    assert html.select(".search-results__other") == []


# --- ranking ----------------------------------------------------------------------------


def test_title_and_lead_weigh_more_than_body(client, portal):
    filler = "Cán bộ và nhân dân địa phương tham gia hoạt động chung của tỉnh."
    article(portal, "Hội nghị tổng kết năm", lead=filler, body="Bàn về Fansipan. " + filler)
    article(portal, "Lễ hội mùa xuân", lead="Du khách lên Fansipan. " + filler, days_ago=5)
    article(portal, "Fansipan đón tuyết", lead=filler, days_ago=9)
    assert titles(search(client, "fansipan")) == [
        "Fansipan đón tuyết",
        "Lễ hội mùa xuân",
        "Hội nghị tổng kết năm",
    ]


def test_newer_items_break_ties(client, portal):
    # Same text, so the same score; the newer is created first (lower id).
    article(portal, "Giao ban báo chí định kỳ", lead="Giao ban.", body="Giao ban.", days_ago=1)
    older = article(
        portal, "Giao ban báo chí định kỳ", lead="Giao ban.", body="Giao ban.", days_ago=9
    )
    response = search(client, "giao ban")
    html = BeautifulSoup(response.content, "html.parser")
    hrefs = [a["href"] for a in html.select(".search-result .card__title a")]
    assert len(hrefs) == 2 and hrefs[1] == older.url


def test_phrase_in_double_quotes_matches_the_phrase(client, portal):
    article(portal, "Mở rộng cửa khẩu quốc tế Lào Cai")
    article(portal, "Hợp tác quốc tế tại các cửa khẩu phụ")
    assert titles(search(client, '"cửa khẩu quốc tế"')) == ["Mở rộng cửa khẩu quốc tế Lào Cai"]
    assert titles(search(client, '"cua khau quoc te"')) == ["Mở rộng cửa khẩu quốc tế Lào Cai"]
    assert len(titles(search(client, "cửa khẩu quốc tế"))) == 2
    assert len(titles(search(client, "“cửa khẩu quốc tế”"))) == 1  # typographic quotes


def test_phrase_is_highlighted_only_where_its_words_are_together(client, portal):
    article(portal, "Tin thương mại", lead="Qua cửa khẩu quốc tế, sức sống của thương mại.")
    html = BeautifulSoup(search(client, '"cua khau quoc te"').content, "html.parser")
    marks = [mark.get_text() for mark in html.select(".search-result mark")]
    assert marks == ["cửa khẩu quốc tế"]


def test_plain_pages_are_found_too(client, portal):
    assert "Giới thiệu" in titles(search(client, "gioi thieu"))


def test_only_live_public_pages_of_the_language(client, portal):
    article(portal, "Tin nháp về Fansipan", publish=False)
    private = article(portal, "Tin nội bộ về Fansipan")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    article(portal, "Tin công khai về Fansipan")
    portal.translate(portal.articles[1], "en", title="Fansipan in winter", slug="fansipan-winter")
    assert titles(search(client, "fansipan")) == ["Tin công khai về Fansipan"]


# --- snippets ---------------------------------------------------------------------------


def test_snippet_highlights_the_match_in_the_original_spelling(client, portal):
    article(
        portal,
        "Tin văn hoá",
        lead="Đêm nhạc <b>Sa Pa</b> & lễ hội ĐIỆN BIÊN năm nay thu hút du khách.",
    )
    response = search(client, "dien bien")
    html = response.content.decode()
    assert "<mark>ĐIỆN BIÊN</mark>" in html
    assert "&lt;b&gt;Sa Pa&lt;/b&gt; &amp; lễ hội" in html
    assert "<b>Sa Pa</b>" not in html


def test_snippet_comes_from_the_body_around_the_first_match(client, portal):
    words = " ".join(["đoạn văn mở đầu"] * 60)
    article(
        portal, "Tin biên giới", lead="Tóm tắt.", body=f"{words} Hội nghị về Yagi tại tỉnh. Hết."
    )
    html = BeautifulSoup(search(client, "yagi").content, "html.parser")
    snippet = html.select_one(".search-result__snippet")
    assert snippet.select_one("mark").get_text() == "Yagi"
    assert snippet.get_text().startswith("…")
    assert len(snippet.get_text()) < 330


def test_results_show_title_date_section_and_snippet(client, portal):
    page = article(portal, "Lễ hội Fansipan", lead="Lễ hội Fansipan mùa xuân.", days_ago=0)
    html = BeautifulSoup(search(client, "fansipan").content, "html.parser")
    result = html.select_one(".search-result")
    assert result.select_one("a")["href"] == page.url
    meta = result.select_one(".card__meta").get_text(" ", strip=True)
    assert timezone.localtime(page.published_at).strftime("%d/%m/%Y") in meta
    assert "Thời sự" in meta
    assert result.select_one("mark").get_text() == "Fansipan"


def test_accents_ignored_tier_marks_other_spellings(client, portal):
    article(portal, "Tin thương mại", lead="Hàng hoá của doanh nghiệp qua cua khau phụ.")
    html = BeautifulSoup(search(client, "cửa khẩu").content, "html.parser")
    notes = [n.get_text() for n in html.select(".search-results__other")]
    assert notes  # the page spelled without accents is in the accents-ignored tier
    marks = [mark.get_text() for mark in html.select(".search-result mark")]
    assert "cua khau" in marks


def test_words_apart_marked_as_typed(client, portal):
    article(
        portal,
        "Tin biên giới",
        lead="Mở cửa đường biên của tỉnh; khẩu hiệu tuyên truyền được treo ở bản.",
    )
    html = BeautifulSoup(search(client, "cửa khẩu").content, "html.parser")
    assert [n.get_text() for n in html.select(".search-results__other")]  # "apart" note
    marks = [mark.get_text() for mark in html.select(".search-result mark")]
    assert marks == ["cửa", "khẩu"]  # not "của"


# --- did you mean -----------------------------------------------------------------------


def test_did_you_mean_drops_a_word(client, portal):
    article(portal, "Du lịch Y Tý mùa lúa chín")
    response = search(client, "Y Tý quxyzt")
    assert titles(response) == []
    html = BeautifulSoup(response.content, "html.parser")
    link = html.select_one(".search-suggestion a")
    assert link.get_text() == "Y Tý"
    assert titles(client.get(URL + link["href"], HTTP_USER_AGENT=BROWSER)) == [
        "Du lịch Y Tý mùa lúa chín"
    ]


def test_did_you_mean_reads_telex_typed_without_an_input_method(client, portal):
    article(portal, "Lào Cai đón khách")
    html = BeautifulSoup(search(client, "Laof Cai").content, "html.parser")
    assert html.select_one(".search-suggestion a").get_text() == "Lào Cai"


def test_did_you_mean_drops_the_quotes(client, portal):
    article(portal, "Hợp tác quốc tế tại các cửa khẩu phụ")
    html = BeautifulSoup(search(client, '"cửa khẩu quốc tế"').content, "html.parser")
    assert html.select_one(".search-suggestion a").get_text() == "cửa khẩu quốc tế"


def test_no_suggestion_when_nothing_would_match(client, portal):
    response = search(client, "quxyzt zqwv")
    assert "Không tìm thấy" in messages(response)
    assert BeautifulSoup(response.content, "html.parser").select(".search-suggestion") == []


def test_suggestion_candidates_are_bounded():
    query = parse_query("một hai ba bốn năm sáu bảy tám chín mười")
    assert suggestion_candidates(query) == []  # too many words to try each
    assert suggestion_candidates(parse_query("Laof Cai")) == [
        "Lào Cai",
        "Lào",
        "Cai",
        "Laof",
    ]


# --- filters ----------------------------------------------------------------------------


def test_filter_by_section(client, portal):
    tourism = portal.sections["du-lich"]
    assert set(titles(search(client, "sa pa"))) >= {"Phóng sự ảnh Sa Pa", "Video Sa Pa"}
    assert set(titles(search(client, "sa pa", chuyen_muc=tourism.pk))) == {
        "Phóng sự ảnh Sa Pa",
        "Video Sa Pa",
    }
    assert titles(search(client, "sa pa", chuyen_muc=portal.sections["thoi-su"].pk)) == []


def test_filter_by_dates(client, portal):
    now = timezone.localtime()
    article(portal, "Fansipan tháng trước", days_ago=40)
    article(portal, "Fansipan tuần này", days_ago=2)
    since = (now - timedelta(days=10)).strftime("%d/%m/%Y")
    until = (now - timedelta(days=20)).strftime("%d/%m/%Y")
    assert titles(search(client, "fansipan", tu=since)) == ["Fansipan tuần này"]
    assert titles(search(client, "fansipan", den=until)) == ["Fansipan tháng trước"]
    assert titles(search(client, "fansipan", tu=until, den=now.strftime("%d/%m/%Y"))) == [
        "Fansipan tuần này"
    ]


def test_filter_by_language(client, portal):
    assert titles(search(client, "test article")) == []
    assert titles(search(client, "test article", ngon_ngu="en")) == ["Test article one"]
    response = client.get("/en/tim-kiem/", {"q": "test article"}, HTTP_USER_AGENT=BROWSER)
    assert titles(response) == ["Test article one"]  # defaults to the page's language


def test_chinese_is_searched_by_character_pairs(client, portal):
    portal.translate(portal.articles[1], "zh-hans", title="老街省边境口岸开放", slug="laojie")
    assert titles(search(client, "老街", ngon_ngu="zh-hans")) == ["老街省边境口岸开放"]
    assert titles(search(client, "边境口岸", ngon_ngu="zh-hans")) == ["老街省边境口岸开放"]
    assert titles(search(client, "口岸老街", ngon_ngu="zh-hans")) == []


def test_pagination_keeps_the_query(client, portal):
    for n in range(23):
        article(portal, f"Fansipan bài số {n}", days_ago=n + 1)
    first = search(client, "fansipan")
    assert len(titles(first)) == 20
    html = BeautifulSoup(first.content, "html.parser")
    next_link = html.select_one(".pagination a[rel=next]")["href"]
    assert "q=fansipan" in next_link and "trang=2" in next_link
    assert titles(client.get(URL + next_link, HTTP_USER_AGENT=BROWSER)) == [
        "Fansipan bài số 20",
        "Fansipan bài số 21",
        "Fansipan bài số 22",
    ]


# --- bad input: always a normal page with a message -------------------------------------

BAD_QUERIES = {
    "empty": "",
    "spaces": "   ",
    "10000 characters": "biên giới " * 1000,
    "one long word": "a" * 10_000,
    "a quote": '"',
    "unbalanced quote": '"Lào Cai',
    "near": "NEAR(",
    "near query": "NEAR(lao cai, 2)",
    "star": "*",
    "prefix star": "lao*",
    "and or": "AND OR",
    "not": "NOT lao",
    "column filter": "title: lao",
    "caret": "^lao",
    "sql": "'; DROP TABLE wagtailcore_page; --",
    "sql or": "' OR '1'='1",
    "tsquery": "lao & !cai | (:*",
    "percent": "100% lao_cai\\",
    "nul byte": "lao\x00cai",
    "only punctuation": "!@#$%^&*()[]{}<>",
    "html": "<script>alert(1)</script>",
}


@pytest.mark.parametrize("q", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_queries_give_a_normal_page_with_a_message(client, portal, q):
    response = search(client, q)
    assert messages(response) or titles(response)
    assert b"<script>alert(1)</script>" not in response.content
    assert Page.objects.exists()  # nothing dropped


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu": "31/02/2024"}, "không phải là ngày"),
        ({"den": "hôm qua"}, "không phải là ngày"),
        ({"tu": "31/12/2099", "den": "01/01/2000"}, "đổi chỗ"),
        ({"chuyen_muc": "abc"}, "chuyên mục"),
        ({"chuyen_muc": "999999"}, "chuyên mục"),
        ({"ngon_ngu": "fr"}, "ngôn ngữ"),
        ({"trang": "abc"}, ""),
        ({"trang": "-3"}, ""),
        ({"trang": "99999999999"}, ""),
    ],
)
def test_bad_parameters_give_a_normal_page(client, portal, params, message):
    response = search(client, "lào cai", **params)
    assert message in messages(response)
    assert titles(response)  # the search still ran


def test_long_query_is_cut_and_said_so(client, portal):
    response = search(client, "Lào Cai " * 50)
    assert "chỉ dùng" in messages(response)
    assert titles(response)


# --- query parsing ----------------------------------------------------------------------


def test_query_parts_and_tiers():
    query = parse_query('Lào "cửa khẩu" Cai')
    assert [part.folded for part in query.parts] == [("lao", "cai"), ("cua", "khau")]
    assert [part.exact for part in query.parts] == [("lao2", "cai0"), ("cua37", "khau36")]
    assert query.has_diacritics and query.quoted
    assert len(query.tiers()) == 2
    assert len(parse_query("lao cai").tiers()) == 1


def test_query_syntax_is_never_passed_through():
    for q in BAD_QUERIES.values():
        query = parse_query(q)
        for part in query.parts:
            for token in part.folded + part.exact:
                assert token.isalnum(), (q, token)
        assert sum(len(part.folded) for part in query.parts) <= MAX_TOKENS


# --- bounded SQL ------------------------------------------------------------------------


def results_queries(client, q) -> int:
    search(client, q)  # warm per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        search(client, q)
    return len(queries.captured_queries)


@pytest.mark.parametrize("q", ["fansipan", "Phan Xi Păng", "xyzxyz fansipan"])
def test_queries_do_not_grow_with_matches(client, portal, q):
    for n in range(5):
        article(portal, f"Fansipan Phan Xi Păng số {n}", days_ago=n + 1)
    five = results_queries(client, q)
    for n in range(5, 25):
        article(portal, f"Fansipan Phan Xi Păng số {n}", days_ago=n + 1)
    twenty_five = results_queries(client, q)
    assert five == twenty_five, f"{five} → {twenty_five} queries"
    assert twenty_five <= 16


# --- the index --------------------------------------------------------------------------


def test_pages_index_a_folded_and_exact_copy(portal):
    page = ArticlePage.objects.get(pk=portal.articles[0].pk)
    assert page.folded_title.splitlines() == [
        "tin thu nghiem so 1 ve lao cai",
        "tin0 thu37 nghiem56 so16 1 ve26 lao2 cai0",
    ]
    assert "noi dung tin so 1" in page.folded_body
    assert page.folded_heading.startswith("tin thu nghiem")
    standard = StandardPage.objects.get(pk=portal.standard.pk)
    assert standard.folded_lead.startswith("ve tinh")


def test_the_tuned_backend_can_serve_the_whole_site(client, portal, settings):
    """docs/search.md: BACKEND "doingoai.search.backends" — the portal and the admin search."""
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "doingoai.search.backends"}}
    page = article(portal, "Hội thảo Fansipan", lead="Về Fansipan.")
    assert titles(search(client, "fansipan")) == ["Hội thảo Fansipan"]
    client.force_login(portal.users["administrator"])
    response = client.get("/quan-tri/pages/search/", {"q": "fansipan"})
    assert response.status_code == 200
    assert f"/quan-tri/pages/{page.pk}/edit/" in response.content.decode()
    response = client.get("/quan-tri/pages/search/", {"q": "dien bien fansipan"})
    assert response.status_code == 200


def test_simple_text_search_config_keeps_short_vietnamese_words(client, portal, settings):
    """docs/search.md: with PostgreSQL's "english" configuration "my", "an", "so"… would be
    stop words; "simple" keeps them (SQLite ignores the option)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
    }
    article(portal, "Đoàn doanh nghiệp Mỹ thăm cửa khẩu", lead="Giữ vững an ninh biên giới.")
    assert titles(search(client, "my")) == ["Đoàn doanh nghiệp Mỹ thăm cửa khẩu"]
    assert titles(search(client, "an ninh")) == ["Đoàn doanh nghiệp Mỹ thăm cửa khẩu"]


# --- bounded ranking (docs/search.md: large databases) ------------------------------------


@pytest.fixture
def small_bounds(monkeypatch):
    """The bounds of a 1,000,000-article portal, scaled down to a few test articles."""
    from doingoai.search import backends, selectors

    monkeypatch.setattr(backends, "CANDIDATES", 5)
    monkeypatch.setattr(backends, "HEADING_CANDIDATES", 2)
    monkeypatch.setattr(backends, "FIRST_WINDOW", 3)
    monkeypatch.setattr(backends, "PHRASE_FIRST_WINDOW", 3)
    monkeypatch.setattr(backends, "PG_PHRASE_FIRST_WINDOW", 3)
    monkeypatch.setattr(selectors, "MAX_RESULTS", 4)
    return backends


def newest_first(portal, items):
    """Articles created in publication order, oldest first (as a portal fills up)."""
    return [article(portal, title, days_ago=days, **extra) for days, title, extra in items]


def test_common_word_lists_the_newest_strong_matches_first(client, portal, small_bounds):
    newest_first(
        portal,
        [
            (300, "Fansipan mùa tuyết cũ", {}),  # headline: older than the newest matches
            (200, "Chuyện ngày xưa", {"body": "Lên Fansipan từ lâu."}),  # too old, body only
            (9, "Lễ hội mùa xuân", {"body": "Du khách lên Fansipan."}),
            (8, "Tin vắn sáng", {"lead": "Mây phủ Fansipan sáng nay."}),
            (7, "Tin vắn trưa", {"body": "Cáp treo Fansipan vắng khách."}),
            (6, "Tin vắn chiều", {"body": "Đường lên Fansipan sạt lở."}),
            (5, "Tin vắn tối", {"body": "Fansipan đón đoàn khách."}),
        ],
    )
    found = titles(search(client, "fansipan"))
    # The headline first (though old), then the lead, then the body matches, newest first;
    # the old body-only match is past the candidates.
    assert found == [
        "Fansipan mùa tuyết cũ",
        "Tin vắn sáng",
        "Tin vắn tối",
        "Tin vắn chiều",
    ]
    assert "Chuyện ngày xưa" not in found


def test_more_matches_than_listed_give_an_estimated_count(client, portal, small_bounds):
    for n in range(12):
        article(portal, f"Fansipan bản tin số {n}", days_ago=30 - n)
    response = search(client, "fansipan")
    assert len(titles(response)) == 4
    summary = BeautifulSoup(response.content, "html.parser").select_one(".search-summary")
    text = summary.get_text(" ", strip=True)
    assert text.startswith("Khoảng") and "kết quả đầu tiên" in text  # "About …; the first …"


def test_count_is_exact_when_every_match_is_ranked(client, portal, small_bounds):
    for n in range(3):
        article(portal, f"Fansipan bản tin số {n}", days_ago=30 - n)
    summary = BeautifulSoup(search(client, "fansipan").content, "html.parser").select_one(
        ".search-summary"
    )
    assert summary.get_text(" ", strip=True).startswith("3 kết quả")


def test_exact_spelling_first_with_bounded_candidates(client, portal, small_bounds):
    newest_first(
        portal,
        [(40, "Thăm bản vùng cao", {})] + [(10 - n, f"Bán nông sản đợt {n}", {}) for n in range(6)],
    )
    found = titles(search(client, "bản"))
    assert found[0] == "Thăm bản vùng cao"


def test_slow_phrase_search_stops_and_says_so(client, portal, small_bounds, monkeypatch):
    monkeypatch.setattr(small_bounds, "SCAN_BUDGET", -1.0)  # every window is "too slow"
    for n in range(8):
        article(portal, f"Mở rộng cửa khẩu quốc tế đợt {n}", days_ago=30 - n)
    response = search(client, '"cửa khẩu quốc tế"')
    found = titles(response)
    assert 0 < len(found) < 8
    assert found[0] == "Mở rộng cửa khẩu quốc tế đợt 7"  # the newest
    summary = BeautifulSoup(response.content, "html.parser").select_one(".search-summary")
    assert "tin bài mới nhất" in summary.get_text(" ", strip=True)  # "among the newest …"


def test_slices_past_the_candidates_use_the_full_ranking(portal, small_bounds):
    """Wagtail's admin pages through every match: past the candidates it ranks them all."""
    from doingoai.search.backends import portal_search_backend
    from doingoai.search.selectors import Filters, pages_to_search

    for n in range(9):
        article(portal, f"Fansipan bản tin số {n}", days_ago=30 - n)
    pages = pages_to_search(Filters(locale_id=portal.homes["vi"].locale_id))
    results = portal_search_backend().search(parse_query("fansipan").folded_query(), pages)
    assert results.count() == 9
    listed = list(results[0:5]) + list(results[5:9])
    assert len({page.pk for page in listed}) == 9


def test_bounded_ranking_helpers():
    from modelsearch.query import And, Not, Phrase, PlainText

    from doingoai.search import backends

    query = And([PlainText('lao "cai', operator="and"), Not(Phrase("x y"))])
    assert backends.positive(query).query_string == 'lao "cai'
    assert backends.fts5_string(backends.positive(query)) == '("lao" AND """cai")'
    assert backends.fts5_string(Phrase("lao2 cai0"), backends.folded_token) == '"lao cai"'
    assert backends.tsquery_string(PlainText("lao o'neil"), "AB") == "('lao':AB & 'o''neil':AB)"
    assert backends.tsquery_string(Phrase("sa pa"), "A") == "('sa':A <-> 'pa':A)"
    assert backends.folded_token("dien956") == "dien"
    assert backends.folded_token("2024") == "2024"
    assert backends.estimate(1001, 1_000_000, 998_000) == 500_000
    assert backends.estimate(10, 100, 1) == 10


def test_a_later_tier_does_not_list_the_pages_of_the_tier_before(portal, small_bounds, monkeypatch):
    # "bản": one page spelled so (tier 1), more "bán" than the candidates (tier 2); the old
    # headline match is an older strong match of the folded word, but already listed.
    from doingoai.search import selectors

    monkeypatch.setattr(selectors, "MAX_RESULTS", 20)
    newest_first(
        portal,
        [(40, "Thăm bản vùng cao", {})]
        + [(10 - n, f"Giá nông sản đợt {n}", {"body": "Giá bán lúa tăng."}) for n in range(6)],
    )
    filters = selectors.Filters(locale_id=portal.homes["vi"].locale_id)
    outcome = selectors.run_search(parse_query("bản"), filters)
    found = [hit.page.title for hit in outcome.hits]
    assert found[:2] == ["Thăm bản vùng cao", "Giá nông sản đợt 5"]
    assert len(found) == len(set(found)) == 7


def test_both_tiers_of_a_slow_phrase_search_the_same_newest_pages(
    client, portal, small_bounds, monkeypatch
):
    monkeypatch.setattr(small_bounds, "SCAN_BUDGET", -1.0)  # stop after the first window
    for n in range(8):
        title = (
            f"Mở rộng cửa khẩu quốc tế đợt {n}"
            if n % 2 == 0
            else f"Mo rong cua khau quoc te dot {n}"
        )
        article(portal, title, days_ago=30 - n)
    response = search(client, '"cửa khẩu quốc tế"')
    found = titles(response)
    assert 0 < len(found) == len(set(found)) < 8
    if connection.vendor == "sqlite":
        # The newest three pages were searched, by both tiers: the one spelled as typed,
        # then the two others (the second tier reads no further back than the first).
        assert found == [
            "Mở rộng cửa khẩu quốc tế đợt 6",
            "Mo rong cua khau quoc te dot 7",
            "Mo rong cua khau quoc te dot 5",
        ]
    summary = BeautifulSoup(response.content, "html.parser").select_one(".search-summary")
    assert "tin bài mới nhất" in summary.get_text(" ", strip=True)


def test_headline_test_reads_words_as_fts5_does():
    """Older strong matches are told headline matches from their title in Python: the same
    answer as FTS5's own column (unicode61: a letter with two marks keeps them, đ too)."""
    import sqlite3

    from modelsearch.query import And, Phrase, PlainText

    from doingoai.search.backends import folded_token, text_matcher

    texts = [
        "Bão Yagi đổ bộ Lào Cai",
        "Cai Lào: bão YAGI",
        "Đèo Ô Quy Hồ",
        "Mường Khương, 2024",
        "Thẩm định hồ sơ",
        "中国 游客",
    ]
    queries = [
        PlainText("bao4 yagi0", operator="and"),
        Phrase("lao2 cai0"),
        PlainText("deo2"),
        PlainText("dieu ho2", operator="or"),
        PlainText("o0 quy0", operator="and"),
        PlainText("khuong1 2024", operator="and"),
        PlainText("tham36"),
        And([PlainText("bao4"), Phrase("lao2 cai0")]),
        PlainText("中国"),
    ]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(title)")
    db.executemany("INSERT INTO t (rowid, title) VALUES (?, ?)", enumerate(texts))
    from doingoai.search.backends import fts5_string

    for query in queries:
        fts = {
            row
            for (row,) in db.execute(
                "SELECT rowid FROM t WHERE t MATCH ?", [fts5_string(query, folded_token)]
            )
        }
        matches = text_matcher(query, folded_token)
        assert {i for i, text in enumerate(texts) if matches(text)} == fts, query


def test_snippets_read_from_shortly_before_the_first_match():
    from doingoai.search.selectors import SNIPPET_LENGTH, _snippet
    from doingoai.text import snippets

    filler = "Các tỉnh và thành phố trao đổi thông tin về hợp tác biên giới. " * 30
    word = "x" * 300
    texts = [
        filler + "Biên giới tỉnh Lào Cai mở rộng. " + filler,
        "Biên giới tỉnh ở đầu. " + filler,
        filler + f"{word} biên giới tỉnh, " + filler,
        filler,
        "",
    ]
    phrases = [("bien", "gioi", "tinh")]
    for text in texts:
        for terms in (frozenset(), frozenset({"lao"})):
            expected = snippets.snippet(text, terms, phrases, length=SNIPPET_LENGTH)
            assert _snippet(text, terms, phrases) == expected


def test_words_together_are_looked_for_past_the_candidates(
    client, portal, small_bounds, monkeypatch
):
    """A large portal: "dien bien phu" matches many newer pages with the words apart; the
    older page where they stand together (in its body only) is still found and listed first,
    before a note."""
    monkeypatch.setattr(small_bounds, "SCAN_BUDGET", 10.0)  # no time limit on a loaded machine
    newest_first(
        portal,
        [(300, "Hành trình về miền Tây Bắc", {"body": "Du khách thăm Điện Biên Phủ lịch sử."})]
        + [
            (20 - n, f"Điện lực bản tin số {n}", {"body": "Vùng biên được phủ sóng điện thoại."})
            for n in range(8)
        ],
    )
    html = BeautifulSoup(search(client, "dien bien phu").content, "html.parser")
    shown = [
        node.get_text(strip=True)
        for node in html.select(".search-results__other, .search-result .card__title a")
    ]
    assert shown[0] == "Hành trình về miền Tây Bắc"
    assert "liền nhau" in shown[1]  # "… not next to each other:" in Vietnamese
    assert len(shown) == 1 + 1 + 3  # MAX_RESULTS is 4 here
    mark = html.select_one(".search-result mark")
    assert mark.get_text() == "Điện Biên Phủ"


def test_adjacent_query():
    from modelsearch.query import And, Phrase, PlainText

    from doingoai.search.backends import adjacent

    assert adjacent(PlainText("dien bien phu", operator="and")).query_string == "dien bien phu"
    assert isinstance(adjacent(PlainText("dien bien", operator="and")), Phrase)
    assert adjacent(PlainText("yagi")) is None
    assert adjacent(PlainText("a b", operator="or")) is None
    query = adjacent(And([PlainText("lao cai", operator="and"), Phrase("cua khau")]))
    assert [type(q) for q in query.subqueries] == [Phrase, Phrase]
    assert adjacent(And([PlainText("lao"), Phrase("cua khau")])) is None
    assert parse_query("bao so 3").together == ("bao", "so", "3")
    assert parse_query('"bao so" 3').together is None
    assert parse_query("Lào").together is None


def test_snippets_mark_only_the_spellings_asked_for():
    from doingoai.text.snippets import find_matches

    text = "Đoàn công tác của tỉnh thăm Cửa khẩu; cửa hàng và cua khau cũ."
    forms = parse_query("cửa khẩu").exact_forms
    assert forms == {"cua": {"cua37"}, "khau": {"khau36"}}
    marked = [text[a:b] for a, b in find_matches(text, {"cua", "khau"}, exact=forms)]
    assert marked == ["Cửa khẩu", "cửa"]
    marked = [text[a:b] for a, b in find_matches(text, (), [("cua", "khau")], exact=forms)]
    assert marked == ["Cửa khẩu"]
    marked = [text[a:b] for a, b in find_matches(text, (), [("cua", "khau")])]
    assert marked == ["Cửa khẩu", "cua khau"]
    assert parse_query("3 老街").exact_forms == {}  # one spelling only


def test_latency_benchmark_counts_nothing_before_the_tables_exist():
    """bench/search_latency.py --engine postgres --build on a new database: it used to count
    the synthetic articles before migrating, and failed on the missing table."""
    import importlib.util
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        spec = importlib.util.spec_from_file_location("search_latency", bench / "search_latency.py")
        latency = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(latency)
    finally:
        sys.path.remove(str(bench))
    missing = SimpleNamespace(_meta=SimpleNamespace(db_table="no_such_table_yet"))
    assert latency.count_synthetic(connection, missing) == 0
    ArticlePage.objects.none()  # the real table exists in the test database
    assert latency.count_synthetic(connection, ArticlePage) == 0
