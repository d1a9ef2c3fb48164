from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "doingoai.backups"
    label = "backups"
    verbose_name = "Sao lưu và khôi phục"

    def ready(self) -> None:
        from doingoai.core.periodic import register_periodic_job

        from .tasks import scheduled_backup

        # Checked every 10 minutes; a backup is made once a day after BACKUP_HOUR.
        register_periodic_job("backup", 10 * 60, scheduled_backup.enqueue)
