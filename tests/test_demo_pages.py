"""The demo province as a reader sees it, in every language: clean addresses (the old ones
redirect), full sections, picture texts in the page's language, "most read" lists; and a
reload of a database made by an older demo (old addresses, merged stories, no picture texts).

The demo's pages are loaded once for the module, inside a transaction rolled back at the end;
each test runs in its own savepoint on top of it."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale

from doingoai.demo.loader import LANGUAGES, SECTION_SLUGS, DemoLoader, demo_articles
from doingoai.portal.models import ArticlePage, PhotoStoryPage, SectionPage
from doingoai.portal.selectors import most_read_items

pytestmark = pytest.mark.django_db
CLEAN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _loader() -> DemoLoader:
    loader = DemoLoader()
    for code in LANGUAGES:
        loader.locales[code], _ = Locale.objects.get_or_create(language_code=code)
    return loader


def _load_pages(loader: DemoLoader) -> dict:
    homes = loader.load_homes()
    sections = loader.load_sections(homes)
    loader.load_articles(sections)
    return sections


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        loader = _loader()
        sections = _load_pages(loader)
        loader.load_visits()
        yield sections
        transaction.set_rollback(True)


def item_with(predicate) -> dict:
    return next(item for item in demo_articles() if predicate(item))


def html(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_one_page_per_story_and_language_with_a_clean_address(demo):
    slugs = list(ArticlePage.objects.values_list("slug", flat=True))
    assert len(slugs) == sum(1 + len(item.get("translations") or {}) for item in demo_articles())
    for slug in slugs:
        assert CLEAN_SLUG.match(slug) and not slug.startswith(("a-", "b-")), slug


@pytest.mark.parametrize(("language", "least"), [("en", 3), ("zh-hans", 1), ("lo", 1)])
def test_every_section_has_live_stories_in_every_language(demo, language, least):
    locale = Locale.objects.get(language_code=language)
    sections = SectionPage.objects.filter(locale=locale)
    assert sections.count() == len(demo)
    for section in sections:
        assert ArticlePage.objects.child_of(section).live().count() >= least, section.title
    if language == "en":
        assert {section.slug for section in sections} == set(SECTION_SLUGS["en"].values())
        featured = ArticlePage.objects.live().filter(locale=locale, is_featured=True)
        assert featured.count() >= 4


def test_hero_picture_texts_follow_the_page_language(client, demo):
    item = item_with(lambda i: i["kind"] == "article" and "en" in i.get("translations", {}))
    page = ArticlePage.objects.get(slug=item["slug"])
    for language, texts in (("vi", item), ("en", item["translations"]["en"])):
        localized = page.get_translation(Locale.objects.get(language_code=language))
        figure = html(client.get(localized.url)).find("figure", class_="article__hero")
        assert figure.find("img")["alt"] == texts["image"]["alt"], language
        assert figure.find("figcaption").get_text().startswith(texts["image"]["caption"])


def test_translated_photo_stories_and_videos_use_their_own_texts(client, demo):
    item = item_with(lambda i: i["kind"] == "photo" and "en" in i.get("translations", {}))
    english = PhotoStoryPage.objects.get(slug=item["translations"]["en"]["slug"])
    figures = html(client.get(english.url)).select(".photo-story figure")
    expected = item["translations"]["en"]["photos"]
    assert [figure.find("img")["alt"] for figure in figures] == [p["alt"] for p in expected]
    assert [figure.figcaption.get_text() for figure in figures] == [p["caption"] for p in expected]
    video = item_with(lambda i: i["kind"] == "video" and "en" in i.get("translations", {}))
    text = video["translations"]["en"]
    page = ArticlePage.objects.get(slug=text["slug"]).specific
    assert page.video[0].value["transcript"] == text["video"]["transcript"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_most_read_lists_stories_in_every_language(client, demo, language):
    locale = Locale.objects.get(language_code=language)
    most_read = most_read_items(locale=locale)
    assert len(most_read) == 5
    assert all(item.locale_id == locale.pk for item in most_read)
    home = html(client.get(f"/{language}/")).get_text()
    with translation.override(language):
        assert gettext("No figures yet.") not in home
    assert all(item.title in home for item in most_read)


def test_foreign_readers_are_fewer_than_vietnamese_ones(demo):
    from django.db.models import Sum

    from doingoai.visitors.models import PageDailyVisits

    views = dict(
        PageDailyVisits.objects.values("locale")
        .annotate(total=Sum("views"))
        .values_list("locale", "total")
    )
    assert set(views) == set(LANGUAGES)
    assert views["vi"] > views["en"] > views["zh-hans"] > views["lo"] > 0


def test_reload_of_an_older_demo_database(client, demo):
    """An older demo had writer prefixes in its addresses, two stories for some events and no
    picture texts on its pages. A reload renames (same pages, old addresses redirect), merges
    (the duplicate's address leads to the story that stays) and fills the texts; a second
    reload changes nothing. A page someone edited in the admin is left alone."""
    item = item_with(lambda i: len(i.get("former_slugs", [])) > 1 and "en" in i["translations"])
    old_slug, duplicate_slug = item["former_slugs"][:2]
    page = ArticlePage.objects.get(slug=item["slug"])
    english = page.get_translation(Locale.objects.get(language_code="en")).specific
    count = ArticlePage.objects.count()

    page.slug, page.hero_alt, page.hero_caption = old_slug, "", ""
    page.save_revision().publish()
    english.hero_alt = ""
    english.save_revision().publish()
    old_url = ArticlePage.objects.get(pk=page.pk).url
    duplicate = page.copy(update_attrs={"slug": duplicate_slug, "title": "Tin trùng sự kiện"})
    duplicate.save_revision().publish()
    duplicate_en = duplicate.copy_for_translation(english.locale)
    duplicate_en.slug = "older-duplicate"
    duplicate_en.save()
    duplicate_en.save_revision().publish()
    duplicate_urls = (duplicate.url, duplicate_en.url)
    edited = (
        ArticlePage.objects.live()
        .filter(locale=page.locale)
        .exclude(pk__in=(page.pk, duplicate.pk))
        .first()
    )
    edited.title = "Tiêu đề do biên tập viên sửa"
    edited.save_revision(user=get_user_model().objects.create(username="bientap")).publish()

    loader = _loader()
    _load_pages(loader)
    assert loader.report.pages_created == 0
    assert loader.report.pages_merged == 1
    assert ArticlePage.objects.count() == count
    page.refresh_from_db()
    english.refresh_from_db()
    assert page.slug == item["slug"] and not ArticlePage.objects.filter(slug=old_slug).exists()
    assert (page.hero_alt, page.hero_caption) == (item["image"]["alt"], item["image"]["caption"])
    assert english.hero_alt == item["translations"]["en"]["image"]["alt"]
    assert ArticlePage.objects.get(pk=edited.pk).title == "Tiêu đề do biên tập viên sửa"
    for url, target in ((old_url, page), *zip(duplicate_urls, (page, english), strict=True)):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"].endswith(target.url), url

    again = _loader()
    _load_pages(again)
    assert (again.report.pages_created, again.report.pages_updated) == (0, 0)
    assert again.report.pages_merged == 0
