from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "doingoai.registers"
    label = "registers"
    verbose_name = _("External-information registers")

    def ready(self) -> None:
        from django.conf import settings

        from doingoai.core.periodic import register_periodic_job

        from .imports.stash import uploads_purge
        from .permissions import register_unit_scoped_policies
        from .services import registers_grant_permissions
        from .tasks import send_press_question_reminders

        # Before any admin viewset asks Wagtail for a policy (see permissions.py).
        register_unit_scoped_policies()

        def grant_permissions(app_config, verbosity=1, using="default", apps=None, **kwargs):
            from django.contrib.auth.management import create_permissions

            # Our handler is connected before django.contrib.auth's, so on a fresh database
            # this app's permissions would not exist yet: create them first (idempotent).
            create_permissions(
                app_config, verbosity=0, using=using, **({"apps": apps} if apps else {})
            )
            registers_grant_permissions()

        # Runs after accounts' roles_sync (accounts comes first in INSTALLED_APPS), which
        # replaces the role groups' permissions.
        post_migrate.connect(
            grant_permissions,
            sender=self,
            dispatch_uid="doingoai-registers-permissions",
            weak=False,
        )
        register_periodic_job(
            "registers_press_reminders",
            getattr(settings, "REGISTERS_REMINDER_SECONDS", 60 * 60),
            send_press_question_reminders.enqueue,
        )
        # Import files previewed but never confirmed.
        register_periodic_job("registers_import_purge", 6 * 60 * 60, uploads_purge)
