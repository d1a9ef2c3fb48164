from django.apps import AppConfig


class VisitorsConfig(AppConfig):
    name = "doingoai.visitors"
    label = "visitors"
    verbose_name = "Thống kê truy cập"

    def ready(self) -> None:
        from django.conf import settings

        from doingoai.core.periodic import register_periodic_job

        from . import checks  # noqa: F401 - registers the deployment check
        from .services import visits_flush

        # The SQLite and Redis buffers can be flushed by any process (`run_periodic`); a memory
        # buffer lives in this process, so only this process's periodic thread can flush it.
        register_periodic_job("visits_flush", settings.VISITS_FLUSH_SECONDS, visits_flush)
