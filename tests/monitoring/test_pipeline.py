"""The pipeline: source_fetch fetches, extracts, dedupes, scores and stores, idempotently."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from doingoai.monitoring import services
from doingoai.monitoring.models import Cluster, Item, MentionHour, Source
from doingoai.monitoring.near_index import near_index_reset, near_index_sync
from doingoai.monitoring.selectors import cluster_growth, clusters_trending, gazetteer_current
from doingoai.monitoring.services import social_export_import, source_fetch

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def item(site, path) -> Item:
    return Item.objects.get(canonical_url=site.url(path))


def feed_source(site, path="/feed.rss", **fields) -> Source:
    return SourceFactory(url=site.url(path), **fields)


def assert_consistent():
    """Cluster counters agree with the items, and growth counts with the mentions."""
    for cluster in Cluster.objects.all():
        items = list(cluster.items.all())
        assert cluster.mention_count == len(items)
        assert cluster.source_count == len({i.source_id for i in items})
        assert sum(cluster.hours.values_list("mentions", flat=True)) == len(items)
    assert Item.objects.filter(extraction_status="ok", cluster__isnull=True).count() == 0


def test_feed_is_fetched_extracted_deduplicated_and_scored(site, gazetteer):
    source = feed_source(site)
    report = source_fetch(source=source)
    assert (report.status, report.entries, report.created, report.failed) == ("ok", 3, 3, 0)

    a1, a2, a3 = (item(site, f"/articles/a{n}.html") for n in (1, 2, 3))
    assert a1.title == "Lào Cai và Vân Nam tăng cường hợp tác thương mại"
    assert a1.extraction_status == Item.Status.OK
    assert a1.author == "Thu Hà" and a1.language == "vi"
    assert a1.published_at == datetime(2024, 3, 12, 2, 0, tzinfo=UTC)  # from the feed
    assert "Kim Thành" in a1.text and "Giấy phép" not in a1.text
    # a2 republishes a1 with one sentence changed: same story, another mention.
    assert a1.content_hash != a2.content_hash
    assert a1.cluster_id == a2.cluster_id != a3.cluster_id
    story = a1.cluster
    assert (story.mention_count, story.source_count) == (2, 1)
    assert story.representative == a1
    assert story.first_seen == a1.published_at and story.last_seen == a2.published_at
    # Relevance: place names of the province, border gates, officials.
    assert a1.relevance > 5
    assert {"Lào Cai", "cửa khẩu quốc tế Lào Cai", "cửa khẩu Kim Thành", "Hà Khẩu"} <= set(
        a1.matched_terms
    )
    assert {"Sa Pa", "Fansipan", "Cát Cát", "Tả Van"} <= set(a3.matched_terms)
    # Health of the source.
    source.refresh_from_db()
    assert source.last_status == Source.Status.OK
    assert source.etag == '"feed-v1"' and source.last_http_status == 200
    assert source.consecutive_failures == 0 and source.last_new_items == 3
    assert source.next_fetch_at > timezone.now() + timedelta(minutes=59)
    assert_consistent()


def test_growth_of_a_story_is_visible(site, gazetteer):
    source_fetch(source=feed_source(site))
    story = item(site, "/articles/a1.html").cluster
    assert cluster_growth(cluster=story) == [
        (datetime(2024, 3, 12, 2, tzinfo=UTC), 1),
        (datetime(2024, 3, 12, 8, tzinfo=UTC), 1),
    ]
    assert [(f"{day:%d/%m/%Y}", n) for day, n in cluster_growth(cluster=story, by="day")] == [
        ("12/03/2024", 2)
    ]
    trending = list(clusters_trending(now=datetime(2024, 3, 12, 12, tzinfo=UTC), hours=24))
    assert trending[0] == story and trending[0].recent == 2


def test_reingesting_creates_nothing_new(site, gazetteer):
    source = feed_source(site)
    source_fetch(source=source)
    hits = site.hits["/articles/a1.html"]

    again = source_fetch(source=source)  # conditional GET: 304
    assert (again.status, again.created) == ("not_modified", 0)
    source.refresh_from_db()
    assert source.last_status == Source.Status.NOT_MODIFIED

    source.etag = source.last_modified = ""
    third = source_fetch(source=source)  # full feed again: everything is known
    assert (third.status, third.created, third.existing) == ("ok", 0, 3)
    assert Item.objects.count() == 3 and Cluster.objects.count() == 2
    assert site.hits["/articles/a1.html"] == hits  # known articles are not fetched again
    assert_consistent()


def test_other_sources_add_mentions_exact_duplicates_and_no_text_pages(site, gazetteer):
    feed = feed_source(site)
    source_fetch(source=feed)
    atom = source_fetch(source=feed_source(site, "/feed.atom"))
    assert (atom.created, atom.existing) == (1, 1)  # a4 is new, a3 known

    listing = SourceFactory(kind=Source.Kind.LISTING, url=site.url("/tin-tuc/"))
    report = source_fetch(source=listing)
    # a1 and a4 (its tracking parameter stripped) are known; the copy of a3 and the video are new.
    assert (report.created, report.existing, report.no_text) == (2, 2, 1)
    copy = item(site, "/khac/a3-ban-sao.html")
    a3 = item(site, "/articles/a3.html")
    assert copy.content_hash == a3.content_hash
    assert copy.cluster == a3.cluster
    assert (a3.cluster.mention_count, a3.cluster.source_count) == (2, 2)
    video = item(site, "/articles/video.html")
    assert video.extraction_status == Item.Status.NO_TEXT  # recorded, not dropped
    assert video.title == "Video: chợ phiên" and video.cluster is None and video.text == ""
    assert_consistent()


def test_failed_pages_are_recorded_and_retried(site, gazetteer):
    source = feed_source(site, "/errors.rss")
    report = source_fetch(source=source)
    assert (report.created, report.failed, report.no_text) == (3, 2, 1)
    missing = item(site, "/missing.html")
    secret = item(site, "/private/secret.html")
    assert missing.extraction_status == secret.extraction_status == Item.Status.FETCH_ERROR
    assert "404" in missing.error and "robots.txt" in secret.error
    assert missing.title == "Bài đã bị gỡ"  # what the feed said is kept
    assert site.hits["/private/secret.html"] == 0

    site.routes["/missing.html"] = site.routes["/articles/a4.html"]
    retry = source_fetch(source=source)
    assert (retry.created, retry.retried, retry.existing) == (0, 2, 1)
    missing.refresh_from_db()
    assert missing.extraction_status == Item.Status.OK and missing.fetch_attempts == 2
    assert missing.cluster is not None and "Văn Bàn" in missing.matched_terms
    source_fetch(source=source)
    last = source_fetch(source=source)  # the robots-blocked page has had its 3 attempts
    assert (last.retried, last.existing) == (0, 3)
    assert item(site, "/private/secret.html").fetch_attempts == 3
    assert_consistent()


def test_unreadable_sources_record_their_health(site, gazetteer):
    broken = feed_source(site, "/broken.rss", fetch_interval_minutes=30)
    report = source_fetch(source=broken)
    assert report.status == "error" and "RSS" in report.error
    broken.refresh_from_db()
    assert broken.last_status == Source.Status.ERROR
    assert broken.consecutive_failures == 1
    assert broken.last_error == report.error
    first_delay = broken.next_fetch_at - broken.last_fetched_at
    source_fetch(source=broken)
    broken.refresh_from_db()
    assert broken.consecutive_failures == 2
    assert broken.next_fetch_at - broken.last_fetched_at == first_delay * 2  # backing off
    assert Item.objects.count() == 0

    private = feed_source(site, "/to-private")
    assert "10.0.0.7" in source_fetch(source=private).error
    # A feed that recovers resets the counter.
    broken.url = site.url("/feed.rss")
    source_fetch(source=broken)
    broken.refresh_from_db()
    assert (broken.last_status, broken.consecutive_failures, broken.last_error) == ("ok", 0, "")


class Crash(BaseException):
    """Stands for the process being killed: nothing catches it."""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("batch", "committed"),
    [
        (1, 2),  # one item per transaction: a1 and a2 committed, a3 rolled back
        (2, 2),  # the batch (a1, a2) committed; the batch of a3 rolled back whole
        (None, 0),  # the default batch holds the whole feed: nothing committed
    ],
)
def test_a_crash_in_the_middle_of_a_batch_loses_and_duplicates_nothing(
    site, gazetteer, monkeypatch, settings, batch, committed
):
    if batch is not None:
        settings.MONITORING_STORE_BATCH = batch
    source = feed_source(site, "/all.rss")
    real_join = services._join_cluster
    calls = []

    def crashing_join(item, cluster_id, when):
        calls.append(item.canonical_url)
        if len(calls) == 3:  # the third item: saved, then the process dies
            raise Crash
        return real_join(item, cluster_id, when)

    monkeypatch.setattr(services, "_join_cluster", crashing_join)
    with pytest.raises(Crash):
        source_fetch(source=source)
    # The batches before the crash are committed; the batch being stored was rolled back
    # whole (items, story counts, mention hours); the rest was not reached.
    assert sorted(Item.objects.values_list("canonical_url", flat=True)) == [
        site.url(f"/articles/a{n}.html") for n in range(1, committed + 1)
    ]
    source.refresh_from_db()
    assert source.etag == ""  # validators not saved: the next run reads the feed again
    assert_consistent()
    # Items of the rolled-back batch were taken out of the near-duplicate index again.
    assert len(near_index_sync()) == Item.objects.filter(signature__isnull=False).count()

    monkeypatch.setattr(services, "_join_cluster", real_join)
    near_index_reset()  # a new process
    report = source_fetch(source=source)
    assert (report.created, report.existing) == (4 - committed, committed)  # nothing lost
    assert Item.objects.count() == 4  # nothing duplicated
    assert Cluster.objects.count() == 3
    assert item(site, "/articles/a2.html").cluster == item(site, "/articles/a1.html").cluster
    assert_consistent()
    assert source_fetch(source=source).created == 0


@pytest.mark.django_db(transaction=True)
def test_a_key_stored_meanwhile_by_another_run_is_kept_once(site, gazetteer, monkeypatch):
    """Another run stores a2 while this one is preparing its batch: the unique canonical URL
    refuses this run's insert, only that item's savepoint is rolled back, and the rest of
    the batch is stored."""
    source = feed_source(site)
    other = feed_source(site, "/all.rss")
    real_draft = services.entry_draft

    def draft_while_another_run_stores(**kwargs):
        draft = real_draft(**kwargs)
        if kwargs["key"].endswith("/a2.html"):
            other_run = services.item_store(
                source=other, draft=draft, gazetteer=gazetteer_current()
            )
            assert other_run is not None
        return draft

    monkeypatch.setattr(services, "entry_draft", draft_while_another_run_stores)
    report = source_fetch(source=source)
    assert (report.created, report.existing, report.failed) == (2, 1, 0)
    assert Item.objects.filter(canonical_url=site.url("/articles/a2.html")).count() == 1
    assert item(site, "/articles/a2.html").source == other
    assert Item.objects.count() == 3
    assert item(site, "/articles/a2.html").cluster == item(site, "/articles/a1.html").cluster
    assert_consistent()


def test_one_bad_item_does_not_stop_the_batch(site, gazetteer, monkeypatch):
    real = services.extract_article

    def flaky(html, *, url=""):
        if url.endswith("a2.html"):
            raise ValueError("parser bug")
        return real(html, url=url)

    monkeypatch.setattr(services, "extract_article", flaky)
    report = source_fetch(source=feed_source(site))
    assert (report.created, report.failed) == (2, 1)
    monkeypatch.setattr(services, "extract_article", real)
    source = Source.objects.get()
    source.etag = ""
    assert source_fetch(source=source).created == 1  # picked up on the next run
    assert_consistent()


def test_the_index_is_rebuilt_from_the_database(site, gazetteer):
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a1.html")))
    near_index_reset()  # another worker process, with an empty index
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a2.html")))
    assert item(site, "/articles/a2.html").cluster == item(site, "/articles/a1.html").cluster
    assert len(near_index_sync()) == 2
    assert_consistent()


def test_a_deleted_story_is_not_joined(site, gazetteer):
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a1.html")))
    item(site, "/articles/a1.html").cluster.delete()
    source_fetch(source=SourceFactory(kind=Source.Kind.URL, url=site.url("/articles/a2.html")))
    a2 = item(site, "/articles/a2.html")
    assert a2.cluster is not None and a2.cluster.mention_count == 1


def test_sitemap_source(site, gazetteer):
    report = source_fetch(
        source=SourceFactory(kind=Source.Kind.SITEMAP, url=site.url("/sitemap_index.xml"))
    )
    assert (report.status, report.created) == ("ok", 3)
    assert item(site, "/articles/a3.html").title == "Sa Pa đón gần 600 nghìn lượt khách"


SOCIAL = (
    "platform,id,type,parent_id,text,author,published,likes\n"
    'facebook,p1,post,,"Chiều nay đường lên Sa Pa qua đèo Ô Quy Hồ bị sạt lở, mọi người chú ý '
    'đi đường khác nhé",Nhóm Phượt Tây Bắc,15/03/2024 14:05,230\n'
    "facebook,p1_c1,comment,p1,Mình vừa đi qua lúc 3 giờ chiều vẫn đi được,Tuấn,"
    "15/03/2024 15:10,4\n"
    'facebook,p2,post,,"Chiều nay đường lên Sa Pa qua đèo Ô Quy Hồ bị sạt lở, mọi người chú ý '
    'đi đường khác nhé",Trang Tin Lào Cai,15/03/2024 14:30,50\n'
    "facebook,p3,post,,,Ẩn danh,15/03/2024,\n"
).encode()


def test_social_export_import(gazetteer):
    source = SourceFactory(kind=Source.Kind.SOCIAL, url="", platform="facebook")
    report = social_export_import(source=source, data=SOCIAL, filename="nhom.csv")
    assert (report.created, report.existing) == (3, 0)
    assert report.problems == ["Dòng 5: nội dung trống (cột text)"]
    post = Item.objects.get(canonical_url="social:facebook:p1")
    comment = Item.objects.get(canonical_url="social:facebook:p1_c1")
    assert post.kind == Item.Kind.POST and comment.kind == Item.Kind.COMMENT
    assert comment.extra == {"platform": "facebook", "id": "p1_c1", "parent_id": "p1", "likes": 4}
    assert {"Sa Pa", "Ô Quy Hồ", "sạt lở"} <= set(post.matched_terms)
    # The same post shared by another page: an exact duplicate, one story, two mentions.
    shared = Item.objects.get(canonical_url="social:facebook:p2")
    assert shared.cluster == post.cluster and post.cluster.mention_count == 2
    again = social_export_import(source=source, data=SOCIAL, filename="nhom.csv")
    assert (again.created, again.existing) == (0, 3)
    assert Item.objects.count() == 3
    assert_consistent()


def test_bad_social_file_is_reported():
    source = SourceFactory(kind=Source.Kind.SOCIAL, url="")
    report = social_export_import(source=source, data=b"[{", filename="x.json")
    assert report.status == "error" and report.error.startswith("Tệp không phải JSON hợp lệ")
    assert MentionHour.objects.count() == 0
