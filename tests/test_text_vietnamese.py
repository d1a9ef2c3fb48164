"""doingoai.text: Vietnamese folding, tokens, exact-form tokens, Telex and snippets (no Django)."""

import unicodedata

import pytest

from doingoai.text import snippets, vietnamese
from doingoai.text.vietnamese import (
    exact_text,
    exact_token,
    fold,
    fold_with_offsets,
    has_diacritics,
    index_text,
    telex_to_vietnamese,
    tokenize,
)

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


@pytest.mark.parametrize("text", ["lao cai", "Lao Cai", "LÀO CAI", "Lào Cai", "lào cai", "LAO CAI"])
def test_lao_cai_in_any_case_and_accent_folds_alike(text):
    assert fold(text) == fold("Lào Cai") == "lao cai"


@pytest.mark.parametrize("text", ["dien bien", "Điện Biên", "ĐIỆN BIÊN", "điện biên", "Dien Bien"])
def test_dien_bien_folds_alike_and_d_with_stroke_becomes_d(text):
    assert fold(text) == fold("Điện Biên") == "dien bien"


def test_d_with_stroke_has_no_decomposition_but_folds():
    assert unicodedata.normalize("NFD", "đ") == "đ"  # why it needs its own entry
    assert fold("đ") == fold("Đ") == "d"
    assert fold("Đồn Biên phòng") == "don bien phong"


def test_decomposed_input_folds_like_composed():
    for text in ["Lào Cai", "Điện Biên Phủ", "Mường Khương", "Hợp tác quốc tế", "Y Tý"]:
        assert fold(NFD(text)) == fold(text)
        assert tokenize(NFD(text)) == tokenize(text)


def test_stray_combining_marks_are_dropped():
    assert fold("a\u0300\u0323") == "a"  # a + grave + dot below, as typed by some IMEs
    assert fold("x\u0301y") == "xy"  # a mark no precomposed letter has
    assert fold("\u0301") == ""


def test_every_vietnamese_letter_folds_to_ascii():
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    folded = fold(letters + letters.upper())
    assert folded.isascii()
    assert set(folded) <= set("aeiouyd")


@pytest.mark.parametrize("text", ["", None])
def test_empty_strings(text):
    assert fold(text or "") == ""
    assert tokenize(text or "") == []
    assert index_text(text or "") == ""
    assert exact_text(text or "") == ""
    assert not has_diacritics(text or "")
    assert fold_with_offsets("") == ("", None)
    assert snippets.snippet(text or "", {"lao"}) == []
    assert snippets.leading(text or "") == []


def test_other_scripts_pass_through_case_folded():
    assert fold("Straße") == "strasse"
    assert fold("İstanbul") == "istanbul"
    assert fold("老街省") == "老街省"
    assert fold("ໜ້າຫຼັກ") == "ໜ້າຫຼັກ"  # Lao marks are not Latin diacritics


def test_tokenize_words_numbers_and_punctuation():
    assert tokenize("Lào Cai, 15/12/2024: COVID-19!") == [
        "lao",
        "cai",
        "15",
        "12",
        "2024",
        "covid",
        "19",
    ]
    assert tokenize("tên_biến") == ["ten", "bien"]  # underscore separates, like the engines


def test_tokenize_spaceless_scripts_into_bigrams():
    assert tokenize("老街省") == ["老街", "街省"]
    assert tokenize("老") == ["老"]
    assert tokenize("Sa Pa 老街") == ["sa", "pa", "老街"]
    lao = tokenize("ລາວກາຍ")
    assert lao[0] == "ລາ" and len(lao) == len("ລາວກາຍ") - 1


def test_has_diacritics():
    assert has_diacritics("Lào Cai")
    assert has_diacritics("đi")
    assert not has_diacritics("Lao Cai")
    assert not has_diacritics("LAO CAI 2024")
    assert not has_diacritics("老街")


def test_exact_tokens_keep_the_marks_as_digits():
    assert exact_token("Lào") == "lao2"
    assert exact_token("LÀO") == "lao2"
    assert exact_token(NFD("Lào")) == "lao2"
    assert exact_token("Cai") == "cai0"
    assert exact_token("Điện") == "dien956"
    assert exact_token("2024") == "2024"
    assert len({exact_token(w) for w in ["ban", "bán", "bàn", "bản", "bạn", "bận", "bẫn"]}) == 7


def test_exact_tokens_do_not_depend_on_tone_placement():
    assert exact_token("hoà") == exact_token("hòa")
    assert exact_token("thuỷ") == exact_token("thủy")
    assert exact_token("khoẻ") == exact_token("khỏe")


def test_index_text_has_folded_then_exact_copy():
    assert index_text("Lào Cai") == "lao cai\nlao2 cai0"
    assert index_text("Lao Cai") == "lao cai"  # nothing exact to add
    assert index_text("老街省") == "老街 街省"


def test_words_gives_typed_folded_and_exact():
    assert vietnamese.words("Lào Cai 老街") == [
        ("Lào", ("lao",), ("lao2",)),
        ("Cai", ("cai",), ("cai0",)),
        ("老街", ("老街",), ("老街",)),
    ]


def test_fold_with_offsets_maps_back_to_source():
    text = NFD("Lào Cai")
    folded, offsets = fold_with_offsets(text)
    assert folded == "lao cai"
    start = folded.index("cai")
    assert text[offsets[start] : offsets[start + 2] + 1] == "Cai"
    assert fold_with_offsets("Lào Cai") == ("lao cai", None)  # NFC: one to one
    folded, offsets = fold_with_offsets("Straße Lào")
    assert folded == "strasse lao"
    assert "Straße Lào"[offsets[folded.index("lao")]] == "L"


@pytest.mark.parametrize(
    ("typed", "decoded"),
    [
        ("Laof Cai", "Lào Cai"),
        ("ddieenj bieen", "điện biên"),
        ("tinhr Laof Cai", "tỉnh Lào Cai"),
        ("nguowif daan", "người dân"),
        ("quys", "quý"),
        ("khoer", "khỏe"),
    ],
)
def test_telex_typed_without_an_input_method_is_decoded(typed, decoded):
    assert telex_to_vietnamese(typed) == decoded


@pytest.mark.parametrize("typed", ["Lao Cai", "news", "Lào Cai", "2024", ""])
def test_text_that_is_not_telex_is_left_alone(typed):
    assert telex_to_vietnamese(typed) is None


def test_snippet_marks_folded_matches_in_the_original_text():
    text = "Buổi họp báo do UBND tỉnh LÀO CAI tổ chức. Tỉnh Lào Cai có 152 xã."
    segments = snippets.snippet(text, {"lao", "cai"})
    marked = [part for part, is_match in segments if is_match]
    assert marked == ["LÀO CAI", "Lào Cai"]
    assert "".join(part for part, _m in segments) == text


def test_snippet_of_decomposed_text_is_shown_composed():
    segments = snippets.snippet(NFD("Tỉnh Điện Biên"), {"dien"})
    assert ("Điện", True) in segments


def test_snippet_windows_long_text_around_the_first_match():
    text = " ".join(["chữ"] * 200) + " biên giới " + " ".join(["khác"] * 200)
    segments = snippets.snippet(text, {"bien"}, length=100)
    assert segments[0] == (snippets.ELLIPSIS, False)
    assert segments[-1] == (snippets.ELLIPSIS, False)
    assert ("biên", True) in segments
    assert sum(len(part) for part, _m in segments) < 180


def test_snippet_without_a_match_is_empty_and_leading_cuts_at_a_word():
    assert snippets.snippet("Sa Pa mùa đông", {"yagi"}) == []
    lead = snippets.leading("một hai ba bốn năm sáu bảy tám", length=10)
    assert lead == [("một hai ba", False), (snippets.ELLIPSIS, False)]


def test_snippet_text_is_not_escaped_here():
    # The template escapes; here markup is just text (and never marked up by us).
    segments = snippets.snippet("<b>Lào Cai</b> & <script>", {"lao"})
    assert "".join(part for part, _m in segments) == "<b>Lào Cai</b> & <script>"


def test_snippet_marks_phrases_only_where_the_words_are_together():
    text = "Qua cửa khẩu quốc tế Lào Cai, sức sống của thương mại; quốc tế và khu vực."
    segments = snippets.snippet(text, set(), [("cua", "khau", "quoc", "te")])
    assert [part for part, is_match in segments if is_match] == ["cửa khẩu quốc tế"]


def test_snippet_marks_a_chinese_run_as_one_phrase_of_bigrams():
    segments = snippets.snippet("越南老街省与云南红河州", set(), [("老街", "街省")])
    assert [part for part, is_match in segments if is_match] == ["老街省"]
