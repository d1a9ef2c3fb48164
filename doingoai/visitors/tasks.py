from django_tasks import task

from .services import visits_flush


@task()
def flush_visits() -> int:
    """Move buffered page views into the daily tables."""
    return visits_flush()
