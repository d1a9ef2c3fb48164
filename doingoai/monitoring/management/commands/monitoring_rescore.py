"""Recompute the relevance of every item after the watch terms changed."""

from django.core.management.base import BaseCommand

from doingoai.monitoring.services import items_rescore


class Command(BaseCommand):
    help = "Recompute item relevance with the current watch terms."

    def handle(self, *args, **options):
        self.stdout.write(f"{items_rescore()} items rescored.")
