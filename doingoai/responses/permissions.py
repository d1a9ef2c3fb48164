"""Who may do what: Django model permissions (through the role groups), with cases narrowed to
the unit they are assigned to (the registers' unit scoping) and alerts read-only.

Registered with Wagtail's policy registry, so the admin views, menus and any other code asking
Wagtail about these models apply the same rule.
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .models import Alert, Delivery, ResponseCase
from .selectors import case_is_visible_to, cases_visible_to


class CasePermissionPolicy(ModelPermissionPolicy):
    """Cases: province-level staff reach all; a unit's officers the cases of their unit."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and case_is_visible_to(
            user=user, case=instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scope_queryset(user, actions, self.model._default_manager.all())

    def scope_queryset(self, user, actions, queryset):
        if not self.user_has_any_permission(user, actions):
            return queryset.none()
        return cases_visible_to(user=user, queryset=queryset)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Alerts and deliveries are written by the evaluation only."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action not in ("add", "change")]
        return super().users_with_any_permission(actions)


def register_responses_policies() -> None:
    """Called from AppConfig.ready(), before any viewset asks for a policy."""
    policies = {
        ResponseCase: CasePermissionPolicy,
        Alert: ReadOnlyPermissionPolicy,
        Delivery: ReadOnlyPermissionPolicy,
    }
    for model, policy in policies.items():
        if policy_registry.get_by_type(model, fallback=False) is None:
            register_permission_policy(model, policy(model), exact_class=True)


def case_policy() -> CasePermissionPolicy:
    return policy_registry.get_by_type(ResponseCase)
