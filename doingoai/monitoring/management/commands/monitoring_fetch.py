"""Fetch monitoring sources now: ``--source ID`` (repeatable), ``--due`` or ``--all``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from doingoai.monitoring.models import Source
from doingoai.monitoring.services import source_fetch, sources_due


class Command(BaseCommand):
    help = "Fetch monitoring sources now and print what each fetch stored."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, action="append", default=[])
        parser.add_argument("--due", action="store_true", help="the sources whose time has come")
        parser.add_argument("--all", action="store_true", help="every active source")

    def handle(self, *args, source: list[int], due: bool, all: bool, **options):
        if source:
            sources = Source.objects.filter(pk__in=source)
        elif due:
            sources = sources_due()
        elif all:
            sources = Source.objects.filter(active=True).exclude(url="")
        else:
            raise CommandError("Pass --source ID, --due or --all.")
        for item in sources:
            report = source_fetch(source=item)
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
