"""Writes of the responses module (dịch vụ): alerts (``alerts.py``), cases (``cases.py``) and
the role permissions. Import from here."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from doingoai.accounts.roles import ADMINISTRATOR, APPROVER, EDITOR

from .alerts import (
    EvaluationResult,
    alert_store,
    alerts_evaluate,
    deliveries_enqueue,
    deliveries_retry_due,
    delivery_send,
    digest_send,
    digest_send_if_due,
    watermark_advance,
)
from .cases import (
    TRANSITIONS,
    CaseTransitionError,
    case_comment,
    case_link_article,
    case_open,
    case_transition,
    transitions_from,
)
from .models import Alert, AlertRule, Delivery, ResponseCase

__all__ = [
    "TRANSITIONS",
    "CaseTransitionError",
    "EvaluationResult",
    "alert_store",
    "alerts_evaluate",
    "case_comment",
    "case_link_article",
    "case_open",
    "case_transition",
    "deliveries_enqueue",
    "deliveries_retry_due",
    "delivery_send",
    "digest_send",
    "digest_send_if_due",
    "responses_grant_permissions",
    "transitions_from",
    "watermark_advance",
]

ALL = ("view", "add", "change", "delete")

#: What each role group may do, per model (additive; other apps grant the same groups theirs).
GRANTS: dict[str, dict[type, tuple[str, ...]]] = {
    EDITOR.group_name: {
        ResponseCase: ("view", "add", "change"),
        Alert: ("view",),
        Delivery: ("view",),
        AlertRule: ("view",),
    },
    APPROVER.group_name: {
        ResponseCase: ("view", "add", "change"),
        Alert: ("view",),
        Delivery: ("view",),
        AlertRule: ALL,
    },
    ADMINISTRATOR.group_name: {
        ResponseCase: ALL,
        Alert: ("view", "delete"),
        Delivery: ("view",),
        AlertRule: ALL,
    },
}


def _permissions(model, actions) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


def responses_grant_permissions() -> None:
    """Editors and approving leaders handle cases; approvers and administrators manage alert
    rules; editors read rules and alerts; reporters get nothing here (idempotent, additive)."""
    if not Permission.objects.filter(content_type__app_label="responses").exists():
        return  # this app's permissions are not created yet
    for group_name, models in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for model, actions in models.items():
            group.permissions.add(*_permissions(model, actions))
