"""Import a social-media export (CSV or JSON) into a source of kind "social".

    manage.py monitoring_import_social SOURCE_ID posts.csv

The columns are documented in ``doingoai/monitoring/connectors/social.py``. Bad rows are
printed with their row number and the reason; the other rows are imported.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doingoai.monitoring.models import Source
from doingoai.monitoring.services import social_export_import


class Command(BaseCommand):
    help = "Import posts and comments from a Facebook/YouTube/Zalo export file."

    def add_arguments(self, parser):
        parser.add_argument("source_id", type=int)
        parser.add_argument("path")

    def handle(self, *args, source_id: int, path: str, **options):
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise CommandError(f"No source {source_id}.")
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        report = social_export_import(source=source, data=data, filename=Path(path).name)
        if report.error:
            raise CommandError(report.error)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"{report.created} new, {report.existing} already imported, "
            f"{len(report.problems)} rows with errors."
        )
