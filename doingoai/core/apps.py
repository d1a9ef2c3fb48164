from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "doingoai.core"
    label = "core"
    verbose_name = "Nền tảng chung"
