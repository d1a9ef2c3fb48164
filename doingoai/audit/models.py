from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry


class AuditLogEntry(ModelLogEntry):
    """Wagtail's log entries seen as the audit log: carries the permission to read it (nobody
    may add, change or delete entries, so there are no such permissions)."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("view_auditlog", _("Can view the audit log"))]
        verbose_name = _("audit log")
        verbose_name_plural = _("audit log")
