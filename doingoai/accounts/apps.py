from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "doingoai.accounts"
    label = "accounts"
    verbose_name = "Người dùng và vai trò"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import signals  # noqa: F401  (audit log of sign-ins)
        from .names import install_vietnamese_name_order
        from .services import roles_sync
        from .twofactor import checks  # noqa: F401  (TWO_FACTOR_REQUIRED)

        def sync_roles(app_config, **kwargs):
            # post_migrate is sent once per app with models, in INSTALLED_APPS order; this app
            # has none, so act on the last one, when every app's permissions exist.
            with_models = [config for config in apps.get_app_configs() if config.models_module]
            if with_models and app_config is with_models[-1]:
                roles_sync()

        # Names read family name first ("Trần Văn Minh") wherever Wagtail or we show them.
        install_vietnamese_name_order(get_user_model())

        # Groups and permissions are data every install needs: keep them in step on migrate.
        post_migrate.connect(sync_roles, dispatch_uid="doingoai-roles-sync", weak=False)
