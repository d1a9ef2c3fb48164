"""Precision of the portal search on the demo content: the judged queries of
bench/queries_judged.txt (precision@5 floors), words that stand together listed first, only
the spellings typed marked, Chinese and Lao words found inside their sentences. Runs on SQLite
FTS5 and on PostgreSQL (DATABASE_URL), like tests/test_search.py."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import transaction

from doingoai.text.vietnamese import words

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
URL = "/vi/tim-kiem/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
# The floors of the judged set (bench/search_precision.py prints the same figures). After the
# change every judged query but one has all its relevant pages in its first five, and first
# (1.00); "storm Yagi" finds the two English pages that say "storm" and not the two that only
# say "typhoon" (no synonyms: 0.50), so the mean is 0.97-0.98 with or without bm25, on SQLite
# and on PostgreSQL. 0.95 leaves room for one more such query, not for scattered words
# listed before the pages where they stand together: the search as it was scored 0.94 and,
# ranked as on a large portal (no bm25), 0.82 on the "first" measure.
MEAN_FLOOR = 0.95
QUERY_FLOOR = 0.5

# The judged set, its loading and its measures are bench/search_precision.py's.
_spec = importlib.util.spec_from_file_location(
    "search_precision", ROOT / "bench" / "search_precision.py"
)
precision = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(precision)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo portal's pages, loaded once for the module (rolled back at its end)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            precision.load_demo_pages()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(params=["bm25", "large-portal"])
def ranking(request, monkeypatch):
    """Ranked as on the demo, and as on a large portal (a common word's bm25 is never
    computed there: where the query matches and the dates decide)."""
    if request.param == "large-portal":
        from doingoai.search import backends

        monkeypatch.setattr(backends, "BM25_MAX_ROWS", -1)
    return request.param


def search(client, q, language="vi"):
    response = client.get(f"/{language}/tim-kiem/", {"q": q}, HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def listing(html) -> list[str]:
    """Titles and group notes in the order shown: notes as "-- <group>"."""
    out = []
    for node in html.select(".search-results__other, .search-result .card__title a"):
        if "search-results__other" in node.get("class", []):
            group = [c for c in node["class"] if c.startswith("search-results__other--")]
            out.append("-- " + group[0].removeprefix("search-results__other--"))
        else:
            out.append(node.get_text(strip=True))
    return out


# --- the judged set -------------------------------------------------------------------------


def test_judged_queries_reach_their_precision_floor(demo, ranking):
    rows = precision.evaluate(precision.read_judged())
    report = "\n".join(
        f"{row['precision']:.2f} {row['first']:.2f} {row['language']:<7} {row['query']}"
        for row in rows
    )
    print(f"precision@5, first ({ranking}):\n{report}")
    assert len(rows) >= 20
    assert {row["language"] for row in rows} == {"vi", "en", "zh-hans", "lo"}
    assert statistics.mean(row["precision"] for row in rows) >= MEAN_FLOOR, report
    assert statistics.mean(row["first"] for row in rows) >= MEAN_FLOOR, report
    assert min(row["precision"] for row in rows) >= QUERY_FLOOR, report


def test_precision_measures():
    relevant = frozenset({"a", "b"})
    assert precision.precision_at(["x", "a", "y", "b", "z"], relevant) == 1.0
    assert precision.first_precision(["x", "a", "y", "b", "z"], relevant) == 0.5
    assert precision.precision_at(["a", "x", "x", "x", "x", "b"], relevant) == 0.5
    many = frozenset("abcdefg")
    assert precision.precision_at(list("abxyz"), many) == 0.4


# --- words standing together come first ----------------------------------------------------


def test_storm_no_3_before_scattered_words(client, demo, ranking):
    """Typed "bao so 3": the pages about storm No. 3 ("bão số 3") first; pages holding "báo",
    "số" and "3" apart (a press award's 3rd edition on digital transformation, newer) after
    a note."""
    shown = listing(search(client, "bao so 3"))
    note = shown.index("-- apart")
    assert set(shown[:note]) == {
        "Lào Cai khắc phục hậu quả bão số 3: thông tin phải đi trước một bước",
        "Theo dõi sát diễn biến mưa lũ, đưa thông tin cảnh báo kịp thời đến từng thôn bản",
    }
    award = "Giải báo chí về thông tin đối ngoại lần thứ 3: nhiều tác phẩm viết về chuyển đổi số"
    assert award in shown[note + 1 :]


def test_dien_bien_phu_before_scattered_words(client, demo, ranking):
    """Typed "dien bien phu": the Điện Biên Phủ story first; the newer one naming the province
    Điện Biên and coverage ("phủ sóng") in its headline after a note."""
    shown = listing(search(client, "dien bien phu"))
    assert shown[:2] == [
        "Lào Cai và Điện Biên liên kết du lịch, nối Sa Pa với di tích Điện Biên Phủ",
        "-- apart",
    ]
    assert (
        "Đoàn công tác tỉnh Điện Biên tìm hiểu cách phủ sóng truyền thanh cơ sở ở Lào Cai"
        in (shown[2:])
    )
    # Typed with accents: the same order, in the tier spelled as typed.
    shown = listing(search(client, "Điện Biên Phủ"))
    assert shown[:2] == [
        "Lào Cai và Điện Biên liên kết du lịch, nối Sa Pa với di tích Điện Biên Phủ",
        "-- apart",
    ]


def test_dien_bien_lists_both_readings_with_the_words_together_first(client, demo):
    """Typed "dien bien": the province Điện Biên and "diễn biến" (developments) both stand
    together; pages with "điện" and "biên" apart only come after them."""
    html = search(client, "dien bien")
    note = listing(html).index("-- apart")
    assert note >= 4
    for result in html.select(".search-result")[:note]:
        marks = [mark.get_text() for mark in result.select("mark")]
        assert marks and all(len(mark.split()) == 2 for mark in marks), marks


def test_one_word_has_no_apart_note(client, demo):
    assert "-- apart" not in listing(search(client, "Yagi"))


# --- only the spellings typed are marked --------------------------------------------------


def exact_tokens(text: str) -> set[str]:
    return {exact for _word, _folded, (exact,) in words(text)}


def test_exact_tier_marks_only_the_spellings_typed(client, demo):
    """Typed "cửa khẩu" with accents: in the results spelled so, "của" (of) is not marked,
    only "cửa khẩu"; below the accents-ignored note every spelling may be."""
    html = search(client, "cửa khẩu")
    exact_tier = []
    for node in html.select(".search-results__other, .search-result"):
        if "search-results__other" in node.get("class", []):
            break
        exact_tier.append(node)
    assert len(exact_tier) >= 5
    marked = [mark.get_text() for result in exact_tier for mark in result.select("mark")]
    assert marked
    for text in marked:
        assert exact_tokens(text) <= {"cua37", "khau36"}, text


# --- Chinese and Lao: words inside sentences ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "word", "title"),
    [
        ("zh-hans", "遗迹", "老街省与奠边省开展旅游合作，连接沙坝与奠边府历史遗迹"),
        ("zh-hans", "奠边府", "老街省与奠边省开展旅游合作，连接沙坝与奠边府历史遗迹"),
        ("zh-hans", "旅游线路", "老街省与奠边省开展旅游合作，连接沙坝与奠边府历史遗迹"),
        ("lo", "ພາຍຸ", "ແຂວງລາວກາຍ ແກ້ໄຂຜົນກະທົບຈາກພາຍຸລູກທີ 3: ຂໍ້ມູນຂ່າວສານຕ້ອງໄປກ່ອນໜຶ່ງກ້າວ"),
        ("lo", "ດິນເຈື່ອນ", "ແຂວງລາວກາຍ ແກ້ໄຂຜົນກະທົບຈາກພາຍຸລູກທີ 3: ຂໍ້ມູນຂ່າວສານຕ້ອງໄປກ່ອນໜຶ່ງກ້າວ"),
    ],
)
def test_chinese_and_lao_words_inside_sentences_are_found(client, demo, language, word, title):
    html = search(client, word, language)
    found = [a.get_text(strip=True) for a in html.select(".search-result .card__title a")]
    assert title in found
    result = html.select(".search-result")[found.index(title)]
    assert word in "".join(mark.get_text() for mark in result.select("mark"))
