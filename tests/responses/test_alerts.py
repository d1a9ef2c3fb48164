"""Alert rules over what monitoring found: matching, de-duplication, rate limit, cooldown,
crash safety, email and webhook deliveries with retries, and the daily digest."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from doingoai.monitoring.models import WatchTerm
from doingoai.responses import alerts as alerts_module
from doingoai.responses.models import Alert, Delivery, DigestLog, EvaluationMark
from doingoai.responses.services import (
    alerts_evaluate,
    deliveries_retry_due,
    digest_send,
    digest_send_if_due,
)

from .factories import AlertRuleFactory, ClusterFactory, ItemFactory, WatchTermFactory, mentions

pytestmark = pytest.mark.django_db


def risky_story(*, risk: float = 0.8, recent: int = 0, hours_ago: int = 0, **item_fields):
    """A story with ``recent`` mentions ``hours_ago`` hours back, and one new item in it."""
    cluster = ClusterFactory(max_risk=risk)
    if recent:
        mentions(cluster, recent, hours_ago=hours_ago)
    item = ItemFactory(cluster=cluster, risk_score=risk, **item_fields)
    return cluster, item


# --- matching ---------------------------------------------------------------------------------


def test_risk_and_growth_rule_fires_only_when_both_hold():
    rule = AlertRuleFactory(min_risk=0.7, growth_mentions=5, growth_hours=6)
    hot, _item = risky_story(risk=0.8, recent=5)
    risky_story(risk=0.8, recent=2)  # not growing fast enough
    risky_story(risk=0.3, recent=10)  # growing but not risky
    risky_story(risk=0.9, recent=8, hours_ago=9)  # grew, but before the window

    result = alerts_evaluate()

    assert [alert.cluster for alert in result.alerts] == [hot]
    alert = result.alerts[0]
    assert alert.rule == rule
    assert "rủi ro 0,80 ≥ 0,70" in alert.reason
    assert "5 lượt nhắc trong 6 giờ qua" in alert.reason


def test_a_mention_of_a_watched_name_alerts():
    WatchTermFactory(term="Nguyễn Văn Thử", kind=WatchTerm.Kind.PERSON)
    keyword = WatchTermFactory(term="sạt lở", kind=WatchTerm.Kind.KEYWORD)
    people = AlertRuleFactory(name="Nhắc đến lãnh đạo", watch_people=True)
    chosen = AlertRuleFactory(name="Từ khoá chọn", watch_terms=[keyword])
    named = ItemFactory(matched_terms=["Lào Cai", "Nguyễn Văn Thử"])
    landslide = ItemFactory(matched_terms=["sạt lở"])
    ItemFactory(matched_terms=["Lào Cai"])

    result = alerts_evaluate()

    fired = {(alert.rule.name, alert.item_id) for alert in result.alerts}
    assert fired == {(people.name, named.pk), (chosen.name, landslide.pk)}
    assert Alert.objects.get(rule=people).reason == "nhắc đến Nguyễn Văn Thử"


def test_an_item_without_a_story_alerts_once():
    AlertRuleFactory(min_risk=0.5)
    item = ItemFactory(cluster=None, risk_score=0.9)
    (alert,) = alerts_evaluate().alerts
    assert (alert.item, alert.cluster, alert.dedup_key) == (
        item,
        None,
        f"r{alert.rule_id}:i{item.pk}",
    )
    assert alerts_evaluate().alert_count == 0  # read again (recently fetched): nothing new


def test_a_rule_without_conditions_never_fires():
    AlertRuleFactory()
    ItemFactory(risk_score=1.0)
    assert alerts_evaluate().alerts == []


# --- de-duplication, rate limit, cooldown -----------------------------------------------------


def test_evaluating_again_creates_nothing():
    AlertRuleFactory(min_risk=0.5)
    cluster, _item = risky_story()
    ItemFactory(cluster=cluster, risk_score=0.9)  # a second item of the same story

    first = alerts_evaluate()
    assert first.alert_count == 1
    assert alerts_evaluate().alert_count == 0
    EvaluationMark.objects.update(last_item_id=0)  # forget how far we read: same answer
    assert alerts_evaluate().alert_count == 0
    assert Alert.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1


def test_rate_limit_holds_back_notifications_beyond_the_hourly_limit():
    AlertRuleFactory(min_risk=0.5, max_per_hour=2)
    for _n in range(4):
        risky_story()

    result = alerts_evaluate()

    assert result.alert_count == 4
    assert [alert.notified for alert in result.alerts] == [True, True, False, False]
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["sent", "sent", "suppressed", "suppressed"]
    assert len(mail.outbox) == 2
    # An hour later the rule may notify again.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    risky_story()
    assert alerts_evaluate(now=later).alerts[0].notified is True


def test_the_same_story_alerts_again_only_when_it_grew_by_the_cooldown():
    AlertRuleFactory(min_risk=0.5, cooldown_mentions=5)
    cluster, _item = risky_story()
    assert alerts_evaluate().alert_count == 1

    mentions(cluster, 3)
    ItemFactory(cluster=cluster, risk_score=0.9)
    assert alerts_evaluate().alert_count == 0  # grew by 3 < 5

    mentions(cluster, 2)
    ItemFactory(cluster=cluster, risk_score=0.9)
    again = alerts_evaluate().alerts
    assert len(again) == 1
    assert again[0].mentions == cluster.mention_count == 6
    assert again[0].dedup_key.endswith(":2")


def test_a_crash_before_the_watermark_moves_duplicates_nothing(monkeypatch):
    AlertRuleFactory(min_risk=0.5)
    risky_story()

    def crash(**kwargs):
        raise RuntimeError("máy chủ dừng đột ngột")

    monkeypatch.setattr(alerts_module, "watermark_advance", crash)
    with pytest.raises(RuntimeError):
        alerts_evaluate()
    assert Alert.objects.count() == 1
    assert EvaluationMark.objects.get().last_item_id == 0
    monkeypatch.undo()

    assert alerts_evaluate().alert_count == 0  # the same items, read again
    assert Alert.objects.count() == 1
    assert EvaluationMark.objects.get().last_item_id > 0
    # The delivery the crash left waiting is sent once by the retry job.
    assert deliveries_retry_due(now=timezone.now() + timedelta(seconds=1)) == 1
    assert deliveries_retry_due(now=timezone.now() + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


# --- email ------------------------------------------------------------------------------------


def test_alert_email_is_in_vietnamese_and_reaches_users_groups_and_addresses(office):
    rule = AlertRuleFactory(name="Rủi ro cao", min_risk=0.5, recipient_emails="a@laocai.gov.vn")
    rule.recipient_users.add(office.users["editor"])
    rule.recipient_groups.add(Group.objects.get(name="Lãnh đạo duyệt"))
    cluster, _item = risky_story()

    alerts_evaluate()

    (message,) = mail.outbox
    assert message.subject == f"[Cảnh báo] Rủi ro cao: {cluster.title}"
    assert "Quy tắc cảnh báo “Rủi ro cao” đã kích hoạt." in message.body
    assert "Lý do: rủi ro 0,80 ≥ 0,50" in message.body
    assert f"?cluster={cluster.pk}" in message.body
    assert set(message.to) == {
        "a@laocai.gov.vn",
        "tinh_editor@laocai.gov.vn",
        "tinh_approver@laocai.gov.vn",
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


# --- webhook ----------------------------------------------------------------------------------


def test_webhook_receives_the_alert_as_json(receiver):
    AlertRuleFactory(
        name="Gửi hệ thống trực", min_risk=0.5, recipient_emails="", webhook_url=receiver.url()
    )
    cluster, item = risky_story(risk=0.75)

    alerts_evaluate()

    (payload,) = receiver.received
    assert payload["rule"]["name"] == "Gửi hệ thống trực"
    assert payload["cluster"] == {
        "id": cluster.pk,
        "title": cluster.title,
        "mention_count": 1,
        "source_count": 1,
        "max_risk": 0.75,
        "topic": "",
    }
    assert payload["item"]["url"] == item.url
    assert payload["reason"] == "rủi ro 0,75 ≥ 0,50"
    assert receiver.headers[0]["Content-Type"].startswith("application/json")
    assert Delivery.objects.get().status == "sent"


@pytest.mark.parametrize(
    "url", ["http://10.1.2.3/hook", "http://127.0.0.1:8080/hook", "http://[::1]/hook"]
)
def test_webhooks_inside_the_network_are_refused_at_save_time(settings, url):
    settings.MONITORING_ALLOW_LOOPBACK = False
    rule = AlertRuleFactory.build(min_risk=0.5, webhook_url=url)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    message = error.value.message_dict["webhook_url"][0]
    assert message.startswith("Địa chỉ nhận cảnh báo không được trỏ vào mạng nội bộ.")


def test_only_http_webhooks_are_accepted():
    rule = AlertRuleFactory.build(min_risk=0.5, webhook_url="ftp://example.vn/hook")
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "webhook_url" in error.value.message_dict


def test_loopback_webhook_is_accepted_when_the_setting_allows_it(receiver):
    AlertRuleFactory.build(min_risk=0.5, webhook_url=receiver.url()).full_clean()


def test_a_webhook_to_loopback_is_refused_when_posting_too(settings, receiver):
    settings.MONITORING_ALLOW_LOOPBACK = False
    AlertRuleFactory(min_risk=0.5, recipient_emails="", webhook_url=receiver.url())
    risky_story()

    alerts_evaluate()

    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None  # a refused address is not retried
    assert "địa chỉ nội bộ của máy (loopback)" in delivery.error
    assert receiver.received == []


def test_a_webhook_answering_500_is_retried_with_back_off(receiver):
    AlertRuleFactory(min_risk=0.5, recipient_emails="", webhook_url=receiver.url())
    risky_story()
    receiver.statuses = [500]
    now = timezone.now()

    alerts_evaluate(now=now)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "trả về mã 500" in delivery.error
    wait = delivery.next_attempt_at - now
    assert timedelta(seconds=60) <= wait < timedelta(seconds=70)
    assert deliveries_retry_due(now=now + timedelta(seconds=30)) == 0  # not yet
    assert deliveries_retry_due(now=now + timedelta(seconds=90)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 2, "")
    assert len(receiver.received) == 2


def test_a_slow_webhook_times_out_and_gives_up_after_the_last_attempt(settings, receiver):
    settings.MONITORING_READ_TIMEOUT = 0.3
    AlertRuleFactory(min_risk=0.5, recipient_emails="", webhook_url=receiver.url())
    risky_story()
    receiver.delay = 1.0
    now = timezone.now()

    alerts_evaluate(now=now)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "không trả lời trong thời gian cho phép" in delivery.error

    receiver.delay = 0
    receiver.statuses = [503, 503]
    deliveries_retry_due(now=now + timedelta(seconds=90))  # attempt 2, waits 120 s more
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=90 + 120)
    deliveries_retry_due(now=now + timedelta(seconds=211))  # attempt 3: the last one
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert deliveries_retry_due(now=now + timedelta(days=1)) == 0


# --- daily digest -----------------------------------------------------------------------------


def local(year, month, day, hour, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def test_the_digest_is_sent_once_a_day_after_the_digest_hour():
    AlertRuleFactory(name="Rủi ro cao", min_risk=0.5)
    cluster, _item = risky_story()
    alerts_evaluate(now=local(2026, 11, 24, 5))
    mail.outbox.clear()

    assert digest_send_if_due(now=local(2026, 11, 24, 6, 50)) is False  # before 7:00
    assert digest_send_if_due(now=local(2026, 11, 24, 7, 5)) is True
    assert digest_send_if_due(now=local(2026, 11, 24, 7, 15)) is False  # already sent
    assert digest_send(day=local(2026, 11, 24, 8).date()) is False

    (message,) = mail.outbox
    assert message.subject == "Bản tin tổng hợp thông tin trên mạng ngày 24/11/2026"
    assert "Cảnh báo trong 24 giờ đến 07:00 24/11/2026: 1" in message.body
    assert f"Rủi ro cao: {cluster.title}" in message.body
    assert "Vụ việc đang xử lý: 0" in message.body
    assert DigestLog.objects.get().day.isoformat() == "2026-11-24"

    assert digest_send_if_due(now=local(2026, 11, 25, 7, 1)) is True  # the next day
    assert "Cảnh báo trong 24 giờ đến 07:00 25/11/2026: 0" in mail.outbox[1].body


def test_a_failed_digest_is_tried_again(monkeypatch):
    AlertRuleFactory(min_risk=0.5)

    def broken(*args, **kwargs):
        raise OSError("máy chủ thư không trả lời")

    monkeypatch.setattr(alerts_module, "send_mail", broken)
    with pytest.raises(OSError):
        digest_send_if_due(now=local(2026, 11, 24, 7, 5))
    assert not DigestLog.objects.exists()
    monkeypatch.undo()
    assert digest_send_if_due(now=local(2026, 11, 24, 7, 15)) is True
