"""Writes: role permissions on the registers, overdue-question reminders."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from doingoai.accounts.roles import ADMINISTRATOR, APPROVER, EDITOR, REPORTER

from .models import (
    REGISTER_MODELS,
    PressAgency,
    PressQuestion,
    PressQuestionReminder,
    Unit,
    UnitMembership,
)
from .selectors import press_questions_needing_reminder

logger = logging.getLogger(__name__)

STAFF_GROUPS = (REPORTER.group_name, EDITOR.group_name, APPROVER.group_name)
ADMIN_GROUP = ADMINISTRATOR.group_name

STAFF_ACTIONS = ("view", "add", "change")
ADMIN_ACTIONS = ("view", "add", "change", "delete")


def _model_permissions(model, actions) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(model)
    codenames = [f"{action}_{model._meta.model_name}" for action in actions]
    return list(Permission.objects.filter(content_type=content_type, codename__in=codenames))


@transaction.atomic
def registers_grant_permissions() -> None:
    """Grant the role groups their permissions on the registers (idempotent, additive).

    Reporters, editors and approving leaders view, add and change the records of their unit;
    administrators may also delete. Only administrators manage units, memberships (which decide
    what everybody sees) and delete press agencies. Groups that do not exist yet are created.
    """
    if not Permission.objects.filter(content_type__app_label="registers").exists():
        return  # this app's permissions are not created yet
    staff_models = (*REGISTER_MODELS, PressAgency)
    admin_models = (*REGISTER_MODELS, PressAgency, Unit, UnitMembership)
    for name in STAFF_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        for model in staff_models:
            group.permissions.add(*_model_permissions(model, STAFF_ACTIONS))
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    for model in admin_models:
        group.permissions.add(*_model_permissions(model, ADMIN_ACTIONS))


def unit_member_emails(unit: Unit) -> list[str]:
    users = (
        get_user_model()
        .objects.filter(unit_memberships__unit=unit, is_active=True)
        .exclude(email="")
    )
    emails = sorted({user.email for user in users})
    if unit.email and unit.email not in emails:
        emails.append(unit.email)
    return emails


def _reminder_message(question: PressQuestion) -> tuple[str, str]:
    context = {"question": question, "event": question.event, "unit": question.assigned_unit}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("registers/email/overdue_subject.txt", context)
        body = render_to_string("registers/email/overdue_body.txt", context)
    return " ".join(subject.split()), body


def press_question_remind(*, question: PressQuestion) -> bool:
    """Email the assigned unit about one overdue question, once. Returns whether it was sent.

    The reminder row is written in the same transaction as the sending: a second run (or a
    second worker) finds it and sends nothing; a failed send leaves no row, so the next run
    tries again. A unit with nobody to write to is tried again on the next run too.
    """
    recipients = unit_member_emails(question.assigned_unit)
    if not recipients:
        logger.warning(
            "Unit %s has no email for overdue question %s", question.assigned_unit_id, question.pk
        )
        return False
    try:
        with transaction.atomic():
            PressQuestionReminder.objects.create(
                question=question, recipients=", ".join(recipients)
            )
            subject, body = _reminder_message(question)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except IntegrityError:
        return False  # somebody else reminded them already
    return True


def press_question_reminders_send(*, today: date | None = None) -> int:
    """Remind the assigned units of every overdue, unanswered, not yet reminded question."""
    sent = 0
    for question in press_questions_needing_reminder(today=today):
        try:
            sent += press_question_remind(question=question)
        except Exception:
            logger.exception("Reminder for press question %s failed", question.pk)
    return sent
