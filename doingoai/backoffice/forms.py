"""The back office's sign-in form (settings.WAGTAILADMIN_USER_LOGIN_FORM)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's form with labels and placeholders that go through the translation catalogue.

    Wagtail declares the password field without a label, so Django makes one from the field
    name ("Password") without asking gettext; and its username placeholder capitalises the
    field name in the middle of a sentence ("Nhập Tên đăng nhập của bạn").
    """

    error_messages = {
        **WagtailLoginForm.error_messages,
        "invalid_login": _("Your username and password didn't match. Please try again."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs["placeholder"] = _("Enter your username")
        self.fields["password"].label = _("Password")
