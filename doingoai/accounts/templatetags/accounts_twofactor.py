"""``{% two_factor_status officer %}``: an officer's two-step sign-in on their user page, with
the administrator's reset button (accounts/twofactor)."""

from django import template
from django.urls import reverse

from ..twofactor import services
from ..twofactor.policy import is_required
from ..twofactor.views import can_reset

register = template.Library()


@register.inclusion_tag("accounts/twofactor/user_status.html", takes_context=True)
def two_factor_status(context, officer):
    request = context.get("request")
    return {
        "officer": officer,
        "app_device": services.app_device(officer),
        "recovery_left": services.recovery_codes_left(officer),
        "required": is_required(officer),
        "can_reset": request is not None and can_reset(request.user, officer),
        "reset_url": reverse("accounts_twofactor_reset", args=[officer.pk]),
    }
