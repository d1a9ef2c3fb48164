"""Write operations for users, roles and the approval workflow."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .roles import ADMIN_ACCESS, APPROVER, EDITOR, ROLES, ROLES_BY_KEY, Role

WORKFLOW_NAME = "Quy trình duyệt tin bài"
WAGTAIL_SAMPLE_GROUPS = ("Editors", "Moderators")
EDITOR_TASK_NAME = "Biên tập viên duyệt"
APPROVER_TASK_NAME = "Lãnh đạo duyệt"


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _collection_permission(codename: str) -> Permission:
    app_label = "wagtaildocs" if codename.endswith("_document") else "wagtailimages"
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def roles_sync() -> list[Group]:
    """Create the role groups and add their model and collection permissions (idempotent)."""
    if not Permission.objects.filter(codename="access_admin").exists():
        return []  # Wagtail's permissions are not migrated yet
    # Wagtail's sample groups (English names) are replaced by the roles below.
    Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS, user__isnull=True).delete()
    wagtail_records_rename()
    groups = []
    root_collection = Collection.get_first_root_node()
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        wanted = [_permission(ADMIN_ACCESS)] + [_permission(p) for p in role.model_permissions]
        # Additive: other apps (registers, reports…) grant the same groups their own permissions.
        group.permissions.add(*[p for p in wanted if p is not None])
        if root_collection is not None:
            for codename in role.collection_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_collection_permission(codename),
                )
        groups.append(group)
    return groups


# Records Wagtail's own migrations create with English names, shown on admin screens
# (breadcrumbs, collection lists, workflow lists): renamed once, never if an officer renamed
# them already.
WAGTAIL_RECORD_NAMES = {
    "root page": ("Root", "Gốc"),
    "root collection": ("Root", "Thư mục gốc"),
    "workflow": ("Moderators approval", "Quy trình duyệt mặc định"),
    "task": ("Moderators approval", "Người kiểm duyệt duyệt"),
}


def wagtail_records_rename() -> None:
    """Give the root page, the root collection and Wagtail's sample workflow and task
    Vietnamese names (idempotent)."""
    from wagtail.models import Task, Workflow

    english, vietnamese = WAGTAIL_RECORD_NAMES["root page"]
    Page.objects.filter(depth=1, title=english).update(title=vietnamese, draft_title=vietnamese)
    english, vietnamese = WAGTAIL_RECORD_NAMES["root collection"]
    Collection.objects.filter(depth=1, name=english).update(name=vietnamese)
    english, vietnamese = WAGTAIL_RECORD_NAMES["workflow"]
    Workflow.objects.filter(name=english).update(name=vietnamese)
    english, vietnamese = WAGTAIL_RECORD_NAMES["task"]
    Task.objects.filter(name=english).update(name=vietnamese)


def role_group(role: Role | str) -> Group:
    role = ROLES_BY_KEY[role] if isinstance(role, str) else role
    return Group.objects.get(name=role.group_name)


@transaction.atomic
def roles_grant_page_permissions(*, root: Page) -> None:
    """Grant each role its page permissions on ``root`` (a locale's portal home)."""
    for role in ROLES:
        group = role_group(role)
        for codename in role.page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_page_permission(codename)
            )


@transaction.atomic
def workflow_ensure_default(*, roots: list[Page]) -> Workflow:
    """The approval workflow reporter → editor → approver, assigned to each portal root."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    steps = [(EDITOR_TASK_NAME, EDITOR), (APPROVER_TASK_NAME, APPROVER)]
    for order, (task_name, role) in enumerate(steps):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([role_group(role)])
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    for root in roots:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def user_create_with_role(
    *,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
    """Create (or update) a staff user in one role; administrators are also superusers."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.first_name, user.last_name = first_name, last_name
    user.email = email or f"{username}@localhost"
    user.is_active = True
    user.is_staff = role == "administrator"
    user.is_superuser = role == "administrator"
    user.set_password(password)
    user.save()
    user.groups.set([role_group(role)])
    return user
