from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "doingoai.core"
    label = "core"
    verbose_name = "Nền tảng chung"

    def ready(self):
        from .spreadsheets import protect_wagtail_exports

        protect_wagtail_exports()  # Wagtail's own CSV/XLSX exports write formulas as text
