"""Demo data (dữ liệu mẫu) for ``load_demo``: two alert rules and three cases in different
states, created only when there are none. Called by the demo app; no management command."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from doingoai.accounts.roles import APPROVER, EDITOR
from doingoai.monitoring.models import Cluster
from doingoai.registers.models import Unit

from .models import AlertRule, ResponseCase
from .services import case_open, case_transition

Status = ResponseCase.Status


def _rules() -> list[AlertRule]:
    fast = AlertRule.objects.create(
        name="Thông tin rủi ro cao đang lan nhanh",
        min_risk=0.7,
        growth_mentions=10,
        growth_hours=6,
        recipient_emails="truc-ban-thong-tin@laocai.gov.vn",
        max_per_hour=5,
        cooldown_mentions=20,
    )
    names = AlertRule.objects.create(
        name="Nhắc đến lãnh đạo tỉnh",
        watch_people=True,
        min_relevance=0.2,
        max_per_hour=10,
        cooldown_mentions=10,
    )
    approvers = Group.objects.filter(name=APPROVER.group_name).first()
    if approvers is not None:
        names.recipient_groups.add(approvers)
    return [fast, names]


def _opener():
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(groups__name=EDITOR.group_name).order_by("pk").first()
        or users.filter(is_superuser=True).order_by("pk").first()
    )


def _cases(user) -> list[ResponseCase]:
    now = timezone.now()
    clusters = list(Cluster.objects.order_by("-max_risk", "-mention_count")[:3])
    units = list(Unit.objects.order_by("-is_province_level", "name")[:3])

    def pick(items, n):
        return items[n] if len(items) > n else None

    specs = [
        ("Tin sai về việc tạm đóng cửa khẩu quốc tế Lào Cai", 2, None),
        ("Clip cắt ghép về sạt lở đất ở huyện Bát Xát", 6, Status.VERIFYING),
        ("Bài viết phản ánh sai giá vé cáp treo Fansipan", 12, Status.ANSWERED),
    ]
    cases = []
    for n, (title, days_ago, status) in enumerate(specs):
        opened = now - timedelta(days=days_ago)
        case = case_open(
            user=user,
            title=title,
            cluster=pick(clusters, n),
            agency=pick(units, n),
            deadline=(opened + timedelta(days=3)).date(),
            now=opened,
        )
        if status is not None:
            case = case_transition(
                case=case, to=Status.VERIFYING, user=user, now=opened + timedelta(hours=3)
            )
        if status == Status.ANSWERED:
            case = case_transition(
                case=case,
                to=Status.ANSWERED,
                user=user,
                answer_note="Đơn vị đã đăng thông tin chính xác về giá vé trên trang của mình.",
                now=opened + timedelta(days=1),
            )
        cases.append(case)
    return cases


def responses_demo() -> dict[str, int]:
    """Create the demo rules and cases if there are none yet; returns what was created."""
    created = {"rules": 0, "cases": 0}
    if not AlertRule.objects.exists():
        created["rules"] = len(_rules())
    if not ResponseCase.objects.exists():
        created["cases"] = len(_cases(_opener()))
    return created
