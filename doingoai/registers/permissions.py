"""Who may do what to a register record: Django model permissions (through the role groups)
narrowed to the records of the units the user belongs to.

Registered with Wagtail's policy registry, so the admin views, menus and any other code asking
Wagtail about these models all apply the same rule.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .models import REGISTER_MODELS
from .selectors import record_is_visible_to, records_visible_to


class UnitScopedPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and record_is_visible_to(
            user=user, record=instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope_queryset(user, actions, self.model._default_manager.all())

    def scope_queryset(self, user, actions, queryset):
        """``queryset`` narrowed to what ``user`` may do any of ``actions`` to."""
        if not self.user_has_any_permission(user, actions):
            return queryset.none()
        return records_visible_to(user=user, queryset=queryset)


def register_unit_scoped_policies() -> None:
    """Called from AppConfig.ready(), before any viewset asks for a policy."""
    for model in REGISTER_MODELS:
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, UnitScopedPermissionPolicy(model), exact_class=True)


def policy_for(model) -> UnitScopedPermissionPolicy:
    return policy_registry.get_by_type(model)
