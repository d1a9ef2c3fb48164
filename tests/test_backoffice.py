"""The back office is the province's: its name, emblem and colours, our Vietnamese staff guide
in the Help menu (none of Wagtail's links), and staff names family name first."""

from __future__ import annotations

import colorsys
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.admin.utils import get_user_display_name

from doingoai.backoffice import guide
from doingoai.demo.loader import DEMO_USERS

pytestmark = pytest.mark.django_db

ROLES = ["reporter", "editor", "approver", "administrator"]
CSS = Path(settings.BASE_DIR) / "doingoai/backoffice/static/backoffice/backoffice.css"


def sidebar_links(html: str) -> dict[str, str]:
    """label → URL of every menu item in the sidebar's props (help menu included)."""
    soup = BeautifulSoup(html, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    links: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            args = node.get("_args")
            if isinstance(args, list) and args and isinstance(args[0], dict) and "label" in args[0]:
                links[args[0]["label"]] = args[0].get("url", "")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return links


# --- 1. Branding ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_dashboard_and_help_menu_are_the_provinces_not_wagtails(client, portal, role):
    client.force_login(portal.users[role])
    html = client.get("/quan-tri/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert "wagtail.org" not in html
    assert not re.search(r"Wagtail\s*\d", html), "a Wagtail version is shown"
    assert "icon-wagtail" not in html  # the bird
    assert soup.title.get_text().strip().endswith(settings.WAGTAIL_SITE_NAME)
    assert soup.find("h1").get_text(strip=True) == settings.WAGTAIL_SITE_NAME
    favicon = soup.find("link", rel="icon")
    assert favicon["href"].endswith("portal/emblem.svg")
    branding = soup.find("template", attrs={"data-wagtail-sidebar-branding-logo": True})
    logo = BeautifulSoup(branding.decode_contents(), "html.parser")
    assert logo.find("img")["src"].endswith("portal/emblem.svg")
    assert settings.WAGTAIL_SITE_NAME in logo.get_text()
    assert soup.find("link", href=re.compile(r"backoffice/backoffice\.css"))
    # the Help menu: our guide, none of Wagtail's links ("What's new", the editor guide)
    links = sidebar_links(html)
    assert links.get("Hướng dẫn sử dụng") == "/quan-tri/huong-dan/"
    assert not [url for url in links.values() if "wagtail" in url]
    assert not [label for label in links if "Wagtail" in label]
    assert 'href="/quan-tri/huong-dan/"' in html  # the dashboard's account summary too


def test_sign_in_page_wears_the_provinces_name(client, settings):
    settings.WAGTAIL_SITE_NAME = "Cổng thông tin đối ngoại tỉnh Lai Châu"
    html = client.get("/quan-tri/login/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h1")
    assert "Cổng thông tin đối ngoại tỉnh Lai Châu" in heading.get_text()
    assert "Đăng nhập trang quản trị" in heading.get_text()
    assert heading.find("img", src=re.compile(r"portal/emblem\.svg$"))["alt"] == ""
    assert "Wagtail" not in soup.get_text()
    assert "icon-wagtail" not in html
    assert soup.title.get_text().strip().endswith("Cổng thông tin đối ngoại tỉnh Lai Châu")


def test_password_reset_and_lockout_pages_are_branded(client, settings):
    html = client.get("/quan-tri/password_reset/").content.decode()
    assert "Wagtail" not in BeautifulSoup(html, "html.parser").get_text()
    assert "portal/emblem.svg" in html
    officer = make_officer()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/quan-tri/login/", {"username": officer.username, "password": "x"})
    assert response.status_code == 429
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Đăng nhập sai quá nhiều lần" in soup.get_text()
    assert soup.title.get_text().strip().endswith(settings.WAGTAIL_SITE_NAME)
    assert soup.find("link", rel="icon")["href"].endswith("portal/emblem.svg")
    assert soup.find("link", href=re.compile(r"backoffice/backoffice\.css"))


def _hsl(css: str, name: str) -> tuple[float, float, float]:
    values = [
        float(re.search(rf"--w-color-{name}-{part}:\s*([\d.]+)%?;", css).group(1))
        for part in ("hue", "saturation", "lightness")
    ]
    return values[0], values[1], values[2]


def _rgb(h: float, s: float, lightness: float) -> tuple[float, float, float]:
    return colorsys.hls_to_rgb(h / 360, lightness / 100, s / 100)


def _contrast(a, b) -> float:
    def luminance(rgb) -> float:
        channel = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_brand_colours_keep_wcag_aa_contrast():
    """Wagtail derives its shades from our primary and secondary colours (offsets from its
    core.css): text on them and them on white stay at 4.5:1 or more."""
    css = CSS.read_text()
    white = (1.0, 1.0, 1.0)
    h, s, lightness = _hsl(css, "primary")
    assert _contrast(white, _rgb(h, s, lightness)) >= 4.5  # sidebar text, labels
    assert _contrast(white, _rgb(h, s, lightness - 4.1)) >= 4.5  # active menu item
    h, s, lightness = _hsl(css, "secondary")
    assert _contrast(white, _rgb(h, s, lightness)) >= 4.5  # buttons, links
    assert _contrast(white, _rgb(h, s, lightness - 6.3)) >= 4.5  # hover
    assert _contrast(white, _rgb(h, s, lightness + 10)) >= 4.5  # secondary-100 links
    assert lightness + 72.2 < 100  # secondary-50 stays a tint, not white
    on_dark = re.search(r"--backoffice-link-on-dark:\s*#([0-9a-f]{6})", css).group(1)
    link = tuple(int(on_dark[i : i + 2], 16) / 255 for i in (0, 2, 4))
    dark_page = _rgb(0, 0, 11.4 + 3.5)  # Wagtail's dark theme page (grey-600)
    assert _contrast(link, dark_page) >= 4.5


# --- 2. The staff guide --------------------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_guide_page_is_open_to_every_role(client, portal, role):
    client.force_login(portal.users[role])
    response = client.get("/quan-tri/huong-dan/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    article = soup.find("article", class_="guide")
    text = article.get_text(" ", strip=True)
    for term in (
        "Gửi duyệt",
        "Văn bản thay thế",
        "Yêu cầu chỉnh sửa",
        "Hẹn giờ xuất bản",
        "Gỡ xuất bản",
        "Bản dịch",
        "Chuyên mục",
        "Banner",
        "Sổ theo dõi đối ngoại",
        "Báo cáo định kỳ",
        "vụ việc",
        "Duy trì đăng nhập",
        "Đăng nhập sai quá nhiều lần",
    ):
        assert term.lower() in text.lower(), term
    contents = [link["href"] for link in soup.select("nav.guide-contents a")]
    assert len(contents) >= 8
    for href in contents:
        assert article.find(id=href[1:]), href
    images = article.find_all("img")
    assert len(images) >= 10
    for image in images:
        assert image["alt"].strip()
        picture = client.get(image["src"])
        assert picture.status_code == 200
        assert picture["Content-Type"] == "image/png"


def test_guide_needs_a_signed_in_officer(client, portal):
    assert client.get("/quan-tri/huong-dan/").status_code == 302
    name = next(guide.IMAGE_DIR.glob("*.png")).name
    assert client.get(f"/quan-tri/huong-dan/anh/{name}").status_code == 302


def test_guide_serves_only_its_own_pictures(client, portal):
    client.force_login(portal.users["reporter"])
    for name in ("huong-dan.md", "khong-co.png", "dang-nhap.PNG", ".hidden.png"):
        assert client.get(f"/quan-tri/huong-dan/anh/{name}").status_code == 404, name
    escape = client.get("/quan-tri/huong-dan/anh/..%2Fhuong-dan.md", follow=True)
    assert escape.status_code == 404


def test_guide_pictures_are_referenced_and_small():
    source = guide.GUIDE_FILE.read_text(encoding="utf-8")
    referenced = set(re.findall(r"\]\(anh/([^)\s]+)", source))
    on_disk = {path.name for path in guide.IMAGE_DIR.glob("*.png")}
    assert referenced == on_disk
    for path in guide.IMAGE_DIR.glob("*.png"):
        assert path.stat().st_size < 400_000, path.name


def test_guide_markdown_subset_is_escaped():
    rendered = guide.render(
        "# Tiêu đề\n\nĐoạn có **đậm**, *nghiêng*, `mã <b>` và <script>x</script>.\n\n"
        "- một\n- [hai](https://example.org/)\n- [ba](javascript:alert(1))\n\n"
        "1. bước\n2. bước [nội bộ](/quan-tri/)\n\nđoạn\n\n3. tiếp\n\n"
        '![Mô tả ảnh](anh/a.png "Chú thích")\n\n![x](../secret.png)\n\n'
        "> Ghi chú\n\n| Cột | Nghĩa |\n|---|---|\n| A | B |\n\n## Mục một\n\n## Mục một\n",
        image_url=lambda src: "/anh/a.png" if src == "anh/a.png" else None,
    )
    assert rendered.title == "Tiêu đề"
    html = rendered.html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>đậm</strong>" in html and "<em>nghiêng</em>" in html
    assert "<code>mã &lt;b&gt;</code>" in html
    assert '<a href="https://example.org/" target="_blank" rel="noreferrer">hai</a>' in html
    assert "javascript:" not in html
    assert '<a href="/quan-tri/">nội bộ</a>' in html
    assert html.count("<li>") == 6 and "<ol>" in html and "<ul>" in html
    assert '<ol start="3"><li>tiếp</li></ol>' in html
    assert '<img src="/anh/a.png" alt="Mô tả ảnh"' in html and "<figcaption>Chú thích" in html
    assert "secret" not in html
    assert '<aside class="guide-note"><p>Ghi chú</p></aside>' in html
    assert '<th scope="col">Cột</th>' in html and "<td>B</td>" in html
    assert rendered.contents == [("muc-mot", "Mục một"), ("muc-mot-2", "Mục một")]


# --- 4. Names, family name first -----------------------------------------------------------------
def make_officer(username="bientap_test", first="Minh", last="Trần Văn"):
    from doingoai.accounts.services import user_create_with_role

    return user_create_with_role(
        username=username,
        password="doingoai-test-2026",
        role="editor",
        first_name=first,
        last_name=last,
    )


def test_names_read_family_name_first():
    user = get_user_model()(username="x", first_name="Minh", last_name="Trần Văn")
    assert user.get_full_name() == "Trần Văn Minh"
    assert user.get_short_name() == "Minh"
    assert get_user_display_name(user) == "Trần Văn Minh"
    assert get_user_model()(username="chi_ten", first_name="Minh").get_full_name() == "Minh"
    assert get_user_display_name(get_user_model()(username="khong_ten")) == "khong_ten"


def test_demo_accounts_keep_the_given_name_in_first_name():
    """The demo's (username, role, given name, family and middle names) reads family first."""
    names = {
        username: get_user_model()(first_name=given, last_name=family).get_full_name()
        for username, _role, given, family in DEMO_USERS
    }
    assert names["bientap"] == "Trần Văn Minh"
    assert names["phongvien"] == "Nguyễn Thị Lan"
    assert names["canbo_batxat"] == "Lý Seo Sáng"


def test_wagtail_shows_names_family_first(client, portal):
    """Page history, the dashboard's account summary and the user list."""
    editor = make_officer()
    article = portal.articles[0]
    article.save_revision(user=editor, log_action=True)
    client.force_login(editor)
    history = client.get(f"/quan-tri/pages/{article.pk}/history/").content.decode()
    assert "Trần Văn Minh" in history
    assert "Minh Trần Văn" not in history
    dashboard = client.get("/quan-tri/").content.decode()
    assert "Trần Văn Minh" in dashboard and "Minh Trần Văn" not in dashboard
    # the page editor (its content checks panel linked Wagtail's English guide)
    editor_html = client.get(f"/quan-tri/pages/{article.pk}/edit/").content.decode()
    assert "wagtail.org" not in editor_html
    client.force_login(portal.users["administrator"])
    users = client.get("/quan-tri/users/").content.decode()
    assert "Trần Văn Minh" in users and "Minh Trần Văn" not in users


def test_user_forms_ask_family_and_middle_names_first(client, portal):
    editor = make_officer()
    client.force_login(portal.users["administrator"])
    for url in (
        reverse("wagtailusers_users:add"),
        reverse("wagtailusers_users:edit", args=[editor.pk]),
    ):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        labels = [label.get_text(" ", strip=True).rstrip("*").strip() for label in soup("label")]
        assert "Họ và tên đệm" in labels and "Tên" in labels, url
        assert labels.index("Họ và tên đệm") < labels.index("Tên"), url
    client.force_login(editor)
    soup = BeautifulSoup(client.get("/quan-tri/account/").content, "html.parser")
    labels = [label.get_text(" ", strip=True).rstrip("*").strip() for label in soup("label")]
    assert labels.index("Họ và tên đệm") < labels.index("Tên")
    assert soup.find("input", attrs={"name": "name_email-last_name"})["value"] == "Trần Văn"
    assert "Wagtail" not in soup.get_text()  # "phím tắt riêng của trang quản trị"


def test_report_list_shows_its_author_family_name_first(client, portal):
    from doingoai.registers.models import Unit, UnitMembership
    from doingoai.registers.services import registers_grant_permissions
    from doingoai.reports.periods import PeriodKind, period_from_input
    from doingoai.reports.services import report_create

    registers_grant_permissions()
    unit = Unit.objects.create(name="Sở Ngoại vụ", kind=Unit.Kind.DEPARTMENT)
    officer = make_officer(username="canbo_ngoaivu", first="Hà", last="Phạm Thu")
    UnitMembership.objects.create(user=officer, unit=unit)
    report_create(user=officer, period=period_from_input(PeriodKind.YEAR.value, 2024), unit=unit)
    client.force_login(officer)
    html = client.get("/quan-tri/bao-cao-dinh-ky/").content.decode()
    assert "Phạm Thu Hà" in html and "Hà Phạm Thu" not in html
