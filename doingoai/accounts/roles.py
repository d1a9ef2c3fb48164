"""The editorial roles (vai trò) and what each may do.

Page permissions are granted on each locale's portal root; Wagtail applies them to the whole
subtree. Reporters only *add* pages, so they can edit their own drafts but nobody else's and
cannot publish; the approval workflow (reporter → editor → approver) moves their work on.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str
    group_name: str
    description: str
    page_permissions: tuple[str, ...]
    collection_permissions: tuple[str, ...]
    model_permissions: tuple[str, ...] = ()
    # Must sign in with a second factor (settings.TWO_FACTOR_REQUIRED = "roles"): those who
    # publish in the province's name and those who manage accounts.
    requires_second_factor: bool = False


ADMIN_ACCESS = "wagtailadmin.access_admin"
_SNIPPETS = (
    "portal.add_banner",
    "portal.change_banner",
    "portal.delete_banner",
    "portal.add_relatedportallink",
    "portal.change_relatedportallink",
    "portal.delete_relatedportallink",
)

REPORTER = Role(
    key="reporter",
    group_name="Phóng viên",
    description="Viết và gửi duyệt tin bài của mình.",
    page_permissions=("add_page",),
    collection_permissions=("add_image", "choose_image", "add_document", "choose_document"),
)
EDITOR = Role(
    key="editor",
    group_name="Biên tập viên",
    description="Biên tập mọi tin bài, duyệt bước biên tập.",
    page_permissions=("add_page", "change_page", "lock_page", "unlock_page"),
    collection_permissions=(
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ),
    model_permissions=(*_SNIPPETS, "simple_translation.submit_translation"),
)
APPROVER = Role(
    key="approver",
    group_name="Lãnh đạo duyệt",
    description="Duyệt cuối và xuất bản, gỡ xuất bản, hẹn giờ xuất bản.",
    # No bulk delete: an approver may delete a news item, not a section with its articles.
    page_permissions=(
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
    ),
    collection_permissions=(
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ),
    model_permissions=(*_SNIPPETS, "simple_translation.submit_translation"),
    requires_second_factor=True,
)
ADMINISTRATOR = Role(
    key="administrator",
    group_name="Quản trị viên",
    description="Quản trị người dùng, nhóm, trang web và toàn bộ nội dung.",
    page_permissions=(
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
    ),
    collection_permissions=(
        "add_image",
        "change_image",
        "delete_image",
        "choose_image",
        "add_document",
        "change_document",
        "delete_document",
        "choose_document",
    ),
    model_permissions=(
        *_SNIPPETS,
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "wagtailcore.add_locale",
        "wagtailcore.change_locale",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "wagtailcore.add_collection",
        "wagtailcore.change_collection",
        "simple_translation.submit_translation",
        "portal.change_portalsettings",
        "audit.view_auditlog",  # Nhật ký thao tác (doingoai/audit)
    ),
    requires_second_factor=True,
)

ROLES: tuple[Role, ...] = (REPORTER, EDITOR, APPROVER, ADMINISTRATOR)
ROLES_BY_KEY = {role.key: role for role in ROLES}
