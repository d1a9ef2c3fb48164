from django_tasks import task

from .services import backup_scheduled


@task()
def scheduled_backup() -> str | None:
    """The daily backup, when it is due (services.backup_due); its folder, or None."""
    return backup_scheduled()
