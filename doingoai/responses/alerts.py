"""Writes of the alerting side: evaluate the rules, store alerts, send and retry deliveries,
send the daily digest. ``services`` re-exports the public functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doingoai.monitoring.models import Item, MentionHour, WatchTerm

from .conf import setting
from .matching import Candidate, Conditions, rule_reasons
from .models import Alert, AlertRule, Delivery, DigestLog, EvaluationMark
from .selectors import digest_content, digest_recipients, rule_recipients
from .webhooks import WebhookError, webhook_post

logger = logging.getLogger(__name__)

WATERMARK = "alerts"
PEOPLE_KINDS = (WatchTerm.Kind.PERSON, WatchTerm.Kind.OFFICIAL)


# --- evaluation -------------------------------------------------------------------------------


@dataclass
class EvaluationResult:
    items: int = 0
    alerts: list[Alert] = field(default_factory=list)
    last_item_id: int = 0

    @property
    def alert_count(self) -> int:
        return len(self.alerts)


def conditions_of(rule: AlertRule) -> Conditions:
    return Conditions(
        min_risk=rule.min_risk,
        min_relevance=rule.min_relevance,
        topic=rule.topic,
        growth_mentions=rule.growth_mentions,
        growth_hours=rule.growth_hours,
        terms=frozenset(term.term for term in rule.watch_terms.all()),
        watch_people=rule.watch_people,
    )


def candidate_of(item: Item) -> Candidate:
    cluster = item.cluster
    return Candidate(
        risk=max(item.risk_score, cluster.max_risk if cluster else 0.0),
        relevance=max(item.relevance, cluster.max_relevance if cluster else 0.0),
        topics=frozenset(t for t in (item.topic, cluster.topic if cluster else "") if t),
        terms=tuple(item.matched_terms or ()),
    )


def watermark_get() -> EvaluationMark:
    mark, _created = EvaluationMark.objects.get_or_create(name=WATERMARK)
    return mark


def watermark_advance(*, last_item_id: int, now: datetime) -> None:
    """Move the watermark forward (never back); called only once the alerts are stored."""
    EvaluationMark.objects.filter(name=WATERMARK, last_item_id__lt=last_item_id).update(
        last_item_id=last_item_id
    )
    EvaluationMark.objects.filter(name=WATERMARK).update(evaluated_at=now)


def items_to_evaluate(*, after_id: int, now: datetime) -> list[Item]:
    """New items (id above the watermark, oldest first, one batch) and, again, the items
    fetched in the last ``RESPONSES_LOOKBACK_MINUTES`` (stored late or classified late)."""
    base = (
        Item.objects.exclude(extraction_status=Item.Status.FETCH_ERROR)
        .select_related("cluster")
        .defer("text", "signature", "extra")
    )
    new = list(base.filter(pk__gt=after_id).order_by("pk")[: setting("RESPONSES_EVALUATE_BATCH")])
    since = now - timedelta(minutes=setting("RESPONSES_LOOKBACK_MINUTES"))
    recent = list(base.filter(pk__lte=after_id, fetched_at__gte=since).order_by("pk"))
    return recent + new


def _hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def recent_mentions(*, cluster_ids: set[int], hours: int, now: datetime) -> dict[int, int]:
    """Mentions per story in the current hour and the ``hours - 1`` before it."""
    if not cluster_ids:
        return {}
    since = _hour_floor(now) - timedelta(hours=hours - 1)
    rows = (
        MentionHour.objects.filter(cluster_id__in=cluster_ids, hour__gte=since, hour__lte=now)
        .values("cluster_id")
        .annotate(total=Sum("mentions"))
        .order_by()
    )
    return {row["cluster_id"]: row["total"] or 0 for row in rows}


class _Growth:
    """Recent mentions of the batch's stories, one query per distinct window."""

    def __init__(self, items: list[Item], now: datetime) -> None:
        self.cluster_ids = {item.cluster_id for item in items if item.cluster_id}
        self.now = now
        self._by_hours: dict[int, dict[int, int]] = {}

    def of(self, item: Item, hours: int) -> int:
        if item.cluster_id is None:
            return 1  # an item without a story is one mention
        if hours not in self._by_hours:
            self._by_hours[hours] = recent_mentions(
                cluster_ids=self.cluster_ids, hours=hours, now=self.now
            )
        return self._by_hours[hours].get(item.cluster_id, 0)


def alerts_evaluate(*, now: datetime | None = None) -> EvaluationResult:
    """Đánh giá quy tắc cảnh báo: evaluate the active rules over the items fetched since the
    watermark, store the alerts (at most one per rule and story until it grows) and send them.

    Crash-safe and idempotent: each alert is stored with a unique key before the watermark
    moves, so a run that stops half-way is simply evaluated again by the next one.
    """
    now = now or timezone.now()
    mark = watermark_get()
    result = EvaluationResult(last_item_id=mark.last_item_id)
    rules = list(AlertRule.objects.filter(active=True).prefetch_related("watch_terms"))
    items = items_to_evaluate(after_id=mark.last_item_id, now=now)
    result.items = len(items)
    if rules and items:
        with translation.override(settings.LANGUAGE_CODE):
            result.alerts = _evaluate(rules, items, now)
    if items:
        result.last_item_id = max(mark.last_item_id, max(item.pk for item in items))
    watermark_advance(last_item_id=result.last_item_id, now=now)
    deliveries_enqueue(alert.pk for alert in result.alerts if alert.notified)
    return result


def _evaluate(rules: list[AlertRule], items: list[Item], now: datetime) -> list[Alert]:
    people = frozenset(
        WatchTerm.objects.filter(kind__in=PEOPLE_KINDS).values_list("term", flat=True)
    )
    growth = _Growth(items, now)
    conditions = {rule.pk: conditions_of(rule) for rule in rules}
    alerts = []
    for item in items:
        candidate = candidate_of(item)
        for rule in rules:
            wanted = conditions[rule.pk]
            reasons = rule_reasons(
                wanted,
                candidate,
                recent_mentions=growth.of(item, wanted.growth_hours)
                if wanted.growth_mentions
                else 0,
                people_terms=people,
            )
            if reasons:
                alert = alert_store(rule=rule, item=item, reason="; ".join(reasons), now=now)
                if alert is not None:
                    alerts.append(alert)
    return alerts


def _dedup_key(rule: AlertRule, item: Item) -> str | None:
    """``r<rule>:c<story>:<n>`` for the n-th alert of a rule on a story, or ``r<rule>:i<item>``
    for an item without a story; None while the story is in its cooldown."""
    if item.cluster_id is None:
        key = f"r{rule.pk}:i{item.pk}"
        return None if Alert.objects.filter(dedup_key=key).exists() else key
    previous = Alert.objects.filter(rule=rule, cluster_id=item.cluster_id)
    last = previous.order_by("-pk").values_list("mentions", flat=True).first()
    if last is not None and item.cluster.mention_count < last + rule.cooldown_mentions:
        return None
    return f"r{rule.pk}:c{item.cluster_id}:{previous.count() + 1}"


def _under_rate_limit(rule: AlertRule, now: datetime) -> bool:
    sent = Alert.objects.filter(
        rule=rule, notified=True, created__gt=now - timedelta(hours=1), created__lte=now
    ).count()
    return sent < rule.max_per_hour


def alert_store(*, rule: AlertRule, item: Item, reason: str, now: datetime) -> Alert | None:
    """Store one alert and its deliveries, or nothing when it is a duplicate or the story is
    in its cooldown. Over the rule's hourly limit the deliveries are stored as held back."""
    with transaction.atomic():
        key = _dedup_key(rule, item)
        if key is None:
            return None
        alert = Alert(
            rule=rule,
            cluster_id=item.cluster_id,
            item=item,
            reason=reason,
            mentions=item.cluster.mention_count if item.cluster_id else 1,
            notified=_under_rate_limit(rule, now),
            dedup_key=key,
            created=now,
        )
        try:
            with transaction.atomic():
                alert.save(force_insert=True)
        except IntegrityError:
            return None  # stored by another run meanwhile
        _deliveries_create(alert, rule, now)
    return alert


def _deliveries_create(alert: Alert, rule: AlertRule, now: datetime) -> None:
    status = Delivery.Status.PENDING if alert.notified else Delivery.Status.SUPPRESSED
    next_attempt = now if alert.notified else None
    rows = []
    emails = rule_recipients(rule)
    if emails:
        rows.append((Delivery.Channel.EMAIL, ", ".join(emails)))
    if rule.webhook_url:
        rows.append((Delivery.Channel.WEBHOOK, rule.webhook_url))
    Delivery.objects.bulk_create(
        Delivery(
            alert=alert, channel=channel, target=target, status=status, next_attempt_at=next_attempt
        )
        for channel, target in rows
    )


# --- deliveries -------------------------------------------------------------------------------


def deliveries_enqueue(alert_ids) -> int:
    """Queue a sending task for each waiting delivery of these alerts."""
    from .tasks import deliver

    ids = list(
        Delivery.objects.filter(alert_id__in=list(alert_ids), status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for delivery_id in ids:
        deliver.enqueue(delivery_id)
    return len(ids)


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Take a delivery that is due (waiting, or failed and due for a retry): one sender only."""
    lease = now + timedelta(seconds=setting("RESPONSES_RETRY_SECONDS"))
    taken = Delivery.objects.filter(
        pk=delivery_id,
        status__in=(Delivery.Status.PENDING, Delivery.Status.FAILED),
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    if not taken:
        return None
    return Delivery.objects.select_related("alert__rule", "alert__cluster", "alert__item").get(
        pk=delivery_id
    )


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Gửi cảnh báo: send one due delivery; a failure is retried later with a doubling wait
    (``RESPONSES_RETRY_SECONDS``) up to ``RESPONSES_MAX_ATTEMPTS`` attempts."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _send(delivery)
    except WebhookError as error:
        _failed(delivery, str(error), retryable=error.retryable, now=now)
    except Exception as error:  # an SMTP or other failure: try again later
        logger.warning("Alert delivery %s failed: %s", delivery.pk, error)
        _failed(delivery, str(error) or error.__class__.__name__, retryable=True, now=now)
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.error = ""
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "sent_at", "error", "next_attempt_at"])
    return delivery


def _failed(delivery: Delivery, message: str, *, retryable: bool, now: datetime) -> None:
    delivery.status = Delivery.Status.FAILED
    delivery.error = message[:2000]
    if retryable and delivery.attempts < setting("RESPONSES_MAX_ATTEMPTS"):
        wait = setting("RESPONSES_RETRY_SECONDS") * 2 ** (delivery.attempts - 1)
        delivery.next_attempt_at = now + timedelta(seconds=wait)
    else:
        delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "error", "next_attempt_at"])


def _send(delivery: Delivery) -> None:
    alert = delivery.alert
    if delivery.channel == Delivery.Channel.WEBHOOK:
        webhook_post(delivery.target, alert_payload(alert))
        return
    recipients = [email.strip() for email in delivery.target.split(",") if email.strip()]
    subject, body = alert_message(alert)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Send every delivery whose time has come (new ones a crash left behind, and retries)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status__in=(Delivery.Status.PENDING, Delivery.Status.FAILED), next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    sent = 0
    for delivery_id in list(due[:200]):
        delivery = delivery_send(delivery_id=delivery_id, now=now)
        sent += bool(delivery and delivery.status == Delivery.Status.SENT)
    return sent


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def alert_payload(alert: Alert) -> dict:
    """What a webhook receives (JSON)."""
    cluster, item = alert.cluster, alert.item
    return {
        "alert": alert.pk,
        "rule": {"id": alert.rule_id, "name": alert.rule.name},
        "reason": alert.reason,
        "created": alert.created.isoformat(),
        "mentions": alert.mentions,
        "cluster": None
        if cluster is None
        else {
            "id": cluster.pk,
            "title": cluster.title,
            "mention_count": cluster.mention_count,
            "source_count": cluster.source_count,
            "max_risk": cluster.max_risk,
            "topic": cluster.topic,
        },
        "item": None
        if item is None
        else {
            "id": item.pk,
            "title": item.title,
            "url": item.url,
            "risk_score": item.risk_score,
            "topic": item.topic,
            "published_at": item.published_at.isoformat() if item.published_at else None,
        },
        "admin_url": _admin_url(reverse("responses_alerts:inspect", args=[alert.pk])),
    }


def alert_message(alert: Alert) -> tuple[str, str]:
    """The email of an alert (subject, body) in the active language."""
    subject_of = alert.cluster or alert.item
    subject = _("[Alert] %(rule)s: %(subject)s") % {"rule": alert.rule.name, "subject": subject_of}
    lines = [
        _("The alert rule “%(rule)s” fired.") % {"rule": alert.rule.name},
        _("Reason: %(reason)s") % {"reason": alert.reason},
        _("Time: %(time)s") % {"time": f"{timezone.localtime(alert.created):%H:%M %d/%m/%Y}"},
    ]
    if alert.cluster is not None:
        lines.append(
            _("Story: %(title)s (%(mentions)d mentions, %(sources)d sources)")
            % {
                "title": alert.cluster,
                "mentions": alert.cluster.mention_count,
                "sources": alert.cluster.source_count,
            }
        )
    if alert.item is not None and alert.item.url:
        lines.append(_("Item: %(title)s — %(url)s") % {"title": alert.item, "url": alert.item.url})
    lines += ["", _("Details: %(url)s") % {"url": alert_payload(alert)["admin_url"]}]
    if alert.cluster_id:
        open_case = reverse("responses_cases:add") + f"?cluster={alert.cluster_id}"
        lines.append(_("Open a response case: %(url)s") % {"url": _admin_url(open_case)})
    return " ".join(str(subject).split())[:200], "\n".join(lines) + "\n"


# --- daily digest -----------------------------------------------------------------------------


def digest_window(day: date) -> tuple[datetime, datetime]:
    """The 24 hours a digest covers: from the digest hour the day before to that hour."""
    hour = setting("RESPONSES_DIGEST_HOUR")
    end = timezone.make_aware(datetime(day.year, day.month, day.day, hour))
    return end - timedelta(days=1), end


def digest_send(*, day: date, now: datetime | None = None) -> bool:
    """Bản tin tổng hợp: email the day's digest once (the alerts of the 24 hours before the
    digest hour, the trending stories, open and overdue cases). Returns whether it was sent.

    The log row is written in the transaction of the sending: a second call (or a second
    worker) finds it and sends nothing; a failed send leaves no row and is tried again."""
    now = now or timezone.now()
    if DigestLog.objects.filter(day=day).exists():
        return False
    recipients = digest_recipients()
    if not recipients:
        logger.info("Daily digest of %s: nobody to send it to", day)
        return False
    start, end = digest_window(day)
    with translation.override(settings.LANGUAGE_CODE):
        content = digest_content(start=start, end=end, today=day)
        subject, body = digest_message(day, content)
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestLog.objects.create(
                    day=day,
                    sent_at=now,
                    recipients=", ".join(recipients),
                    alerts=len(content.alerts),
                )
        except IntegrityError:
            return False
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return True


def digest_send_if_due(*, now: datetime | None = None) -> bool:
    """The periodic check: send today's digest once the digest hour has passed."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < setting("RESPONSES_DIGEST_HOUR"):
        return False
    return digest_send(day=local.date(), now=now)


def digest_message(day: date, content) -> tuple[str, str]:
    subject = _("Daily digest of online information, %(day)s") % {"day": f"{day:%d/%m/%Y}"}
    lines = [
        _("Alerts in the 24 hours to %(time)s: %(count)d")
        % {
            "time": f"{timezone.localtime(content.end):%H:%M %d/%m/%Y}",
            "count": len(content.alerts),
        }
    ]
    lines += [
        f"- {alert.rule.name}: {alert.cluster or alert.item} ({alert.reason})"
        for alert in content.alerts
    ]
    lines += ["", _("Most mentioned stories in the last 24 hours:")]
    lines += [
        _("- %(title)s: %(count)d mentions") % {"title": cluster, "count": cluster.recent}
        for cluster in content.trending
    ] or [_("(none)")]
    lines += ["", _("Open response cases: %(count)d") % {"count": len(content.open_cases)}]
    lines += [_case_line(case, day) for case in content.open_cases]
    lines += ["", _("Overdue cases: %(count)d") % {"count": content.overdue_count}]
    return " ".join(str(subject).split()), "\n".join(str(line) for line in lines) + "\n"


def _case_line(case, day: date) -> str:
    deadline = f"{case.deadline:%d/%m/%Y}" if case.deadline else "-"
    line = _("- %(code)s %(title)s — %(status)s, deadline %(deadline)s, %(unit)s") % {
        "code": case.code,
        "title": case.title,
        "status": case.get_status_display(),
        "deadline": deadline,
        "unit": case.agency or _("no unit assigned"),
    }
    return f"{line} ({_('overdue')})" if case.is_overdue(day) else line
