from wagtail import hooks

from .viewsets import MonitoringGroup


@hooks.register("register_admin_viewset")
def register_monitoring():
    return MonitoringGroup()
