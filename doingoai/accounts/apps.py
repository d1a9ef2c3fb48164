from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "doingoai.accounts"
    label = "accounts"
    verbose_name = "Người dùng và vai trò"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (audit log of sign-ins)
        from .services import roles_sync

        def sync_roles(**kwargs):
            roles_sync()

        # Groups and permissions are data every install needs: keep them in step on migrate.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="doingoai-roles-sync")
