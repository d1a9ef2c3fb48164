from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton

from doingoai.monitoring.models import Cluster
from doingoai.monitoring.viewsets import INSPECT_BUTTONS_HOOK

from .permissions import case_policy
from .viewsets import ResponsesGroup


@hooks.register("register_admin_viewset")
def register_responses():
    return ResponsesGroup()


@hooks.register(INSPECT_BUTTONS_HOOK)
def open_case_button(request, obj) -> list[HeaderButton]:
    """ "Mở vụ việc" on a monitored item's or story's page, for those who may open cases."""
    if not case_policy().user_has_permission(request.user, "add"):
        return []
    kind = "cluster" if isinstance(obj, Cluster) else "item"
    url = f"{reverse('responses_cases:add')}?{kind}={obj.pk}"
    return [HeaderButton(_("Open a case"), url=url, icon_name="plus")]
