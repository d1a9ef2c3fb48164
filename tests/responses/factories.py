"""factory_boy factories of the monitoring stories/items used by alerts, and of the responses
models. Sources and watch terms come from tests/monitoring/factories.py."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from doingoai.monitoring.models import Cluster, Item, MentionHour
from doingoai.responses.models import AlertRule
from tests.monitoring.factories import SourceFactory, WatchTermFactory

__all__ = [
    "AlertRuleFactory",
    "ClusterFactory",
    "ItemFactory",
    "SourceFactory",
    "WatchTermFactory",
    "mentions",
]


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    title = factory.Sequence(lambda n: f"Tin đồn sai sự thật về cửa khẩu Kim Thành số {n}")
    first_seen = factory.LazyFunction(timezone.now)
    last_seen = factory.LazyFunction(timezone.now)
    mention_count = 1
    source_count = 1
    max_relevance = 0.5
    max_risk = 0.0


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    source = factory.SubFactory(SourceFactory)
    cluster = factory.SubFactory(ClusterFactory)
    url = factory.Sequence(lambda n: f"https://bao{n}.example.vn/bai-{n}.html")
    canonical_url = factory.SelfAttribute("url")
    title = factory.Sequence(lambda n: f"Bài viết thử số {n} về Lào Cai")
    text = "Nội dung bài viết thử về tỉnh Lào Cai."
    relevance = 0.5
    risk_score = 0.0
    matched_terms = factory.LazyFunction(lambda: ["Lào Cai"])


class AlertRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlertRule
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Quy tắc thử {n}")
    recipient_emails = "truc-ban@laocai.gov.vn"
    max_per_hour = 10
    cooldown_mentions = 5

    @factory.post_generation
    def watch_terms(self, create, extracted, **kwargs):
        if create and extracted:
            self.watch_terms.set(extracted)


def mentions(cluster: Cluster, count: int, *, hours_ago: int = 0, now=None) -> MentionHour:
    """``count`` mentions of ``cluster`` in the hour ``hours_ago`` hours before ``now``."""
    now = now or timezone.now()
    hour = (now - timedelta(hours=hours_ago)).replace(minute=0, second=0, microsecond=0)
    row, _created = MentionHour.objects.get_or_create(cluster=cluster, hour=hour)
    row.mentions += count
    row.save()
    cluster.mention_count += count
    cluster.save(update_fields=["mention_count"])
    return row
