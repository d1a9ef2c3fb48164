from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "doingoai.reports"
    label = "reports"
    verbose_name = "Periodic reports"
