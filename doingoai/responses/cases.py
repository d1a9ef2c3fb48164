"""Writes of response cases (vụ việc): open, move through the statuses, comment, link the
clarification article. ``services`` re-exports the public functions.

Statuses and the moves allowed::

    new ──► verifying ──► answered ──► closed
     │          │  ▲          │          │
     │          │  └──────────┘ (reopen) │
     └──────────┴──► closed ◄────────────┘
                       │
                       └──► verifying (reopen)

- Leaving *new* for the first time records the first response (``first_response_at``).
- *answered* needs a published clarification article on the portal or an answer note; the
  first time records ``answered_at``.
- Closing a case that was never answered (a false alarm) and reopening need a comment.
- Nothing goes back to *new*: somebody has already looked at the case.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doingoai.audit import actions as audit_actions
from doingoai.audit.services import audit_log

from .models import CaseEvent, ResponseCase

Status = ResponseCase.Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.VERIFYING, Status.CLOSED),
    Status.VERIFYING: (Status.ANSWERED, Status.CLOSED),
    Status.ANSWERED: (Status.CLOSED, Status.VERIFYING),
    Status.CLOSED: (Status.VERIFYING,),
}


class CaseTransitionError(ValidationError):
    """A move the case lifecycle does not allow; the message says why, for staff."""


def transitions_from(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


def _needs_comment(case: ResponseCase, to: str) -> bool:
    reopening = to == Status.VERIFYING and case.status in (Status.ANSWERED, Status.CLOSED)
    closing_unanswered = to == Status.CLOSED and case.status != Status.ANSWERED
    return reopening or closing_unanswered


def _next_code(year: int) -> str:
    prefix = f"VV-{year}-"
    codes = ResponseCase.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def case_open(
    *,
    user,
    title: str = "",
    cluster=None,
    item=None,
    agency=None,
    deadline: date | None = None,
    summary: str = "",
    now: datetime | None = None,
) -> ResponseCase:
    """Mở vụ việc: open a case from an item or a story (its title by default), with a code
    such as "VV-2026-0001" counted per year."""
    now = now or timezone.now()
    if item is not None and cluster is None:
        cluster = item.cluster
    case = ResponseCase(
        title=(title or str(item or cluster or ""))[:500],
        summary=summary,
        cluster=cluster,
        item=item,
        agency=agency,
        deadline=deadline,
        opened_by=user,
        opened_at=now,
    )
    case.full_clean(exclude=["code"])
    for _attempt in range(5):
        case.code = _next_code(timezone.localtime(now).year)
        try:
            with transaction.atomic():
                case.save(force_insert=True)
                CaseEvent.objects.create(
                    case=case, to_status=Status.NEW, user=user, comment=_("Case opened."), at=now
                )
                audit_log(case, "wagtail.create", user=user)
            return case
        except IntegrityError:
            case.pk = None  # another case took the code: count again
    raise IntegrityError("could not allocate a case code")


def _check_transition(case: ResponseCase, to: str, comment: str, answer_note: str) -> None:
    if to not in transitions_from(case.status):
        raise CaseTransitionError(
            _("A case cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(case.status).label, "to": Status(to).label if to in Status else to}
        )
    if _needs_comment(case, to) and not comment.strip():
        raise CaseTransitionError(
            _("Write in the comment why the case is closed without an answer or reopened.")
        )
    if to == Status.ANSWERED:
        has_article = case.article is not None and case.article.live
        if not has_article and not (answer_note.strip() or case.answer_note.strip()):
            raise CaseTransitionError(
                _(
                    "Link a published clarification article or write an answer note before "
                    "marking the case answered."
                )
            )


def _stamp(case: ResponseCase, to: str, now: datetime) -> None:
    if case.status == Status.NEW and case.first_response_at is None:
        case.first_response_at = now
    if to == Status.ANSWERED and case.answered_at is None:
        case.answered_at = now
    if to == Status.CLOSED:
        case.closed_at = now
    elif case.status == Status.CLOSED:
        case.closed_at = None  # reopened


@transaction.atomic
def case_transition(
    *,
    case: ResponseCase,
    to: str,
    user,
    comment: str = "",
    answer_note: str = "",
    now: datetime | None = None,
) -> ResponseCase:
    """Chuyển trạng thái vụ việc: move the case to ``to`` if the lifecycle allows it (raises
    ``CaseTransitionError`` otherwise), record the times and an event on the timeline."""
    now = now or timezone.now()
    locked = (
        ResponseCase.objects.select_for_update(of=("self",))
        .select_related("article")
        .get(pk=case.pk)
    )
    _check_transition(locked, to, comment, answer_note)
    if answer_note.strip():
        locked.answer_note = answer_note.strip()
    from_status = locked.status
    _stamp(locked, to, now)
    locked.status = to
    locked.save()
    CaseEvent.objects.create(
        case=locked, from_status=from_status, to_status=to, user=user, comment=comment, at=now
    )
    audit_log(
        locked,
        audit_actions.CASE_STATUS,
        user=user,
        data={
            "from": from_status,
            "to": to,
            "from_label": str(Status(from_status).label),
            "to_label": str(Status(to).label),
            "comment": comment,
        },
    )
    return locked


def case_comment(
    *, case: ResponseCase, user, comment: str, now: datetime | None = None
) -> CaseEvent:
    """A comment on the timeline (the status does not change)."""
    if not comment.strip():
        raise ValidationError(_("The comment is empty."))
    with transaction.atomic():
        event = CaseEvent.objects.create(
            case=case,
            from_status=case.status,
            to_status=case.status,
            user=user,
            comment=comment.strip(),
            at=now or timezone.now(),
        )
        audit_log(case, audit_actions.CASE_COMMENT, user=user, data={"comment": comment.strip()})
    return event


def case_link_article(*, case: ResponseCase, article, user, now: datetime | None = None):
    """Gắn tin bài đính chính: link (or unlink, with None) the clarification article."""
    case.article = article
    case.save(update_fields=["article"])
    if article is None:
        text = _("Clarification article removed.")
    else:
        text = _("Clarification article linked: %(title)s") % {"title": article.title}
    return CaseEvent.objects.create(
        case=case,
        from_status=case.status,
        to_status=case.status,
        user=user,
        comment=text,
        at=now or timezone.now(),
    )
