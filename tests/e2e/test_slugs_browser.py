"""In headless Chromium: the admin's live slug field writes a title's address as the server
does (doingoai.text.slugs), in the four languages, and a saved page keeps it."""

import pytest
from wagtail.models import Page

from doingoai.portal.models import ArticlePage
from doingoai.text.slugs import slugify_title
from tests.e2e.test_editorial_flow import open_actions_and_click, sign_in
from tests.factories import build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = {
    "vi": "Thông tin cửa khẩu quốc tế Lào Cai đóng cửa vô thời hạn từ ngày 10/12 là sai sự thật",
    "en": "Lào Cai – Honghe media cooperation, 2024–2030",
    "zh-hans": "老街省与红河州加强媒体合作",
    "lo": "ຄະນະນັກຂ່າວລາວ ຢ້ຽມຢາມ ແຂວງລາວກາຍ",
}


def wait_for_slug(page, expected: str, language: str) -> None:
    try:
        page.wait_for_function(
            "expected => document.querySelector('#id_slug').value === expected",
            arg=expected,
            timeout=5000,
        )
    except Exception:
        shown = page.input_value("#id_slug")
        raise AssertionError(f"{language}: the field shows {shown!r}, not {expected!r}") from None


def test_live_slug_field_matches_the_server_in_four_languages(live_server, new_page, settings):
    settings.ALLOWED_HOSTS = ["*"]
    portal = build_portal(n_articles=1)
    section = portal.sections["thoi-su"]
    editor = new_page()
    sign_in(editor, live_server.url, portal.users["editor"])
    for language, title in TITLES.items():
        parent = Page.objects.get(
            translation_key=section.translation_key, locale__language_code=language
        )
        editor.goto(f"{live_server.url}/quan-tri/pages/add/portal/articlepage/{parent.pk}/")
        editor.fill("#id_title", title)
        editor.locator("#id_title").blur()
        expected = slugify_title(title, language)
        assert expected and expected.isascii()
        wait_for_slug(editor, expected, language)
        # typing more keeps the address in step with the headline
        editor.locator("#id_title").press("End")
        editor.locator("#id_title").press_sequentially(" 2026")
        editor.locator("#id_title").blur()
        expected = slugify_title(title + " 2026", language)
        wait_for_slug(editor, expected, language)
        if language == "vi":
            editor.fill("#id_lead", "Thông tin chính thức về hoạt động của cửa khẩu.")
            open_actions_and_click(editor, "button[name='action-submit']")
            editor.wait_for_load_state("networkidle")
            saved = ArticlePage.objects.get(title=title + " 2026")
            assert saved.slug == expected
            assert saved.slug.startswith("thong-tin-cua-khau-quoc-te-lao-cai-dong-cua-vo-thoi")
