"""Every page type renders in every language; translations, language links and 404s."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

LANGUAGES = ("vi", "en", "zh-hans", "lo")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_root_redirects_to_vietnamese(client, portal):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/vi/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_renders_in_each_language(client, portal, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == language
    assert html.find("a", class_="skip-link")["href"] == "#main"
    assert html.find("main", id="main") is not None
    assert html.find("header", role="banner") is not None
    assert html.find("footer", role="contentinfo") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_renders_in_every_language(client, portal, language):
    pages = [
        portal.sections["thoi-su"],
        portal.articles[0],
        portal.photo,
        portal.video,
        portal.standard,
    ]
    for page in pages:
        localized = page.get_translation_or_none(portal.locales[language])
        if localized is None:
            localized = portal.translate(page, language, title=f"{page.title} [{language}]")
        response = client.get(localized.url)
        assert response.status_code == 200, (language, page)
        assert localized.title in response.content.decode()


def test_article_shows_date_tags_share_and_print(client, portal):
    article = portal.articles[0]
    response = client.get(article.url)
    html = soup(response)
    expected = article.published_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh")
    ).strftime("%d/%m/%Y %H:%M")
    assert html.find("time").get_text() == expected
    assert "Biên giới" in html.find(class_="article__tags").get_text()
    share = html.find(class_="share")
    assert "facebook.com/sharer" in str(share)
    print_link = share.find("a", string="In bài")
    assert print_link is not None
    printed = client.get(print_link["href"])
    assert printed.status_code == 200
    assert article.title in printed.content.decode()
    assert "noindex" in printed.content.decode()


def test_images_have_alt_text(client, portal):
    for page in (portal.homes["vi"], portal.articles[0], portal.photo):
        html = soup(client.get(page.url))
        for image in html.find_all("img"):
            assert image.has_attr("alt"), (page, image)
        content_images = [
            img
            for img in html.select("main img")
            if not img.find_parent(attrs={"aria-hidden": "true"})
        ]
        for image in content_images:
            assert image["alt"].strip(), (page, image)


def test_language_links_and_hreflang(client, portal):
    article = portal.articles[0]
    html = soup(client.get(article.url))
    alternates = {
        link["hreflang"]: link["href"]
        for link in html.find_all("link", rel="alternate")
        if link.has_attr("hreflang")  # feeds are alternates too, without a language
    }
    assert alternates["vi"].endswith(article.url)
    assert alternates["en"].endswith("/test-article-one/")
    assert "x-default" in alternates
    assert "lo" not in alternates  # no Lao translation: no alternate
    switcher = html.find("nav", class_="language-switcher")
    lao = switcher.find("a", hreflang="lo")
    assert "is-untranslated" in lao["class"]


def test_untranslated_page_explains_and_links_original(client, portal):
    article = portal.articles[1]  # Vietnamese only
    html = soup(client.get(article.url))
    lao_link = html.find("nav", class_="language-switcher").find("a", hreflang="lo")["href"]
    response = client.get(lao_link)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = soup(response)
    assert page.html["lang"] == "lo"
    original = page.find("a", hreflang="vi", class_="button")
    assert original["href"] == article.url


def test_unknown_language_prefix_is_404(client, portal):
    assert client.get("/fr/").status_code == 404
    assert client.get("/de/thoi-su/").status_code == 404
    assert client.get("/xx-yy/").status_code == 404


def test_missing_page_is_404_with_help(client, portal):
    response = client.get("/vi/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_section_paginates_and_survives_bad_page_numbers(client, portal):
    section = portal.sections["thoi-su"]
    for value in ("1", "999", "abc", "-1"):
        response = client.get(section.url, {"trang": value})
        assert response.status_code == 200
        assert portal.articles[0].title in response.content.decode()


def test_draft_is_not_public(client, portal):
    from doingoai.portal.models import ArticlePage
    from tests.factories import add_page, article_fields

    draft = add_page(portal.sections["thoi-su"], ArticlePage, publish=False, **article_fields(50))
    assert client.get(f"{portal.sections['thoi-su'].url}{draft.slug}/").status_code == 404
    assert draft.title not in client.get("/vi/").content.decode()
