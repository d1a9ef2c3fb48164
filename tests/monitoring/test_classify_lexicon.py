"""The default classifier: a Vietnamese lexicon matched on folded words, with negation."""

import json
import math
from pathlib import Path

import pytest

from doingoai.textproc.classify import (
    RISK_KINDS,
    RISK_THRESHOLD,
    TOPICS,
    Lexicon,
    ModelError,
)

LEXICON_FILE = (
    Path(__file__).resolve().parents[2] / "doingoai" / "monitoring" / "data" / "lexicon_vi.json"
)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.from_file(LEXICON_FILE)


@pytest.fixture
def small() -> Lexicon:
    """A lexicon small enough to compute the expected scores by hand."""
    return Lexicon.from_dict(
        {
            "version": 7,
            "negators": ["không phải", "bác bỏ"],
            "topics": {"du-lich": {"du khách": 2.0}, "bien-gioi": {"cửa khẩu": 1.0}},
            "risks": {"false": {"tin giả": 3.0, "đã xác minh": -1.0}, "negative": {"ùn ứ": 2.0}},
        }
    )


def test_bundled_lexicon_covers_every_topic_and_risk_kind():
    data = json.loads(LEXICON_FILE.read_text(encoding="utf-8"))
    assert set(data["topics"]) == set(TOPICS)
    assert set(data["risks"]) == set(RISK_KINDS)
    assert all(len(terms) >= 10 for terms in data["topics"].values())
    assert "không phải" in data["negators"]


@pytest.mark.parametrize(
    "text",
    [
        "Lan truyền tin giả về Sa Pa",
        "LAN TRUYỀN TIN GIẢ VỀ SA PA",
        "lan truyen tin gia ve sa pa",  # typed without an input method
        "Lan truye\u0300n tin gia\u0309 ve\u0302\u0300 Sa Pa",  # decomposed (NFD) Unicode
    ],
)
def test_matching_ignores_case_and_diacritics(lexicon, text):
    result = lexicon.classify(text)
    assert result.topic == "du-lich"
    assert result.risk == "false"
    assert "tin giả" in {match.term for match in result.matches}


def test_terms_match_whole_words_only(small):
    assert small.find("tin giảm giá vé") == []  # "giảm" is not "giả"
    assert small.find("du khách") != []
    assert small.find("dukhách") == []


def test_scores_follow_the_documented_formula(small):
    result = small.classify("Du khách đông, du khách vui. Tin giả về cửa khẩu.")
    du_lich = 2.0 * (1 + math.log(2))  # two mentions: weight × (1 + ln 2)
    assert result.topic == "du-lich"
    assert result.topic_score == pytest.approx(du_lich / (du_lich + 1.0 + 1.0), abs=1e-4)
    assert result.risk_scores["false"] == pytest.approx(1 - math.exp(-1.5), abs=1e-4)
    assert result.risk_scores["harmful"] == 0.0
    assert result.risk_score == result.risk_scores["false"]
    assert result.version == "lexicon-7"


@pytest.mark.parametrize(
    "text",
    [
        "Đây không phải tin giả",
        "Cơ quan chức năng bác bỏ tin giả",
        "Không phải là tin giả",  # one word between the negator and the term
    ],
)
def test_a_negated_risk_term_lowers_its_kind(small, text):
    plain = small.classify("Đây là tin giả")
    negated = small.classify(text)
    assert plain.risk_scores["false"] >= RISK_THRESHOLD
    assert negated.risk_scores["false"] < plain.risk_scores["false"]
    assert negated.risk_scores["false"] == 0.0
    assert [match.negated for match in negated.matches] == [True]
    assert negated.explanation[0].startswith("-tin giả")


def test_negative_weights_and_negators_in_the_bundled_lexicon(lexicon):
    rumour = lexicon.classify("Tin đồn vỡ đập thủy điện lan truyền trên mạng")
    rebuttal = lexicon.classify("Cơ quan chức năng bác bỏ tin đồn vỡ đập thủy điện")
    assert rumour.risk == "false"
    assert rebuttal.risk_scores["false"] < rumour.risk_scores["false"]
    assert rebuttal.risk != "false"
    confirmed = lexicon.classify("Thông tin chính thức: cửa khẩu Kim Thành vẫn thông quan")
    assert confirmed.risk_scores["false"] == 0.0
    assert confirmed.topic == "bien-gioi"


def test_negation_does_not_touch_topics(small):
    assert small.classify("không phải du khách").topic == "du-lich"


def test_explanation_lists_terms_heaviest_first(lexicon):
    result = lexicon.classify(
        "Đối tượng xuyên tạc, kích động người dân tụ tập tại cửa khẩu Kim Thành"
    )
    assert result.risk == "harmful"
    terms = [line.split(" (")[0] for line in result.explanation]
    assert {"xuyên tạc", "kích động", "cửa khẩu"} <= set(terms)
    contributions = [abs(m.contribution) for m in result.matches]
    weights = [float(line.rsplit(" ", 1)[1].rstrip(")")) for line in result.explanation]
    assert sorted(map(abs, weights), reverse=True) == [abs(w) for w in weights]
    assert sorted(contributions) == sorted(abs(w) for w in weights)
    assert any("(risk:harmful +3.00)" in line for line in result.explanation)


def test_no_match_gives_empty_topic_and_zero_risk(lexicon):
    result = lexicon.classify("Lorem ipsum dolor sit amet")
    assert (result.topic, result.topic_score, result.risk_score, result.risk) == (
        "",
        0.0,
        0.0,
        "none",
    )
    assert result.explanation == []


@pytest.mark.parametrize(
    ("text", "topic", "risk"),
    [
        ("Sa Pa đón hàng nghìn du khách dịp nghỉ lễ, khách sạn kín phòng", "du-lich", "none"),
        ("Hàng trăm xe thanh long ùn ứ tại cửa khẩu Kim Thành, tài xế bức xúc", "bien-gioi", None),
        ("Tăng trưởng GRDP đạt 8%, thu ngân sách vượt dự toán", "kinh-te", "none"),
        ("Học sinh điểm trường vùng cao có bếp ăn bán trú mới", "xa-hoi", "none"),
        ("Diễn tập khu vực phòng thủ, dân quân tự vệ huấn luyện", "quoc-phong", "none"),
        ("Lãnh đạo tỉnh hội đàm với đoàn đại biểu châu Hồng Hà", "hop-tac", "none"),
    ],
)
def test_topics_of_typical_items(lexicon, text, topic, risk):
    result = lexicon.classify(text)
    assert result.topic == topic
    if risk is not None:
        assert result.risk == risk
    else:
        assert result.risk == "negative"


def test_scores_matrix_for_evaluation(lexicon):
    texts = ["Tin giả về cửa khẩu", "Du khách đến Sa Pa"]
    risk = lexicon.scores(texts, "risk")
    assert risk.shape == (2, 4)
    assert risk[0, 0] == pytest.approx(1 - risk[0, 1:].max())
    topic = lexicon.scores(texts, "topic")
    assert topic.shape == (2, len(TOPICS))
    assert topic[1].argmax() == TOPICS.index("du-lich")
    assert lexicon.predict(texts, "risk") == ["false", "none"]


def test_unknown_topic_in_a_lexicon_is_refused():
    with pytest.raises(ModelError, match="the-thao"):
        Lexicon.from_dict({"topics": {"the-thao": {"bóng đá": 1}}})
