from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "doingoai.registers"
    label = "registers"
    verbose_name = "External-information registers"
