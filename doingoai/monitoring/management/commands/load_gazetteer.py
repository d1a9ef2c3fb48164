"""Seed the watch terms with the province's gazetteer (idempotent).

    manage.py load_gazetteer                  # Lào Cai, the bundled list
    manage.py load_gazetteer --file other.json --update

The file holds ``{"terms": [{"term": …, "kind": …, "weight": …}, …]}``. Existing terms
keep the kind and weight staff gave them unless ``--update`` is passed.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from doingoai.monitoring.models import WatchTerm

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "gazetteer_lao_cai.json"


class Command(BaseCommand):
    help = "Load the province's place names and watch keywords into WatchTerm."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FILE), help="JSON gazetteer file")
        parser.add_argument(
            "--update", action="store_true", help="overwrite kind and weight of existing terms"
        )

    def handle(self, *args, file: str, update: bool, **options):
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
            rows = data["terms"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        kinds = set(WatchTerm.Kind.values)
        created = updated = 0
        with transaction.atomic():
            for row in rows:
                term = str(row.get("term", "")).strip()
                kind = row.get("kind", WatchTerm.Kind.KEYWORD)
                if not term or kind not in kinds:
                    raise CommandError(f"Bad row in {file}: {row!r}")
                defaults = {"kind": kind, "weight": float(row.get("weight", 1.0))}
                watch_term, was_created = WatchTerm.objects.get_or_create(
                    term=term, defaults=defaults
                )
                if was_created:
                    created += 1
                elif update and any(getattr(watch_term, k) != v for k, v in defaults.items()):
                    for name, value in defaults.items():
                        setattr(watch_term, name, value)
                    watch_term.save()
                    updated += 1
        self.stdout.write(
            f"{created} terms created, {updated} updated, {len(rows) - created - updated} kept."
        )
