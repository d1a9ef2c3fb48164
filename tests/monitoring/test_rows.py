"""The pipeline's written-out statements store what the ORM would (``monitoring/rows.py``)."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy

from doingoai.monitoring.models import Cluster, Item
from doingoai.monitoring.rows import cluster_join, row_insert

from .factories import SourceFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 20, 8, 30, 15, 250000, tzinfo=UTC)


def _item(source, url: str, **fields) -> Item:
    values = {
        "source": source,
        "kind": Item.Kind.POST,
        "url": url,
        "content_hash": "ab" * 32,
        "title": "Cửa khẩu Kim Thành thông quan trở lại",
        "text": "Hàng trăm xe nông sản qua cửa khẩu Kim Thành trong buổi sáng.",
        "published_at": WHEN,
        "author": "Phóng viên",
        "language": "vi",
        "fetched_at": WHEN,
        "relevance": 2.5,
        "matched_terms": ["Kim Thành", "Lào Cai"],
        "signature": b"\x01\x02\x03\x00",
        "topic": "kinh_te",
        "topic_score": 0.61,
        "risk_score": 0.2,
        "risk_scores": {"negative": 0.2, "harmful": 0.0},
        "classifier_version": "lexicon-1",
        "extra": {"final_url": url + "?a=1", "likes": 12},
    }
    values.update(fields)
    return Item(canonical_url=url, **values)


def _row(model, pk) -> dict:
    row = model.objects.filter(pk=pk).values().get()
    for name in ("id", "canonical_url", "url", "representative_id"):
        row.pop(name, None)
    row["extra"] = {k: v for k, v in row.get("extra", {}).items() if k != "final_url"}
    return row


def test_an_item_is_stored_as_save_stores_it():
    source = SourceFactory()
    by_orm = _item(source, "https://bao.example.vn/a")
    by_orm.save(force_insert=True)
    by_rows = _item(source, "https://bao.example.vn/b")
    row_insert(by_rows)
    assert by_rows.pk is not None and by_rows.pk != by_orm.pk
    assert not by_rows._state.adding
    assert _row(Item, by_rows.pk) == _row(Item, by_orm.pk)
    stored = Item.objects.get(pk=by_rows.pk)
    assert stored.published_at == WHEN and bytes(stored.signature) == b"\x01\x02\x03\x00"
    assert stored.extra == {"final_url": "https://bao.example.vn/b?a=1", "likes": 12}


def test_defaults_are_the_models():
    source = SourceFactory()
    item = Item(source=source, canonical_url="https://bao.example.vn/c")
    row_insert(item)
    stored = Item.objects.get(pk=item.pk)
    assert (stored.matched_terms, stored.risk_scores, stored.extra) == ([], {}, {})
    assert stored.fetch_attempts == 1 and stored.extraction_status == Item.Status.OK
    assert stored.signature is None and stored.cluster_id is None


def test_a_duplicate_key_is_refused_like_save():
    source = SourceFactory()
    row_insert(_item(source, "https://bao.example.vn/d"))
    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert(_item(source, "https://bao.example.vn/d"))
    assert Item.objects.filter(canonical_url="https://bao.example.vn/d").count() == 1


def test_a_story_is_stored_as_save_stores_it():
    item = _item(SourceFactory(), "https://bao.example.vn/e")
    row_insert(item)
    fields = {
        "title": "Cụm tin",
        "first_seen": WHEN,
        "last_seen": WHEN,
        "mention_count": 1,
        "source_count": 1,
        "max_relevance": 2.5,
        "max_risk": 0.2,
        "topic": "kinh_te",
    }
    by_orm = Cluster.objects.create(representative=item, **fields)
    by_rows = Cluster(representative=item, **fields)
    row_insert(by_rows)
    assert _row(Cluster, by_rows.pk) == _row(Cluster, by_orm.pk)
    assert Cluster.objects.get(pk=by_rows.pk).representative_id == item.pk


def _story(item: Item, **fields) -> Cluster:
    values = {
        "representative": item,
        "first_seen": WHEN,
        "last_seen": WHEN,
        "mention_count": 1,
        "source_count": 1,
        "max_relevance": item.relevance,
        "max_risk": item.risk_score,
        "topic": item.topic,
    }
    values.update(fields)
    return Cluster.objects.create(**values)


def test_joining_a_story_updates_its_counters():
    first_source, other_source = SourceFactory(), SourceFactory()
    first = _item(first_source, "https://bao.example.vn/f")
    row_insert(first)
    story = _story(first, topic="")
    Item.objects.filter(pk=first.pk).update(cluster=story)

    earlier = WHEN.replace(hour=6)
    same_source = _item(first_source, "https://bao.example.vn/g", relevance=1.0, risk_score=0.7)
    assert cluster_join(same_source, story.pk, earlier)
    story.refresh_from_db()
    assert (story.mention_count, story.source_count) == (2, 1)  # the source was there already
    assert (story.first_seen, story.last_seen) == (earlier, WHEN)
    assert (story.max_relevance, story.max_risk, story.topic) == (2.5, 0.7, "kinh_te")

    later = WHEN.replace(hour=11)
    new_source = _item(other_source, "https://bao.example.vn/h", topic="du_lich", relevance=4.0)
    assert cluster_join(new_source, story.pk, later)
    story.refresh_from_db()
    assert (story.mention_count, story.source_count) == (3, 2)
    assert (story.first_seen, story.last_seen) == (earlier, later)
    assert (story.max_relevance, story.topic) == (4.0, "kinh_te")  # the topic is kept


def test_a_retried_item_is_not_its_own_source():
    source = SourceFactory()
    item = _item(source, "https://bao.example.vn/i")
    row_insert(item)
    other = _item(SourceFactory(), "https://bao.example.vn/j")
    row_insert(other)
    story = _story(other)
    Item.objects.filter(pk=item.pk).update(cluster=story)  # stored under the story before
    assert cluster_join(item, story.pk, WHEN)
    story.refresh_from_db()
    assert story.source_count == 2  # its own row is not "the source was there already"


def test_joining_a_deleted_story_says_so():
    item = _item(SourceFactory(), "https://bao.example.vn/k")
    assert cluster_join(item, 987654, WHEN) is False


@pytest.mark.parametrize("signal", [pre_save, post_save], ids=["pre_save", "post_save"])
def test_nothing_listens_to_these_models_saves(signal):
    """row_insert sends no signal: that is only right while no receiver is connected for
    these models in particular (receivers for every model are the same for any sender)."""

    class Anything:
        pass

    for model in (Item, Cluster):
        assert signal._live_receivers(model) == signal._live_receivers(Anything)


def test_values_of_other_types_go_through_their_field():
    source = SourceFactory()
    fields = {
        "relevance": 3,
        "risk_score": 1,
        "fetch_attempts": True,
        "title": gettext_lazy("Hà Nội"),
    }
    by_orm = _item(source, "https://bao.example.vn/l", **fields)
    by_orm.save(force_insert=True)
    by_rows = _item(source, "https://bao.example.vn/m", **fields)
    row_insert(by_rows)
    assert _row(Item, by_rows.pk) == _row(Item, by_orm.pk)
    stored = Item.objects.get(pk=by_rows.pk)
    assert (stored.relevance, stored.risk_score, stored.fetch_attempts) == (3.0, 1.0, 1)
