from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ResponsesConfig(AppConfig):
    name = "doingoai.responses"
    label = "responses"
    verbose_name = _("Alerts and response cases")

    def ready(self) -> None:
        from doingoai.core.periodic import register_periodic_job

        from .conf import setting
        from .permissions import register_responses_policies
        from .services import responses_grant_permissions
        from .tasks import evaluate_alerts, retry_deliveries, send_digest

        # Before any admin viewset asks Wagtail for a policy.
        register_responses_policies()

        def grant_permissions(app_config, verbosity=1, using="default", apps=None, **kwargs):
            from django.contrib.auth.management import create_permissions

            # On a fresh database this app's permissions may not exist yet: create them first.
            create_permissions(
                app_config, verbosity=0, using=using, **({"apps": apps} if apps else {})
            )
            responses_grant_permissions()

        # Runs after accounts' roles_sync (accounts comes first in INSTALLED_APPS).
        post_migrate.connect(
            grant_permissions,
            sender=self,
            dispatch_uid="doingoai-responses-permissions",
            weak=False,
        )
        register_periodic_job(
            "responses_alerts", setting("RESPONSES_ALERT_SECONDS"), evaluate_alerts.enqueue
        )
        register_periodic_job("responses_retries", 60, retry_deliveries.enqueue)
        # Checked every 10 minutes, sent once a day after RESPONSES_DIGEST_HOUR.
        register_periodic_job("responses_digest", 10 * 60, send_digest.enqueue)
