"""The portal's own fonts for Chinese (Simplified) and Lao: linked from those languages' pages
only, every file the stylesheets name is shipped, and they cover the demo content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from doingoai.settings.base import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
STYLESHEETS = {"zh-hans": "portal/fonts-zh-hans.css", "lo": "portal/fonts-lo.css"}
FACE = re.compile(r"@font-face\{([^}]*)\}")


def faces(stylesheet: str) -> list[dict[str, str]]:
    css = Path(finders.find(stylesheet)).read_text()
    out = []
    for body in FACE.findall(css):
        declarations = dict(part.split(":", 1) for part in body.split(";") if part)
        out.append({key.strip(): value.strip() for key, value in declarations.items()})
    return out


def code_points(unicode_range: str) -> set[int]:
    points: set[int] = set()
    for part in unicode_range.split(","):
        part = part.strip().upper().removeprefix("U+")
        start, _, end = part.partition("-")
        points.update(range(int(start, 16), int(end or start, 16) + 1))
    return points


def url_of(face: dict[str, str]) -> str:
    return re.match(r'url\(([^)]+)\) format\("woff2"\)$', face["src"]).group(1)


def covered(stylesheet: str, family: str, weight: str = "400") -> set[int]:
    return set().union(
        *(
            code_points(face["unicode-range"])
            for face in faces(stylesheet)
            if face["font-family"] == f'"{family}"' and face["font-weight"] == weight
        )
    )


def stylesheet_links(response) -> list[str]:
    html = BeautifulSoup(response.content, "html.parser")
    return [link["href"] for link in html.find_all("link", rel="stylesheet")]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en", "zh-hans", "lo"])
def test_only_chinese_and_lao_pages_link_a_font_stylesheet(client, portal, language):
    article = portal.articles[0]
    localized = article.get_translation_or_none(portal.locales[language]) or portal.translate(
        article, language, title=f"Article [{language}]"
    )
    for url in (f"/{language}/", localized.url):
        fonts = [href for href in stylesheet_links(client.get(url)) if "/fonts" in href]
        if language in STYLESHEETS:
            assert fonts == [f"/static/{STYLESHEETS[language]}"], url
        else:
            assert fonts == [], url  # Vietnamese and English pages download nothing extra


# --- stylesheets and files -----------------------------------------------------------------


@pytest.mark.parametrize("language", STYLESHEETS)
def test_every_face_is_a_shipped_woff2_with_swap_and_a_range(language):
    stylesheet = STYLESHEETS[language]
    found = faces(stylesheet)
    assert found
    css_dir = Path(finders.find(stylesheet)).parent
    for face in found:
        assert face["font-display"] == "swap"
        assert face["unicode-range"]
        url = url_of(face)
        assert not url.startswith(("/", "http")), "relative to the stylesheet"
        path = css_dir / url
        assert finders.find(f"portal/{url}") == str(path)
        assert path.read_bytes()[:4] == b"wOF2", url


def test_latin_never_pulls_a_web_font():
    """Latin, Vietnamese and digits keep the portal's fonts: no face claims them."""
    latin = set(range(0x0250)) | set(range(0x1E00, 0x1F00))
    for stylesheet in STYLESHEETS.values():
        for face in faces(stylesheet):
            assert not code_points(face["unicode-range"]) & latin, face["src"]


def test_the_stylesheets_name_their_families_for_the_page_language():
    zh = Path(finders.find(STYLESHEETS["zh-hans"])).read_text()
    lo = Path(finders.find(STYLESHEETS["lo"])).read_text()
    assert re.search(r'html:lang\(zh-Hans\)[^{]*\{font-family:[^}]*"Noto Sans SC"', zh)
    assert re.search(r'html:lang\(lo\)[^{]*\{font-family:[^}]*"Noto Sans Lao"', lo)


def test_the_shipped_files_are_listed_and_licensed():
    fonts = ROOT / "doingoai" / "static" / "portal" / "fonts"
    referenced = {url_of(face) for sheet in STYLESHEETS.values() for face in faces(sheet)}
    shipped = {str(path.relative_to(fonts.parent)) for path in fonts.rglob("*.woff2")}
    assert shipped == referenced  # no orphan file
    readme = (fonts / "README.md").read_text()
    for name in ("@fontsource/noto-sans-sc", "@fontsource/noto-sans-lao", "OFL"):
        assert name in readme
    for licence in ("OFL-NotoSansSC.txt", "OFL-NotoSansLao.txt"):
        assert "SIL Open Font License" in (fonts / licence).read_text()
    total = sum(path.stat().st_size for path in fonts.rglob("*.woff2"))
    assert total < 3_000_000


# --- coverage ------------------------------------------------------------------------------


def demo_text() -> str:
    sources = [
        *(ROOT / "doingoai" / "demo").rglob("*.json"),
        ROOT / "doingoai" / "demo" / "loader.py",
        *(ROOT / "doingoai").rglob("locale/*/LC_MESSAGES/django.po"),
    ]
    return "".join(path.read_text(encoding="utf-8") for path in sources)


def test_the_chinese_faces_cover_every_han_character_of_the_demo_content():
    han = {
        ord(char)
        for char in demo_text()
        if "\u3000" <= char <= "\u303f"
        or "\u4e00" <= char <= "\u9fff"
        or "\uff00" <= char <= "\uffef"
    }
    assert len(han) > 300
    missing = han - covered(STYLESHEETS["zh-hans"], "Noto Sans SC")
    assert not missing, "".join(map(chr, sorted(missing)))


def test_the_lao_faces_cover_every_lao_character_of_the_demo_content():
    lao = {ord(char) for char in demo_text() if "\u0e80" <= char <= "\u0eff"}
    assert len(lao) > 40
    for weight in ("400", "700"):
        missing = lao - covered(STYLESHEETS["lo"], "Noto Sans Lao", weight)
        assert not missing, "".join(map(chr, sorted(missing)))


def test_each_page_can_show_the_other_scripts_language_name():
    """The language switcher names every language in its own script, on every page."""
    names = dict(LANGUAGES)
    assert {ord(c) for c in names["lo"]} <= covered(STYLESHEETS["zh-hans"], "Noto Sans Lao")
    assert {ord(c) for c in names["zh-hans"]} <= covered(STYLESHEETS["lo"], "Noto Sans SC")


def test_the_font_files_have_the_glyphs_their_ranges_promise():
    pytest.importorskip("brotli")  # reading woff2 needs it (the ``dev`` extra)
    from fontTools.ttLib import TTFont

    for stylesheet in STYLESHEETS.values():
        css_dir = Path(finders.find(stylesheet)).parent
        for face in faces(stylesheet):
            cmap = set(TTFont(css_dir / url_of(face)).getBestCmap())
            assert code_points(face["unicode-range"]) <= cmap, face["src"]
