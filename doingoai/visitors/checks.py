"""Deployment check: a visit buffer the periodic job can reach."""

from django.conf import settings
from django.core import checks


@checks.register(deploy=True)
def check_visit_store(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``VISITS_STORE=memory`` under gunicorn loses every view: each worker counts in its own
    memory and ``run_periodic``, another process, flushes an empty buffer (issue #12)."""
    if settings.VISITS_STORE == "memory" and not settings.PERIODIC_JOBS_IN_PROCESS:
        return [
            checks.Warning(
                "VISITS_STORE=memory with the periodic jobs outside the web process: page views "
                "counted by the web workers are never flushed.",
                hint="Leave VISITS_STORE unset (the SQLite file var/visits.sqlite3, or Redis "
                "when REDIS_URL is set).",
                id="visitors.W001",
            )
        ]
    return []
