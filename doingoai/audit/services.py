"""Writing to the audit log (nhật ký thao tác) from services and views.

Entries are Wagtail's own log entries (``ModelLogEntry`` through ``wagtail.log_actions.log``),
so an object's history screen shows them too; the client address is added to every entry
written while a request is served (signals.py).
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log

# The object id of an entry about a whole list (an export) rather than one object.
WHOLE_LIST = "0"


def audit_log(instance, action: str, *, user=None, data: dict | None = None, changes=None):
    """One entry: ``user`` did ``action`` to ``instance`` (its changed fields in ``changes``)."""
    data = dict(data or {})
    if changes:
        data["changes"] = list(changes)
    return log(
        instance=instance, action=action, user=user, data=data, content_changed=bool(changes)
    )


def audit_log_list(model, action: str, *, user=None, label: str = "", data: dict | None = None):
    """One entry about a list of ``model`` records (an export): the kind of object is the
    model, the name says which list."""
    from wagtail.models import ModelLogEntry

    context = get_active_log_context()
    return ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=WHOLE_LIST,
        label=label or str(model._meta.verbose_name_plural),
        action=action,
        user=user or context.user,
        uuid=context.uuid,
        timestamp=timezone.now(),
        data=dict(data or {}),
    )


def audit_log_many(rows, action: str, *, user=None) -> None:
    """An entry per ``(instance, data)``, all with one id (one import is one action)."""
    shared = uuid.uuid4()
    for instance, data in rows:
        log(instance=instance, action=action, user=user, uuid=shared, data=dict(data))
