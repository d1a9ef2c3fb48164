"""Signal receivers: every log entry gets the client's address and the changes gathered for its
object; a written entry is never changed or deleted; a user's account fields and groups and a
group's permissions are watched while a request is served (whatever screen changed them)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.text import capfirst
from wagtail.models import GroupCollectionPermission, GroupPagePermission
from wagtail.models.audit_log import BaseLogEntry

from .changes import MERGE_ACTIONS, display_value, pending_add, pending_take
from .context import client_address, current_state

USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


class LogEntryImmutableError(Exception):
    """Audit-log entries are written once and never changed or deleted through the product."""


def _log_entry_models():
    from wagtail.models import ModelLogEntry, PageLogEntry

    return (ModelLogEntry, PageLogEntry)


def log_entry_pre_save(sender, instance: BaseLogEntry, raw=False, **kwargs):
    if raw:
        return
    if not instance._state.adding:
        raise LogEntryImmutableError("Nhật ký thao tác không được sửa / log entries are read-only")
    state = current_state()
    if state is None:
        return
    data = instance.data if isinstance(instance.data, dict) else {}
    address = client_address(state.request)
    if address:
        data.setdefault("client_address", address)
    if instance.action in MERGE_ACTIONS:
        object_id = getattr(instance, "object_id", None)
        if object_id is None:
            object_id = getattr(instance, "page_id", None)
        changes = pending_take(instance.content_type_id, object_id)
        if changes:
            data["changes"] = [*data.get("changes", []), *changes]
    instance.data = data


def log_entry_pre_delete(sender, instance, **kwargs):
    raise LogEntryImmutableError("Nhật ký thao tác không được xoá / log entries are read-only")


# --- users and groups -----------------------------------------------------------------------


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or current_state() is None:
        return
    watched = set(USER_FIELDS)
    if update_fields is not None and not (set(update_fields) & (watched | {"password"})):
        return  # e.g. last_login at sign-in
    old = sender._default_manager.filter(pk=instance.pk).values(*USER_FIELDS).first()
    instance._audit_old = old


def user_post_save(sender, instance, created=False, raw=False, **kwargs):
    old = instance.__dict__.pop("_audit_old", None)
    changes = []
    if old is not None:
        for name in USER_FIELDS:
            new = getattr(instance, name)
            if old[name] != new:
                changes.append(
                    {
                        "field": name,
                        "label": _label(sender, name),
                        "old": display_value(old[name]),
                        "new": display_value(new),
                    }
                )
    # set_password() keeps the raw password until the save; a hash upgrade at sign-in does not.
    if not created and getattr(instance, "_password", None) is not None:
        changes.append({"field": "password", "label": _label(sender, "password")})
    pending_add(instance, changes)


def _names(model, pks) -> list[str]:
    return sorted(str(obj) for obj in model._default_manager.filter(pk__in=pks or ()))


def user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if current_state() is None:
        return
    User = get_user_model()
    label = _label(User, "groups")
    if action == "pre_clear":
        if reverse:
            instance._audit_cleared = list(instance.user_set.all())
        else:
            instance._audit_cleared = list(instance.groups.all())
        return
    if action == "post_clear":
        cleared = instance.__dict__.pop("_audit_cleared", [])
        if reverse:  # group.user_set.clear()
            for user in cleared:
                pending_add(user, [_group_change(label, removed=[str(instance)])])
        else:
            pending_add(instance, [_group_change(label, removed=[str(g) for g in cleared])])
        return
    if action not in ("post_add", "post_remove"):
        return
    key = "added" if action == "post_add" else "removed"
    if reverse:  # group.user_set.add(users): instance is the group
        for user in User._default_manager.filter(pk__in=pk_set or ()):
            pending_add(user, [_group_change(label, **{key: [str(instance)]})])
    else:
        pending_add(instance, [_group_change(label, **{key: _names(Group, pk_set)})])


def _group_change(label, *, field="groups", added=(), removed=()) -> dict:
    return {"field": field, "label": label, "added": list(added), "removed": list(removed)}


def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if current_state() is None or reverse or action not in ("post_add", "post_remove"):
        return
    from django.contrib.auth.models import Permission

    key = "added" if action == "post_add" else "removed"
    names = sorted(
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(pk__in=pk_set or ()).select_related("content_type")
    )
    change = _group_change(_label(Group, "permissions"), field="permissions", **{key: names})
    pending_add(instance, [change])


def _object_permission_change(instance, *, added: bool):
    if current_state() is None:
        return
    if isinstance(instance, GroupPagePermission):
        field, label, where = "page_permissions", "Quyền trên trang", instance.page
    else:
        field, label, where = "collection_permissions", "Quyền trên thư mục", instance.collection
    text = f"{instance.permission.codename} — {where}"
    change = _group_change(label, field=field, **{"added" if added else "removed": [text]})
    pending_add(instance.group, [change])


def object_permission_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        _object_permission_change(instance, added=True)


def object_permission_deleted(sender, instance, **kwargs):
    _object_permission_change(instance, added=False)


def connect() -> None:
    for model in _log_entry_models():
        pre_save.connect(log_entry_pre_save, sender=model, dispatch_uid=f"audit-pre-save-{model}")
        pre_delete.connect(
            log_entry_pre_delete, sender=model, dispatch_uid=f"audit-pre-delete-{model}"
        )
    User = get_user_model()
    pre_save.connect(user_pre_save, sender=User, dispatch_uid="audit-user-pre-save")
    post_save.connect(user_post_save, sender=User, dispatch_uid="audit-user-post-save")
    m2m_changed.connect(
        user_groups_changed, sender=User.groups.through, dispatch_uid="audit-user-groups"
    )
    m2m_changed.connect(
        group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="audit-group-permissions",
    )
    for model in (GroupPagePermission, GroupCollectionPermission):
        post_save.connect(
            object_permission_saved, sender=model, dispatch_uid=f"audit-saved-{model}"
        )
        post_delete.connect(
            object_permission_deleted, sender=model, dispatch_uid=f"audit-deleted-{model}"
        )
