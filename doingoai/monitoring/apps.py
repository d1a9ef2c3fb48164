from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "doingoai.monitoring"
    label = "monitoring"
    verbose_name = "Online information monitoring"
