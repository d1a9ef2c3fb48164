from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "doingoai.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self) -> None:
        from django.core.management import call_command

        from doingoai.core.periodic import register_periodic_job

        from . import signals  # noqa: F401  (page-cache invalidation)
        from .site_address import sync_default_site

        # The default site's address follows PORTAL_BASE_URL (site_address.py).
        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="portal-site-address")

        # Scheduled publication and expiry (hẹn giờ xuất bản / hết hạn).
        register_periodic_job("publish_scheduled", 60, lambda: call_command("publish_scheduled"))
