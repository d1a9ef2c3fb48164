"""The pipeline classifies what it stores, and stories carry their highest risk and topic."""

import json

import pytest

from doingoai.monitoring.classification import lexicon_current
from doingoai.monitoring.models import Cluster, Item
from doingoai.monitoring.services import ItemDraft, item_store, items_rescore
from doingoai.textproc.gazetteer import Gazetteer

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Hàng nghìn du khách đã đến Sa Pa trong dịp nghỉ lễ vừa qua. Các khách sạn và homestay "
    "ở thị xã gần như kín phòng, nhiều đoàn khách lên Fansipan bằng cáp treo."
)


def store(source, key, title, text=TEXT, **fields) -> Item:
    draft = ItemDraft(key=key, url=key, title=title, text=text, **fields)
    return item_store(source=source, draft=draft, gazetteer=Gazetteer([]))


def test_stored_items_get_topic_risk_and_version():
    item = store(SourceFactory(), "https://a.vn/1", "Sa Pa đón hàng nghìn du khách")
    item.refresh_from_db()
    expected = lexicon_current().classify(f"{item.title}\n{item.text}")
    assert item.topic == "du-lich" == expected.topic
    assert item.topic_score == expected.topic_score > 0
    assert item.risk_scores == expected.risk_scores
    assert set(item.risk_scores) == {"negative", "harmful", "false"}
    assert item.risk_score == max(item.risk_scores.values())
    assert item.classifier_version == "lexicon-1"
    assert item.cluster.topic == "du-lich"
    assert item.cluster.max_risk == item.risk_score


def test_a_riskier_republication_raises_the_story_risk():
    source = SourceFactory()
    first = store(source, "https://a.vn/1", "Sa Pa đón hàng nghìn du khách")
    rumour = store(
        SourceFactory(),
        "https://b.vn/2",
        "Tin giả, bịa đặt: du khách mắc kẹt trên cáp treo Fansipan",
    )
    assert rumour.cluster_id == first.cluster_id  # same text, same story
    assert rumour.risk_scores["false"] > first.risk_scores["false"]
    story = Cluster.objects.get(pk=first.cluster_id)
    assert story.max_risk == pytest.approx(max(first.risk_score, rumour.risk_score))
    assert story.max_risk == pytest.approx(rumour.risk_score)
    assert story.topic == first.topic  # the representative's topic stays
    # A calmer mention later does not lower the story's highest risk.
    store(SourceFactory(), "https://c.vn/3", "Du lịch Sa Pa")
    story.refresh_from_db()
    assert story.max_risk == pytest.approx(rumour.risk_score)
    assert story.mention_count == 3


def test_an_item_without_text_is_classified_on_its_title():
    item = store(
        SourceFactory(),
        "https://a.vn/err",
        "Tin đồn đóng cửa khẩu Kim Thành",
        text="",
        status=Item.Status.FETCH_ERROR,
    )
    assert item.cluster_id is None
    assert item.topic == "bien-gioi"
    assert item.risk_scores["false"] > 0


def test_rescore_reclassifies_items_and_refreshes_stories(settings, tmp_path):
    source = SourceFactory()
    item = store(source, "https://a.vn/1", "Sa Pa đón hàng nghìn du khách")
    assert item.risk_score == 0.0
    lexicon = {
        "version": "test-2",
        "topics": {"xa-hoi": {"khách sạn": 5.0}},
        "risks": {"harmful": {"du khách": 4.0}},
    }
    path = tmp_path / "lexicon.json"
    path.write_text(json.dumps(lexicon, ensure_ascii=False), encoding="utf-8")
    settings.MONITORING_LEXICON_FILE = str(path)

    assert items_rescore() == 1
    item.refresh_from_db()
    assert item.classifier_version == "lexicon-test-2"
    assert item.topic == "xa-hoi"
    assert item.risk_scores["harmful"] > 0.8
    story = Cluster.objects.get(pk=item.cluster_id)
    assert story.max_risk == pytest.approx(item.risk_score)
    assert story.topic == "xa-hoi"
    assert items_rescore() == 0  # nothing changed since
