"""Fetching in threads, the one-statement story updates and the mention upsert."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from doingoai.monitoring import services
from doingoai.monitoring.fetching import HTML_TYPES, Fetcher
from doingoai.monitoring.models import Cluster, Item, MentionHour, Source
from doingoai.monitoring.near_index import near_index_reset
from doingoai.monitoring.services import source_fetch

from .factories import SourceFactory
from .test_pipeline import assert_consistent

pytestmark = pytest.mark.django_db

FIELDS = (
    "canonical_url",
    "extraction_status",
    "title",
    "text",
    "content_hash",
    "relevance",
    "matched_terms",
    "topic",
    "topic_score",
    "risk_score",
    "risk_scores",
    "error",
)


def _stored(site):
    """What the pipeline stored, with the stories named by their first item's address."""
    first_of = {}
    rows = []
    for item in Item.objects.order_by("pk"):
        story = first_of.setdefault(item.cluster_id, item.canonical_url) if item.cluster_id else ""
        rows.append((*(getattr(item, name) for name in FIELDS), story))
    stories = sorted(
        (c.mention_count, c.source_count, c.max_relevance, c.max_risk, c.topic, c.title)
        for c in Cluster.objects.all()
    )
    hours = sorted(MentionHour.objects.values_list("hour", "mentions"))
    return rows, stories, hours


def _run_everything(site):
    for path in ("/feed.rss", "/feed.atom", "/errors.rss"):
        source_fetch(source=SourceFactory(url=site.url(path)))
    source_fetch(source=SourceFactory(kind=Source.Kind.LISTING, url=site.url("/tin-tuc/")))
    assert_consistent()
    return _stored(site)


def test_fetching_in_threads_stores_the_same_as_fetching_one_by_one(site, gazetteer, settings):
    settings.MONITORING_FETCH_THREADS = 0
    one_by_one = _run_everything(site)
    Item.objects.all().delete()
    Cluster.objects.all().delete()
    Source.objects.all().delete()
    near_index_reset()
    settings.MONITORING_FETCH_THREADS = 3
    ahead = _run_everything(site)
    assert ahead == one_by_one


def test_fetch_errors_in_threads_keep_the_active_language(site, gazetteer, settings):
    settings.MONITORING_FETCH_THREADS = 2
    with translation.override("vi"):
        vietnamese = translation.gettext("The server answered %(status)d for %(url)s")
        source_fetch(source=SourceFactory(url=site.url("/errors.rss")))
    missing = Item.objects.get(canonical_url=site.url("/missing.html"))
    assert missing.extraction_status == Item.Status.FETCH_ERROR
    expected = vietnamese % {"status": 404, "url": site.url("/missing.html")}
    assert missing.error == expected


def test_a_story_is_joined_in_few_queries(site, gazetteer):
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a1.html")))
    other = SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a2.html"))
    with CaptureQueriesContext(connection) as captured:
        source_fetch(source=other)
    stored = [q["sql"] for q in captured.captured_queries]
    # Joining: one UPDATE of the story (counters, new source, dates, relevance, risk, topic),
    # the item's INSERT, one mention-hour upsert; no SELECT … FOR UPDATE, no save of the story.
    story_updates = [sql for sql in stored if sql.startswith('UPDATE "monitoring_cluster"')]
    assert len(story_updates) == 1 and "EXISTS" in story_updates[0]
    assert sum('INTO "monitoring_mentionhour"' in sql for sql in stored) == 1
    a1, a2 = (Item.objects.get(canonical_url=site.url(f"/articles/a{n}.html")) for n in (1, 2))
    assert a1.cluster_id == a2.cluster_id
    story = a1.cluster
    assert (story.mention_count, story.source_count) == (2, 2)
    assert story.max_relevance == max(a1.relevance, a2.relevance)
    assert story.max_risk == max(a1.risk_score, a2.risk_score)
    assert_consistent()


def test_mentions_in_one_hour_are_counted_by_one_upsert(site, gazetteer):
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a1.html")))
    story = Item.objects.get().cluster
    hour = datetime(2024, 3, 12, 2, tzinfo=UTC)
    services._count_mention(story.pk, hour.replace(minute=35))
    services._count_mention(story.pk, hour.replace(minute=59, second=59))
    services._count_mention(story.pk, hour.replace(hour=3))
    assert list(story.hours.order_by("hour").values_list("hour", "mentions")) == [
        (hour, 3),
        (hour.replace(hour=3), 1),
    ]


def test_one_fetcher_fetches_from_several_threads(site):
    results, errors = [], []
    with Fetcher(retries=0) as fetcher:

        def fetch(path):
            try:
                results.append(fetcher.fetch(site.url(path), accept=HTML_TYPES).status)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

        threads = [
            threading.Thread(target=fetch, args=(f"/articles/a{n}.html",)) for n in (1, 2, 3, 4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors and results == [200] * 4
        assert len(fetcher._sessions) >= 2  # one session per thread that fetched
    assert site.hits["/robots.txt"] == 1  # robots.txt asked once for the host
