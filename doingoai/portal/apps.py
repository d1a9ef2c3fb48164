from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "doingoai.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self) -> None:
        from django.core.management import call_command

        from doingoai.core.periodic import register_periodic_job

        from . import signals  # noqa: F401  (page-cache invalidation)

        # Scheduled publication and expiry (hẹn giờ xuất bản / hết hạn).
        register_periodic_job("publish_scheduled", 60, lambda: call_command("publish_scheduled"))
