"""factory_boy factories of the monitoring models."""

import factory

from doingoai.monitoring.models import Item, ItemLabel, Source, WatchTerm


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


class ItemFactory(factory.django.DjangoModelFactory):
    """A stored item with text (classification fields left to the code under test)."""

    class Meta:
        model = Item

    source = factory.SubFactory(SourceFactory)
    canonical_url = factory.Sequence(lambda n: f"https://bao.example.vn/tin/{n}")
    url = factory.SelfAttribute("canonical_url")
    title = factory.Sequence(lambda n: f"Tin thử {n}")
    text = "Hàng nghìn du khách đến Sa Pa dịp nghỉ lễ."


class ItemLabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemLabel

    item = factory.SubFactory(ItemFactory)
    topic = ItemLabel.Topic.DU_LICH
    risk = ItemLabel.Risk.NONE
