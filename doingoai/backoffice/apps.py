from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """The back office's own face: the province's branding, sign-in form and user guide."""

    name = "doingoai.backoffice"
    label = "backoffice"
    verbose_name = "Giao diện trang quản trị"
