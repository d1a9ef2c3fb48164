"""Gazetteer matching and relevance (doingoai.textproc.gazetteer)."""

import unicodedata

from doingoai.textproc.gazetteer import Gazetteer, Term

LAO_CAI = Term("Lào Cai", "province", 3.0)
CITY = Term("thành phố Lào Cai", "district", 2.0)
BAC_HA = Term("Bắc Hà", "district", 2.0)
SA_PA = Term("Sa Pa", "district", 2.0)
SA_PA_WARD = Term("Sa Pả", "commune", 1.5)
FANSIPAN = Term("Fansipan", "landmark", 1.5)
UBND = Term("Ủy ban nhân dân tỉnh", "official", 2.0)
GAZETTEER = Gazetteer([LAO_CAI, CITY, BAC_HA, SA_PA, SA_PA_WARD, FANSIPAN, UBND])


def test_matches_folded_text_on_word_boundaries():
    found = GAZETTEER.find("LÀO CAI: du khách từ thành phố Lào Cai lên Sa Pa, chinh phục FANSIPAN.")
    assert found == {LAO_CAI: 1, CITY: 1, SA_PA: 1, FANSIPAN: 1}
    assert GAZETTEER.find("Salào Cai, LàoCai, Sa Paris, fansipanhotel") == {}


def test_text_typed_without_diacritics_matches():
    assert GAZETTEER.find("lao cai hom nay mua, duong len sa pa tac") == {LAO_CAI: 1, SA_PA: 1}


def test_different_diacritics_are_a_different_word():
    # "bạc hà" (mint) folds like "Bắc Hà" (the district) but is written differently.
    assert GAZETTEER.find("Trà bạc hà ở chợ Bắc Hà") == {BAC_HA: 1}
    # The ward "Sa Pả" is not the town "Sa Pa".
    assert GAZETTEER.find("phường Sa Pả, thị xã Sa Pa") == {SA_PA_WARD: 1, SA_PA: 1}


def test_tone_placement_and_decomposed_text_match():
    assert GAZETTEER.find("Uỷ ban nhân dân tỉnh quyết định") == {UBND: 1}
    decomposed = unicodedata.normalize("NFD", "Chợ Bắc Hà và trà bạc hà ở Lào Cai")
    assert GAZETTEER.find(decomposed) == {BAC_HA: 1, LAO_CAI: 1}


def test_longest_term_wins_without_overlap():
    assert GAZETTEER.find("thành phố Lào Cai") == {CITY: 1}


def test_score_is_weighted_and_counts_titles():
    none = GAZETTEER.score(title="Hà Nội", text="Tin về thủ đô")
    assert none.score == 0 and none.terms == []
    once = GAZETTEER.score(title="", text="Lào Cai")
    twice = GAZETTEER.score(title="", text="Lào Cai, Lào Cai")
    titled = GAZETTEER.score(title="Lào Cai", text="Lào Cai")
    assert 0 < once.score < twice.score < titled.score
    assert once.score == 3.0
    mixed = GAZETTEER.score(title="Sa Pa", text="Lào Cai và Fansipan")
    assert mixed.terms == ["Lào Cai", "Sa Pa", "Fansipan"]


def test_empty_gazetteer_matches_nothing():
    assert Gazetteer([]).score(title="Lào Cai", text="Lào Cai").score == 0
    assert len(Gazetteer([Term("  ...  ")])) == 0
