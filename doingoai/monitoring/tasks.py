from django_tasks import task

from .models import Source
from .services import source_fetch


@task()
def fetch_source(source_id: int) -> dict:
    """Fetch one source now (fetch, extract, dedupe, score, store)."""
    source = Source.objects.filter(pk=source_id, active=True).first()
    if source is None:
        return {"source_id": source_id, "status": "skipped"}
    return source_fetch(source=source).as_dict()
