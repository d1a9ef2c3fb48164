"""Background tasks run in-process by default and on RQ workers (Redis) by configuration."""

import os
from datetime import date

import pytest
from django_tasks import TaskResultStatus

from doingoai.visitors.buffer import get_visit_store
from doingoai.visitors.models import SiteDailyVisits
from doingoai.visitors.tasks import flush_visits

pytestmark = pytest.mark.django_db


def test_tasks_run_in_process_by_default(portal):
    get_visit_store().record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 24))
    result = flush_visits.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert SiteDailyVisits.objects.get(day=date(2026, 11, 24)).views == 1


@pytest.mark.redis
def test_tasks_go_to_rq_workers_when_configured(portal, settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.VISITS_STORE = "redis"
    settings.RQ_QUEUES = {"default": {"URL": settings.REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    get_visit_store.cache_clear()
    store = get_visit_store()
    store.client.flushdb()
    store.record(page_id=1, locale="vi", visitor="a", day=date(2026, 11, 25))

    result = flush_visits.enqueue()
    assert result.status == TaskResultStatus.READY  # queued in Redis, not run here
    assert not SiteDailyVisits.objects.filter(day=date(2026, 11, 25)).exists()

    # What `manage.py rqworker --job-class django_tasks_rq.backend.Job` does on a worker host.
    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert SiteDailyVisits.objects.get(day=date(2026, 11, 25)).views == 1
