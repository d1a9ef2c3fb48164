"""factory_boy factories of the monitoring models."""

import factory

from doingoai.monitoring.models import Source, WatchTerm


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Báo thử {n}")
    kind = Source.Kind.FEED
    url = factory.Sequence(lambda n: f"https://bao{n}.example.vn/rss")
    fetch_interval_minutes = 60


class WatchTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WatchTerm
        django_get_or_create = ("term",)

    term = factory.Sequence(lambda n: f"từ khoá {n}")
    kind = WatchTerm.Kind.KEYWORD
    weight = 1.0
