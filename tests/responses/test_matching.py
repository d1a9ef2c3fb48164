"""The rule-matching functions (plain Python over dataclasses, no database)."""

from __future__ import annotations

import pytest
from django.utils import translation

from doingoai.responses.matching import Candidate, Conditions, rule_reasons

ITEM = Candidate(
    risk=0.82,
    relevance=0.6,
    topics=frozenset({"border"}),
    terms=("Lào Cai", "Nguyễn Văn Thử", "sạt lở"),
)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_every_condition_set_must_hold():
    both = Conditions(min_risk=0.7, growth_mentions=10, growth_hours=3)
    assert rule_reasons(both, ITEM, recent_mentions=9) is None
    assert rule_reasons(both, ITEM, recent_mentions=12) == [
        "rủi ro 0,82 ≥ 0,70",
        "12 lượt nhắc trong 3 giờ qua",
    ]
    assert rule_reasons(Conditions(min_risk=0.9), ITEM) is None


def test_relevance_and_topic():
    assert rule_reasons(Conditions(min_relevance=0.5, topic="border"), ITEM) == [
        "mức liên quan 0,60 ≥ 0,50",
        "chủ đề border",
    ]
    assert rule_reasons(Conditions(topic="tourism"), ITEM) is None


def test_watched_terms_and_people():
    assert rule_reasons(Conditions(terms=frozenset({"sạt lở"})), ITEM) == ["nhắc đến sạt lở"]
    people = Conditions(watch_people=True)
    assert rule_reasons(people, ITEM, people_terms={"Nguyễn Văn Thử"}) == [
        "nhắc đến Nguyễn Văn Thử"
    ]
    assert rule_reasons(people, ITEM, people_terms={"Trần Thị Khác"}) is None


def test_no_condition_never_fires():
    assert Conditions().is_empty
    assert rule_reasons(Conditions(), ITEM, recent_mentions=1000) is None
