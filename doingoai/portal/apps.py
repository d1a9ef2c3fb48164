from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "doingoai.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"
