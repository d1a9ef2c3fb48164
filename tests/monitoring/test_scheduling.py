"""Scheduling: the periodic job enqueues due sources; the task wraps source_fetch."""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from doingoai.core.periodic import registered_jobs
from doingoai.monitoring import tasks
from doingoai.monitoring.models import Item, Source, WatchTerm
from doingoai.monitoring.services import sources_due, sources_enqueue_due
from doingoai.monitoring.tasks import fetch_source

from .factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_fetch_task_runs_the_pipeline(site, gazetteer):
    source = SourceFactory(url=site.url("/feed.rss"))
    result = fetch_source.enqueue(source_id=source.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["created"] == 3
    assert Item.objects.count() == 3
    source.active = False
    source.save()
    assert fetch_source.enqueue(source_id=source.pk).return_value["status"] == "skipped"


def test_due_sources():
    now = timezone.now()
    never = SourceFactory(next_fetch_at=None)
    late = SourceFactory(next_fetch_at=now - timedelta(minutes=1))
    SourceFactory(next_fetch_at=now + timedelta(minutes=5))
    SourceFactory(next_fetch_at=None, active=False)
    SourceFactory(kind=Source.Kind.SOCIAL, url="", next_fetch_at=None)  # imported from files
    assert list(sources_due(now=now)) == [never, late]


def test_periodic_job_enqueues_due_sources_once(site, gazetteer):
    jobs = {job.name: job for job in registered_jobs()}
    assert jobs["monitoring_fetch_due"].run is sources_enqueue_due

    feed = SourceFactory(url=site.url("/feed.rss"))
    atom = SourceFactory(url=site.url("/feed.atom"))
    SourceFactory(url=site.url("/sitemap.xml"), kind=Source.Kind.SITEMAP, active=False)
    enqueued = sources_enqueue_due()  # the in-process backend runs the tasks right away
    assert sorted(enqueued) == sorted([feed.pk, atom.pk])
    assert Item.objects.count() == 4
    feed.refresh_from_db()
    assert feed.next_fetch_at > timezone.now() + timedelta(minutes=59)
    assert sources_enqueue_due() == []  # nothing is due any more


def test_claimed_sources_are_not_enqueued_twice(monkeypatch):
    source = SourceFactory(next_fetch_at=None)
    sent = []
    monkeypatch.setattr(
        tasks, "fetch_source", SimpleNamespace(enqueue=lambda **kw: sent.append(kw))
    )
    now = timezone.now()
    assert sources_enqueue_due(now=now) == [source.pk]
    assert sources_enqueue_due(now=now) == []
    assert sent == [{"source_id": source.pk}]


def test_load_gazetteer_is_idempotent_and_keeps_staff_edits():
    out = io.StringIO()
    call_command("load_gazetteer", stdout=out)
    count = WatchTerm.objects.count()
    assert count > 100 and out.getvalue().startswith(f"{count} terms created")
    names = set(WatchTerm.objects.values_list("term", flat=True))
    assert {
        "Lào Cai",
        "Sa Pa",
        "Bát Xát",
        "Mường Khương",
        "Si Ma Cai",
        "Bắc Hà",
        "Bảo Thắng",
        "Bảo Yên",
        "Văn Bàn",
        "thành phố Lào Cai",
        "cửa khẩu quốc tế Lào Cai",
        "Kim Thành",
        "Fansipan",
        "Y Tý",
        "Hà Khẩu",
    } <= names
    WatchTerm.objects.filter(term="Sa Pa").update(weight=5)
    call_command("load_gazetteer", stdout=io.StringIO())
    assert WatchTerm.objects.count() == count
    assert WatchTerm.objects.get(term="Sa Pa").weight == 5
    call_command("load_gazetteer", "--update", stdout=io.StringIO())
    assert WatchTerm.objects.get(term="Sa Pa").weight == 2


def test_rescore_after_terms_change(site, gazetteer):
    call_command(
        "monitoring_fetch",
        "--source",
        str(SourceFactory(url=site.url("/feed.rss")).pk),
        stdout=io.StringIO(),
    )
    a4_like = Item.objects.get(canonical_url=site.url("/articles/a3.html"))
    WatchTerm.objects.create(term="băng tuyết", kind=WatchTerm.Kind.KEYWORD, weight=4)
    out = io.StringIO()
    call_command("monitoring_rescore", stdout=out)
    a4_like.refresh_from_db()
    assert "băng tuyết" in a4_like.matched_terms
    assert out.getvalue().startswith("1 items rescored")


def test_import_social_command(tmp_path, gazetteer):
    source = SourceFactory(kind=Source.Kind.SOCIAL, url="", platform="zalo")
    path = tmp_path / "zalo.csv"
    path.write_text("id,text\nz1,Người dân Y Tý đón Tết sớm\nz2,\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("monitoring_import_social", str(source.pk), str(path), stdout=out, stderr=err)
    assert out.getvalue().startswith("1 new, 0 already imported, 1 rows with errors")
    assert "Dòng 3" in err.getvalue()
    assert Item.objects.get().matched_terms == ["Y Tý"]
