"""System checks of two-factor sign-in's setting."""

from django.conf import settings
from django.core import checks

from .policy import MODES


@checks.register(checks.Tags.security)
def two_factor_setting(app_configs, **kwargs):
    value = settings.TWO_FACTOR_REQUIRED
    if value not in MODES:
        return [
            checks.Error(
                f"TWO_FACTOR_REQUIRED is {value!r}; it must be one of {', '.join(MODES)}.",
                hint="Unknown values are read as 'roles' until this is corrected.",
                id="doingoai.E201",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def two_factor_required_in_production(app_configs, **kwargs):
    if settings.TWO_FACTOR_REQUIRED == "off":
        return [
            checks.Warning(
                "Two-factor sign-in is required of nobody (TWO_FACTOR_REQUIRED=off).",
                hint="Approvers and administrators publish and manage accounts in the "
                "province's name: set TWO_FACTOR_REQUIRED=roles (the default) or all.",
                id="doingoai.W201",
            )
        ]
    return []
