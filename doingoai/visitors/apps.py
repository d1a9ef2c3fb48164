from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    name = "doingoai.visitors"
    label = "visitors"
    verbose_name = "Thống kê truy cập"

    def ready(self) -> None:
        from django.conf import settings

        from doingoai.core.periodic import register_periodic_job

        from .services import visits_flush

        # A memory buffer lives in this process, so it is flushed here, directly; a Redis
        # buffer can be flushed by any process.
        register_periodic_job("visits_flush", settings.VISITS_FLUSH_SECONDS, visits_flush)
