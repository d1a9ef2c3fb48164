"""The two-factor screens.

The code step, the set-up screen and the recovery codes look like the sign-in page (the officer
may not use the rest of the back office yet); the officer's own page, removing and an
administrator's reset are ordinary back-office screens.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services
from .forms import AppCodeForm, PasswordConfirmForm, RecoveryCodeForm
from .policy import Due, due, is_required

# After this many wrong codes in a row the refusal also points to the way out of a lost phone.
LOST_PHONE_HINT_AFTER = 3


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("wagtailadmin_home")


def _with_next(url_name: str, request) -> str:
    url = reverse(url_name)
    next_url = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _verified(request, device) -> None:
    """This session has passed the code step: django-otp remembers the device in the session,
    and the session gets a new key (what was seen before the second factor cannot be reused)."""
    otp_login(request, device)
    request.session.cycle_key()


def _refusal(check: services.Check, method: str) -> str:
    if check.throttled:
        return ngettext(
            "Too many wrong codes. Try again in %(seconds)d second.",
            "Too many wrong codes. Try again in %(seconds)d seconds.",
            check.wait,
        ) % {"seconds": check.wait}
    if method == services.RECOVERY:
        text = _("This recovery code is not right or has already been used.")
    else:
        text = _(
            "This code is not right. Type the code your app shows now; if codes keep being "
            "refused, check that the phone's clock is set automatically."
        )
    if check.failures >= LOST_PHONE_HINT_AFTER:
        text += " " + _(
            "Lost your phone? Use a recovery code or ask an administrator to reset two-step "
            "sign-in."
        )
    return text


def _bare_context(request, title: str, **context) -> dict:
    return {
        "title": title,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        **context,
    }


# --- the code step --------------------------------------------------------------------------
@never_cache
def verify(request):
    """After the password: the code from the authenticator app, or a recovery code."""
    user = request.user
    owed = due(user)
    if owed is Due.SETUP:
        return redirect(_with_next("accounts_twofactor_setup", request))
    if owed is Due.NOTHING:
        return redirect(_next_url(request))
    has_app = services.app_device(user) is not None
    asked = request.POST.get("method") or request.GET.get("method")
    method = services.RECOVERY if asked == services.RECOVERY or not has_app else services.APP
    form_class = RecoveryCodeForm if method == services.RECOVERY else AppCodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        check = services.check_code(user, form.cleaned_data["code"], method=method)
        if check.ok:
            _verified(request, check.device)
            if method == services.RECOVERY:
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code, which cannot be used again: "
                        "%(count)d is left. Make new ones on your two-step sign-in page.",
                        "You signed in with a recovery code, which cannot be used again: "
                        "%(count)d are left. Make new ones on your two-step sign-in page.",
                        check.recovery_left,
                    )
                    % {"count": check.recovery_left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _refusal(check, method))
    context = _bare_context(
        request,
        _("Two-step sign-in"),
        form=form,
        method=method,
        has_app=has_app,
        has_recovery=services.recovery_codes_left(user) > 0,
        recovery_method=services.RECOVERY,
        app_method=services.APP,
    )
    return TemplateResponse(request, "accounts/twofactor/verify.html", context)


# --- setting up ------------------------------------------------------------------------------
def _codes_response(request, codes: list[str], *, continue_url: str, first_time: bool):
    """The recovery codes, shown once (never stored anywhere the officer can read them again)."""
    text = "\n".join(
        [
            _("Recovery codes for %(username)s at %(site)s")
            % {"username": request.user.get_username(), "site": settings.WAGTAIL_SITE_NAME},
            _("Each code can be used once, instead of the code from the authenticator app."),
            "",
            *codes,
            "",
        ]
    )
    context = _bare_context(
        request,
        _("Your recovery codes"),
        codes=codes,
        account=request.user.get_username(),
        first_time=first_time,
        continue_url=continue_url,
        download_href="data:text/plain;charset=utf-8," + quote(text),
        download_name=f"ma-khoi-phuc-{request.user.get_username()}.txt",
    )
    return TemplateResponse(request, "accounts/twofactor/recovery_codes.html", context)


@never_cache
def setup(request):
    """The set-up screen: a QR code and the secret for the app, then a code to confirm."""
    user = request.user
    owed = due(user)
    if owed is Due.CODE:
        return redirect(_with_next("accounts_twofactor_verify", request))
    if services.app_device(user) is not None:
        messages.info(request, _("Two-step sign-in is already set up for your account."))
        return redirect("accounts_twofactor")
    device = services.setup_start(user)
    form = AppCodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        check, codes = services.setup_confirm(user, device.pk, form.cleaned_data["code"])
        if check.ok:
            _verified(request, check.device)
            return _codes_response(request, codes, continue_url=_next_url(request), first_time=True)
        form.add_error("code", _refusal(check, services.APP))
    context = _bare_context(
        request,
        _("Set up two-step sign-in"),
        form=form,
        required=is_required(user),
        qr=services.qr_data_uri(device),
        secret=services.secret_text(device),
        account=user.get_username(),
        issuer=settings.OTP_TOTP_ISSUER,
    )
    return TemplateResponse(request, "accounts/twofactor/setup.html", context)


@never_cache
@require_POST
def renew_recovery_codes(request):
    if services.app_device(request.user) is None:
        return redirect("accounts_twofactor")
    codes = services.recovery_codes_renew(request.user)
    return _codes_response(
        request, codes, continue_url=reverse("accounts_twofactor"), first_time=False
    )


# --- the officer's own page ------------------------------------------------------------------
class AdminScreen(WagtailAdminTemplateMixin):
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]


@method_decorator(never_cache, name="dispatch")
class ManageView(AdminScreen, TemplateView):
    page_title = gettext_lazy("Two-step sign-in")
    template_name = "accounts/twofactor/manage.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context.update(
            app_device=services.app_device(user),
            recovery_left=services.recovery_codes_left(user),
            recovery_total=settings.TWO_FACTOR_RECOVERY_CODES,
            required=is_required(user),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class RemoveView(AdminScreen, FormView):
    """Remove the authenticator and recovery codes (a new phone): the password first."""

    page_title = gettext_lazy("Remove two-step sign-in")
    template_name = "accounts/twofactor/remove.html"
    form_class = PasswordConfirmForm

    def dispatch(self, request, *args, **kwargs):
        if services.app_device(request.user) is None:
            return redirect("accounts_twofactor")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "required": is_required(self.request.user)}

    def form_valid(self, form):
        services.second_factor_remove(self.request.user)
        if is_required(self.request.user):
            messages.warning(
                self.request,
                _("Two-step sign-in was removed. Your role requires it: set it up again now."),
            )
            return redirect("accounts_twofactor_setup")
        messages.success(self.request, _("Two-step sign-in was removed from your account."))
        return redirect("accounts_twofactor")


# --- an administrator resets another officer's second factor -------------------------------
def can_reset(actor, officer) -> bool:
    """Administrators (who may change users) reset others' second factor; only a superuser
    resets a superuser's. One's own is removed on one's own page, with the password."""
    return (
        actor.is_authenticated
        and actor.pk != officer.pk
        and actor.has_perm("auth.change_user")
        and (actor.is_superuser or not officer.is_superuser)
    )


@method_decorator(never_cache, name="dispatch")
class ResetView(AdminScreen, TemplateView):
    page_title = gettext_lazy("Reset two-step sign-in")
    template_name = "accounts/twofactor/reset.html"

    def dispatch(self, request, *args, **kwargs):
        self.officer = get_object_or_404(get_user_model(), pk=kwargs["user_id"])
        if not can_reset(request.user, self.officer):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return get_user_display_name(self.officer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            officer=self.officer,
            officer_name=get_user_display_name(self.officer),
            app_device=services.app_device(self.officer),
            user_url=reverse("wagtailusers_users:edit", args=[self.officer.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        name = get_user_display_name(self.officer)
        if services.second_factor_remove(self.officer, by=request.user):
            messages.success(
                request,
                _(
                    "Two-step sign-in of %(name)s was reset. Their next sign-in needs only the "
                    "password; if their role requires two-step sign-in, they set it up again "
                    "right after."
                )
                % {"name": name},
            )
        else:
            messages.info(request, _("%(name)s has no two-step sign-in.") % {"name": name})
        return redirect("wagtailusers_users:edit", self.officer.pk)
