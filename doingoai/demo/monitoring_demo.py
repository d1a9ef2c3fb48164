"""Demo monitoring data: three social-media sources and an export of posts and comments.

The posts (``data/social_demo.json``) were written for the project: a border-gate rumour
republished by several accounts and its official denial, a landslide on the Sa Pa road,
tourism, trade at Kim Thành and a post inciting a gathering. They go through the real import
pipeline (deduplication, gazetteer relevance, classification), so the dashboard, alerts and
cases have something to show. Publication times are relative to the moment of loading.
Idempotent: posts already stored are skipped by the pipeline itself.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from doingoai.monitoring.models import Source
from doingoai.monitoring.services import social_export_import

DATA = Path(__file__).parent / "data" / "social_demo.json"
EXPORT_FIELDS = ("id", "type", "parent_id", "author", "title", "text", "likes", "shares")


def _export_rows(posts: list[dict], now) -> list[dict]:
    rows = []
    for post in posts:
        row = {name: post[name] for name in EXPORT_FIELDS if name in post}
        row["published"] = (now - timedelta(hours=post["hours_ago"])).isoformat()
        if "comments" in post:
            row["comments"] = post["comments"]
        rows.append(row)
    return rows


def monitoring_demo_load() -> int:
    """Create the demo sources and import their posts; returns the number of new items."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    now = timezone.now()
    created = 0
    for spec in data["sources"]:
        source, _ = Source.objects.get_or_create(
            name=spec["name"],
            defaults={"kind": Source.Kind.SOCIAL, "platform": spec["platform"], "url": ""},
        )
        posts = [post for post in data["posts"] if post["source"] == spec["key"]]
        payload = json.dumps(_export_rows(posts, now), ensure_ascii=False).encode("utf-8")
        report = social_export_import(
            source=source, data=payload, filename=f"{spec['key']}-demo.json"
        )
        created += report.created
    return created
