"""Demo units, memberships and a year and a half of register records (idempotent).

Figures are modest and invented to show the registers and reports; the structure follows
what DOMAIN.md describes (weekly Monday briefings, delegations, outreach sessions).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from doingoai.registers.models import (
    BorderCooperation,
    BorderOutreachSession,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PressAgency,
    PressEvent,
    PressQuestion,
    Unit,
    UnitMembership,
)

UNITS = (
    ("Sở Thông tin và Truyền thông", Unit.Kind.DEPARTMENT, True),
    ("Sở Ngoại vụ", Unit.Kind.DEPARTMENT, True),
    ("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", Unit.Kind.BORDER_GUARD, False),
    ("UBND huyện Bát Xát", Unit.Kind.DISTRICT, False),
)
AGENCIES = (
    "Báo Lào Cai",
    "Đài Phát thanh và Truyền hình Lào Cai",
    "Thông tấn xã Việt Nam",
    "Báo Nhân Dân",
    "Đài Truyền hình Việt Nam",
)
MEMBERSHIPS = {
    "phongvien": "Sở Thông tin và Truyền thông",
    "bientap": "Sở Thông tin và Truyền thông",
    "lanhdao": "Sở Thông tin và Truyền thông",
    "canbo_batxat": "UBND huyện Bát Xát",
}
COMMUNES = ("Y Tý", "A Mú Sung", "Trịnh Tường", "Bản Vược", "Quang Kim", "Mường Hum")
QUESTIONS = (
    "Tiến độ nâng cấp tuyến đường nối thành phố Lào Cai với Sa Pa đến đâu?",
    "Tỉnh có giải pháp gì giảm ùn tắc xe nông sản tại cửa khẩu?",
    "Kế hoạch đón khách du lịch dịp cuối năm như thế nào?",
    "Việc cấp đổi giấy tờ cho cư dân biên giới được thực hiện ra sao?",
)


@transaction.atomic
def registers_demo_load(*, today: date | None = None) -> int:
    """Create the demo units and records; returns how many records were created."""
    if PressEvent.objects.exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2024)
    units = {
        name: Unit.objects.get_or_create(
            name=name, defaults={"kind": kind, "is_province_level": province}
        )[0]
        for name, kind, province in UNITS
    }
    users = get_user_model().objects
    for username, unit_name in MEMBERSHIPS.items():
        if (user := users.filter(username=username).first()) is not None:
            UnitMembership.objects.get_or_create(user=user, unit=units[unit_name])
    agencies = [PressAgency.objects.get_or_create(name=name)[0] for name in AGENCIES]
    stt, ngoai_vu = units["Sở Thông tin và Truyền thông"], units["Sở Ngoại vụ"]
    border, district = units["Bộ Chỉ huy Bộ đội Biên phòng tỉnh"], units["UBND huyện Bát Xát"]
    created = 0
    monday = today - timedelta(days=today.weekday())
    for week in range(1, 60):
        held_on = monday - timedelta(weeks=week)
        event = PressEvent.objects.create(
            unit=stt,
            kind=PressEvent.Kind.WEEKLY_BRIEFING,
            held_on=held_on,
            title=f"Họp báo chiều thứ Hai {held_on:%d/%m/%Y}",
            spokesperson="Người phát ngôn UBND tỉnh",
            topics="Kinh tế - xã hội; du lịch; quản lý biên giới",
        )
        event.agencies.set(rng.sample(agencies, 3))
        for number in range(rng.randint(1, 3)):
            answered = week > 2 or number == 0
            PressQuestion.objects.create(
                event=event,
                unit=stt,
                asker="Phóng viên",
                agency=rng.choice(agencies),
                question=rng.choice(QUESTIONS),
                assigned_unit=rng.choice([stt, ngoai_vu]),
                deadline=held_on + timedelta(days=5),
                answer="Đã trả lời bằng văn bản." if answered else "",
                answered_on=held_on + timedelta(days=4) if answered else None,
            )
        created += 1
    for n in range(8):
        start = today - timedelta(days=40 * n + 10)
        OutgoingDelegation.objects.create(
            unit=ngoai_vu,
            destination_country="Trung Quốc",
            destination_place="Vân Nam",
            purpose="Hội đàm hợp tác thương mại và quản lý cửa khẩu",
            head="Phó Chủ tịch UBND tỉnh",
            officials_count=rng.randint(5, 12),
            others_count=rng.randint(0, 4),
            start_date=start,
            end_date=start + timedelta(days=3),
        )
    for n in range(14):
        start = today - timedelta(days=25 * n + 5)
        IncomingDelegation.objects.create(
            unit=ngoai_vu,
            origin_country=rng.choice(["Trung Quốc", "Lào", "Hàn Quốc", "Nhật Bản"]),
            organisation="Đoàn công tác",
            foreign_visitors=rng.randint(4, 20),
            purpose="Tìm hiểu môi trường đầu tư và du lịch",
            host_unit=ngoai_vu,
            start_date=start,
            end_date=start + timedelta(days=2),
        )
    for n in range(40):
        BorderOutreachSession.objects.create(
            unit=border,
            held_on=today - timedelta(days=9 * n + 1),
            commune=COMMUNES[n % len(COMMUNES)],
            border_post="Đồn Biên phòng Y Tý",
            officers_count=rng.randint(2, 5),
            residents_reached=rng.randint(30, 90),
            topics="Hiệp ước biên giới đất liền 1999; Nghị định thư phân giới cắm mốc 2009",
        )
    for n in range(12):
        BorderCooperation.objects.create(
            unit=border,
            kind=rng.choice(list(BorderCooperation.Kind.values)),
            date=today - timedelta(days=30 * n + 3),
            counterpart="Lực lượng biên phòng Hà Khẩu",
            summary="Trao đổi thông tin về quản lý đường biên.",
        )
    for n in range(10):
        MediaProduct.objects.create(
            unit=district if n % 3 == 0 else stt,
            kind=rng.choice(list(MediaProduct.Kind.values)),
            title=f"Sản phẩm thông tin đối ngoại số {n + 1}",
            language=rng.choice(["vi", "en", "zh", "hmong", "dao"]),
            channel="Cổng thông tin đối ngoại",
            produced_on=today - timedelta(days=35 * n + 2),
        )
    return created
