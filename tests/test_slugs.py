"""Page addresses made from titles: Vietnamese without marks, Chinese in pinyin, Lao
romanised — on the server (``slugify_title``) as in the admin's live slug field (the same
rules, checked in the browser by tests/e2e/test_slugs_browser.py)."""

import json
import re
import unicodedata

import pytest
from django.utils.text import slugify

from doingoai.portal.forms import PortalPageForm
from doingoai.portal.models import ArticlePage, SectionPage
from doingoai.text.slugs import MAX_LENGTH, formatters_for, slugify_title
from tests.factories import article_fields

ISSUE_TITLE = "Thông tin cửa khẩu quốc tế Lào Cai đóng cửa vô thời hạn từ ngày 10/12 là sai sự thật"


def test_the_title_of_the_issue_reads_as_itself_without_marks():
    assert slugify_title(ISSUE_TITLE) == (
        "thong-tin-cua-khau-quoc-te-lao-cai-dong-cua-vo-thoi-han-tu-ngay-10-12-la-sai-su-that"
    )
    # Django's slugify, Wagtail's default on the server, drops đ ("đóng" → "ong")
    assert "-ong-cua-" in slugify(ISSUE_TITLE)


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Điện Biên Phủ", "dien-bien-phu"),
        ("ĐẢNG BỘ TỈNH LÀO CAI", "dang-bo-tinh-lao-cai"),
        (
            "Bão số 3 (Yagi): “thông tin đi trước một bước”",
            "bao-so-3-yagi-thong-tin-di-truoc-mot-buoc",
        ),
        ("Hoà – hòa, thuỷ – thủy", "hoa-hoa-thuy-thuy"),
        ("Ưu tiên ươm mầm ở Mường Khương", "uu-tien-uom-mam-o-muong-khuong"),
        ("  Tin   ngắn  ", "tin-ngan"),
        ("Lào Cai – Honghe: MOU 2024–2030", "lao-cai-honghe-mou-2024-2030"),
        ("Zürich, São Paulo, Ångström", "zurich-sao-paulo-angstrom"),
        ("!!!", ""),
    ],
)
def test_vietnamese_and_other_latin_titles(title, expected):
    assert slugify_title(title, "vi") == expected
    assert slugify_title(title, "en") == expected


def test_decomposed_vietnamese_gives_the_same_address():
    title = "Tiếng Việt, Đắk Lắk"
    assert slugify_title(unicodedata.normalize("NFD", title)) == slugify_title(title)
    assert slugify_title(title) == "tieng-viet-dak-lak"


@pytest.mark.parametrize(
    "title, expected",
    [
        ("老街省与红河州加强媒体合作", "lao-jie-sheng-yu-hong-he-zhou-jia-qiang-mei-ti-he-zuo"),
        ("中越边境 2024 年", "zhong-yue-bian-jing-2024-nian"),
        ("老街 Lào Cai", "lao-jie-lao-cai"),
    ],
)
def test_chinese_titles_are_written_in_pinyin(title, expected):
    assert slugify_title(title, "zh-hans") == expected


@pytest.mark.parametrize(
    "title, expected",
    [
        ("ວຽງຈັນ", "viangchan"),
        ("ຫຼວງພະບາງ", "louangphabang"),
        ("ແຂວງລາວກາຍ", "khaeonglaokai"),
        ("ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ", "sathalanalat-paxathipatai-paxaxonlao"),
        ("ຫົວພັນ ແລະ ອຸດົມໄຊ ໒໐໒໔", "houaphan-lae-oudomxai-2024"),
    ],
)
def test_lao_titles_are_romanised(title, expected):
    assert slugify_title(title, "lo") == expected


def test_addresses_are_ascii_and_bounded():
    long_title = "Thông tin đối ngoại " * 40
    slug = slugify_title(long_title)
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-")
    assert re.fullmatch(r"[a-z0-9-]+", slug)


def test_the_browser_gets_the_same_rules_as_json_patterns():
    """Every pattern compiles in Python, and the list for Chinese stays small enough for
    the editor page (it is sent in a data attribute)."""
    for language in ("vi", "en", "zh-hans", "lo"):
        for pattern, replacement in formatters_for(language):
            re.compile(pattern)
            assert "\\g<" not in replacement
    size = len(json.dumps(formatters_for("zh-hans"), ensure_ascii=False).encode())
    assert size < 40_000


@pytest.mark.django_db
def test_a_page_saved_without_an_address_gets_it_from_its_title(portal):
    section = portal.sections["thoi-su"]
    fields = article_fields(20, title=ISSUE_TITLE)
    fields.pop("slug", None)
    page = ArticlePage(**fields)
    section.add_child(instance=page)
    assert page.slug.startswith("thong-tin-cua-khau-quoc-te-lao-cai-dong-cua")
    twin = ArticlePage(**{**fields})
    section.add_child(instance=twin)
    assert twin.slug == page.slug + "-2"  # Wagtail's de-duplication still applies


@pytest.mark.django_db
def test_chinese_page_saved_without_an_address(portal):
    section = SectionPage.objects.get(
        translation_key=portal.sections["thoi-su"].translation_key,
        locale__language_code="zh-hans",
    )
    fields = article_fields(21, title="老街省与红河州加强媒体合作")
    fields.pop("slug", None)
    page = ArticlePage(**fields)
    section.add_child(instance=page)
    assert page.slug == "lao-jie-sheng-yu-hong-he-zhou-jia-qiang-mei-ti-he-zuo"


@pytest.mark.django_db
def test_the_admin_slug_field_carries_the_rules_of_its_language(portal):
    from wagtail.admin.panels import get_edit_handler

    section = portal.sections["thoi-su"]
    form_class = get_edit_handler(ArticlePage).get_form_class()
    assert issubclass(form_class, PortalPageForm)
    for language in ("vi", "zh-hans"):
        parent = SectionPage.objects.get(
            translation_key=section.translation_key, locale__language_code=language
        )
        form = form_class(
            instance=ArticlePage(), parent_page=parent, for_user=portal.users["editor"]
        )
        attrs = form.fields["slug"].widget.attrs
        formatters = json.loads(attrs["data-w-slug-formatters-value"])
        assert len(formatters) == len(formatters_for(language))
        assert attrs["data-w-slug-locale-value"] == language
        assert attrs["data-controller"] == "w-slug"
