"""What changed: a list of ``{"field", "label", "old", "new"}`` kept in an entry's
``data["changes"]`` (no values for passwords).

Changes are gathered during the request as *pending* (per object) and merged into the next
create/edit entry written for that object in the same request — Wagtail's own entry when an
admin form saved it. Changes no entry took (a user's groups or password changed outside the
user's edit form, a group's page permissions saved after its edit entry) are written at the
end of the request as an edit entry of their own, once their transaction has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator

from .context import RequestState, current_state

MAX_VALUE = 200
SECRET_HINTS = ("password", "secret", "token")
MERGE_ACTIONS = ("wagtail.create", "wagtail.edit")


def display_value(value) -> str:
    """A stored value as people read it: dd/mm/yyyy dates, Có/Không, names, "—" for none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        items = sorted(str(item) for item in value)
        return ", ".join(items) if items else "—"
    return Truncator(str(value)).chars(MAX_VALUE)


def _is_secret(name: str) -> bool:
    return any(hint in name.lower() for hint in SECRET_HINTS)


def _field_value(field, value):
    """A form value as people read it: the choice's label, the chosen objects' names."""
    from django import forms

    if isinstance(field, forms.ModelMultipleChoiceField):
        if value is None:
            return []
        pks = [getattr(item, "pk", item) for item in value]
        return list(field.queryset.model._default_manager.filter(pk__in=pks))
    if isinstance(field, forms.ModelChoiceField):
        if value is None or value == "":
            return None
        if isinstance(value, models.Model):
            return value
        return field.queryset.model._default_manager.filter(pk=value).first()
    if isinstance(field, forms.ChoiceField) and not isinstance(value, list | tuple):
        labels = {str(key): label for key, label in field.choices if not isinstance(label, list)}
        return labels.get(str(value), value)
    return value


def form_changes(form) -> list[dict]:
    """The fields the user changed in a bound, validated form, with old and new values."""
    changes = []
    for name in form.changed_data:
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name
        change = {"field": name, "label": label}
        if not _is_secret(name) and field is not None:
            old = _field_value(field, form.get_initial_for_field(field, name))
            new = _field_value(field, form.cleaned_data.get(name))
            change["old"], change["new"] = display_value(old), display_value(new)
        changes.append(change)
    return changes


def _key(instance) -> tuple[int, str]:
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return content_type.pk, str(instance.pk)


def pending_add(instance, changes: Iterable[dict], state: RequestState | None = None) -> None:
    """Keep ``changes`` of ``instance`` for its next entry in this request (outside a request:
    nothing is kept)."""
    state = state or current_state()
    changes = list(changes)
    if state is None or not changes or instance.pk is None:
        return
    key = _key(instance)
    fields = state.pending.setdefault(key, {})
    for change in changes:
        name = change["field"]
        if name in fields and "added" in change:  # several m2m signals for one field
            merged = fields[name]
            was_added, was_removed = set(merged["added"]), set(merged["removed"])
            added, removed = set(change["added"]), set(change["removed"])
            # removed then added again (or the reverse) is no change at all
            merged["added"] = sorted((was_added - removed) | (added - was_removed))
            merged["removed"] = sorted((was_removed - added) | (removed - was_added))
            if not merged["added"] and not merged["removed"]:
                del fields[name]
        else:
            fields[name] = dict(change)
    state.labels[key] = str(instance)
    transaction.on_commit(lambda: state.committed.add(key))


def pending_take(content_type_id: int | None, object_id: str) -> list[dict]:
    state = current_state()
    if state is None or content_type_id is None:
        return []
    key = (content_type_id, str(object_id))
    state.committed.discard(key)
    state.labels.pop(key, None)
    return list(state.pending.pop(key, {}).values())


def flush_pending(state: RequestState) -> None:
    """End of request: one edit entry per object whose committed changes no entry took."""
    from wagtail.models import ModelLogEntry

    user = getattr(state.request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    for key in sorted(state.committed):
        changes = list(state.pending.pop(key, {}).values())
        if not changes:
            continue
        content_type_id, object_id = key
        ModelLogEntry.objects.create(
            content_type_id=content_type_id,
            object_id=object_id,
            label=state.labels.get(key, object_id),
            action="wagtail.edit",
            user=user,
            timestamp=timezone.now(),
            content_changed=True,
            data={"changes": changes},
        )
    state.pending.clear()
    state.committed.clear()


class AuditedEditMixin:
    """For a Wagtail edit view: the fields the user changed go into its edit entry."""

    def save_instance(self):
        pending_add(self.form.instance, form_changes(self.form))
        return super().save_instance()
