"""The optimised term matching (shared words, first-word index) gives the same results as the
word-by-word scans it replaced (``find_reference``), and the pipeline stores the same things."""

import csv
import json
import unicodedata
from pathlib import Path

import pytest

from doingoai.text.vietnamese import tokenize
from doingoai.textproc import words as shared
from doingoai.textproc.classify import Lexicon
from doingoai.textproc.gazetteer import Gazetteer, Term

from .site import A1_BODY, A2_BODY, A3_BODY, A4_BODY

DATA = Path(__file__).resolve().parents[2] / "doingoai" / "monitoring" / "data"
BODIES = [" ".join(body) for body in (A1_BODY, A2_BODY, A3_BODY, A4_BODY)]

LAO_CAI = Term("Lào Cai", "province", 3.0)
CITY = Term("thành phố Lào Cai", "district", 2.0)
BAC_HA = Term("Bắc Hà", "district", 2.0)
SA_PA = Term("Sa Pa", "district", 2.0)
SA_PA_WARD = Term("Sa Pả", "commune", 1.5)
FANSIPAN = Term("Fansipan", "landmark", 1.5)
UBND = Term("Ủy ban nhân dân tỉnh", "official", 2.0)
PLAIN = Term("Lao Cai", "keyword", 1.0)  # a keyword typed without diacritics
HAN = Term("老街", "keyword", 1.0)
SMALL = Gazetteer([LAO_CAI, CITY, BAC_HA, SA_PA, SA_PA_WARD, FANSIPAN, UBND, HAN])

TRICKY = [
    "LÀO CAI: du khách từ thành phố Lào Cai lên Sa Pa, chinh phục FANSIPAN.",
    "Salào Cai, LàoCai, Sa Paris, fansipanhotel, lào-cai, (Lào Cai), “Lào Cai”.",
    "lao cai hom nay mua, duong len sa pa tac; LAO CAI; Lao  Cai",
    "Trà bạc hà ở chợ Bắc Hà; bac ha; BẮC HÀ; Bắc hà",
    "phường Sa Pả, thị xã Sa Pa, sa pả, SA PẢ",
    "Uỷ ban nhân dân tỉnh quyết định; Ủy ban nhân dân tỉnh Lào Cai; thành phố Lào",
    "thành phố Lào Cai thành phố Lào Cai Lào Cai thành phố",
    unicodedata.normalize("NFD", "Chợ Bắc Hà và trà bạc hà ở Lào Cai, thành phố Lào Cai"),
    "Lào \u0301Cai, Lào ,\u0301 Cai, Sa\u0301 Pa, Bắc Hà\u0301",  # stray marks: the slow path
    "老街市 老街 Lào Cai 老 ລາວກາຍ x_Lào Cai_y 2024Lào Cai",
    "",
    "   ...   ",
]


def _texts():
    with (DATA / "labelled_vi.csv").open(encoding="utf-8") as handle:
        labelled = [row["text"] for row in csv.DictReader(handle)]
    return [*TRICKY, *BODIES, *labelled]


@pytest.fixture(scope="module")
def bundled() -> Gazetteer:
    data = json.loads((DATA / "gazetteer_lao_cai.json").read_text(encoding="utf-8"))
    terms = [Term(t["term"], t["kind"], t["weight"]) for t in data["terms"]]
    return Gazetteer([*terms, PLAIN, SA_PA_WARD])


def test_shared_words_are_the_tokenizer_words():
    for text in _texts():
        for variant in (text, text.upper(), unicodedata.normalize("NFD", text)):
            assert shared.analyse(variant).words == tokenize(variant)


@pytest.mark.parametrize("gazetteer_name", ["small", "bundled"])
def test_gazetteer_find_equals_the_word_by_word_scan(gazetteer_name, bundled):
    gazetteer = SMALL if gazetteer_name == "small" else bundled
    for text in _texts():
        for variant in (
            text,
            text.upper(),
            text.lower(),
            unicodedata.normalize("NFD", text),
            "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)),
        ):
            assert gazetteer.find(variant) == gazetteer.find_reference(variant), variant
            analysed = shared.analyse(variant)
            assert gazetteer.find(variant, analysed=analysed) == gazetteer.find_reference(variant)


def test_gazetteer_semantics_are_kept():
    # Diacritics, word boundaries, longest match first (what test_textproc_gazetteer checks
    # on the reference, checked here on the fast path explicitly).
    assert SMALL.find("Trà bạc hà ở chợ Bắc Hà, bac ha") == {BAC_HA: 2}
    assert SMALL.find("phường Sa Pả, thị xã Sa Pa, sa pa") == {SA_PA_WARD: 1, SA_PA: 2}
    assert SMALL.find("Salào Cai, LàoCai, Sa Paris") == {}
    assert SMALL.find("thành phố Lào Cai, Lào Cai") == {CITY: 1, LAO_CAI: 1}
    # A stray mark is read the slow way, with the same answer.
    stray = "Lào ,\u0301 Cai và Lào Cai"
    assert shared.analyse(stray).exact is None
    assert SMALL.find(stray) == SMALL.find_reference(stray) == {LAO_CAI: 1}


def test_scores_are_unchanged(bundled):
    for text in BODIES:
        title = text[:60]
        fast = bundled.score(title=title, text=text)
        analysed = bundled.score(
            title=title,
            text=text,
            title_analysed=shared.analyse(title),
            text_analysed=shared.analyse(text),
        )
        assert fast == analysed
        reference_counts = bundled.find_reference(text)
        assert {m.term: m.count for m in fast.matches} == {
            term: reference_counts.get(term, 0) + bundled.find_reference(title).get(term, 0)
            for term in {m.term for m in fast.matches}
        }


def test_lexicon_find_equals_the_word_by_word_scan():
    lexicon = Lexicon.from_file(DATA / "lexicon_vi.json")
    for text in _texts():
        for variant in (text, text.upper(), unicodedata.normalize("NFD", text)):
            assert lexicon.find(variant) == lexicon.find_reference(variant)
            words = shared.analyse(variant).words
            assert lexicon.classify(variant, words=words) == lexicon.classify(variant)


def test_title_and_text_words_are_the_words_of_both():
    title, text = "Tin giả về Lào Cai", BODIES[0]
    joined = shared.analyse(title).words + shared.analyse(text).words
    assert joined == tokenize(f"{title}\n{text}")


def test_exact_forms_of_a_span_are_those_of_the_whole_text():
    for text in _texts()[:200]:
        analysed = shared.analyse(text)
        whole = shared.analyse(text).exact
        count = len(analysed.words)
        for start in range(0, count, 3):
            for length in (1, 2, 4):
                if start + length > count:
                    continue
                span = analysed.exact_span(start, length)
                if whole is not None:
                    assert span == whole[start : start + length], (text, start, length)
                elif span is not None:  # the unclear word lies elsewhere in the text
                    assert len(span) == length


def test_term_starts_are_every_position_a_term_can_start_at():
    terms = {
        ("lao", "cai"): "a",
        ("thanh", "pho", "lao", "cai"): "b",
        ("sa", "pa"): "c",
        ("fansipan",): "d",
    }
    trie = shared.term_trie(terms)
    words = [
        "thanh",
        "pho",
        "lao",
        "cai",
        "va",
        "sa",
        "pa",
        "fansipan",
        "lao",
        "thanh",
        "sa",
        "fansipan",
    ]
    expected = [
        position
        for position in range(len(words))
        if any(tuple(words[position : position + len(key)]) == key for key in terms)
    ]
    assert shared.term_starts(words, trie) == expected == [0, 2, 5, 7, 11]
    assert shared.term_starts([], trie) == []
    assert shared.trie_matches(trie, words, 0) == [(4, "b")]
    assert shared.trie_matches(trie, words, 2) == [(2, "a")]
    assert shared.trie_matches(trie, words, 8) == []  # "lao thanh": no term
