from wagtail import hooks

from .viewsets import RegistersGroup


@hooks.register("register_admin_viewset")
def register_registers():
    return RegistersGroup()
