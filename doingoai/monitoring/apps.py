from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "doingoai.monitoring"
    label = "monitoring"
    verbose_name = _("Online information monitoring")

    def ready(self) -> None:
        from django.conf import settings

        from doingoai.core.periodic import register_periodic_job

        from .services import monitoring_grant_permissions, sources_enqueue_due
        from .viewsets import register_monitoring_policies

        # Before any admin viewset asks Wagtail for a policy.
        register_monitoring_policies()

        def grant_permissions(app_config, verbosity=1, using="default", apps=None, **kwargs):
            from django.contrib.auth.management import create_permissions

            # On a fresh database auth's own post_migrate handler may run after this one:
            # create this app's permissions first, or the grant would find none.
            create_permissions(
                app_config, verbosity=0, using=using, **({"apps": apps} if apps else {})
            )
            monitoring_grant_permissions()

        # Runs after accounts' roles_sync (accounts comes first in INSTALLED_APPS).
        post_migrate.connect(
            grant_permissions,
            sender=self,
            dispatch_uid="doingoai-monitoring-permissions",
            weak=False,
        )
        # Every minute: enqueue a fetch task for each source whose time has come.
        register_periodic_job(
            "monitoring_fetch_due",
            getattr(settings, "MONITORING_SCHEDULE_SECONDS", 60),
            sources_enqueue_due,
        )
