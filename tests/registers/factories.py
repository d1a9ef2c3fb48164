"""factory_boy factories for the registers."""

from __future__ import annotations

from datetime import date, timedelta

import factory

from doingoai.registers.models import (
    Agreement,
    AnnualPlan,
    BorderCooperation,
    BorderOutreachSession,
    EventParticipation,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PlanTarget,
    PressAgency,
    PressEvent,
    PressQuestion,
    PressRelease,
    TwinningRelation,
    Unit,
    UnitMembership,
)
from tests.factories import UserFactory


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Đồn Biên phòng số {n}")
    kind = Unit.Kind.BORDER_GUARD
    is_province_level = False


class UnitMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitMembership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)


class PressAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressAgency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Báo số {n}")
    kind = PressAgency.Kind.LOCAL


class RecordFactory(factory.django.DjangoModelFactory):
    unit = factory.SubFactory(UnitFactory)


class PressEventFactory(RecordFactory):
    class Meta:
        model = PressEvent

    kind = PressEvent.Kind.WEEKLY_BRIEFING
    title = factory.Sequence(lambda n: f"Giao ban báo chí tuần {n}")
    held_on = date(2024, 3, 4)
    spokesperson = "Nguyễn Văn An, Chánh Văn phòng UBND tỉnh"
    topics = "Kinh tế cửa khẩu; du lịch Sa Pa"


class PressQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressQuestion

    event = factory.SubFactory(PressEventFactory)
    unit = factory.SelfAttribute("event.unit")
    asker = "Trần Thị Bình"
    agency = factory.SubFactory(PressAgencyFactory)
    question = factory.Sequence(lambda n: f"Tiến độ dự án cao tốc nối cửa khẩu, câu hỏi {n}?")
    assigned_unit = factory.SubFactory(UnitFactory)
    deadline = factory.LazyAttribute(lambda o: o.event.held_on + timedelta(days=7))


class PressReleaseFactory(RecordFactory):
    class Meta:
        model = PressRelease

    title = factory.Sequence(lambda n: f"Thông cáo báo chí số {n}")
    issued_on = date(2024, 3, 5)


class OutgoingDelegationFactory(RecordFactory):
    class Meta:
        model = OutgoingDelegation

    destination_country = "Trung Quốc"
    destination_place = "Côn Minh, Vân Nam"
    purpose = "Hội đàm hợp tác du lịch"
    head = factory.Sequence(lambda n: f"Phó Chủ tịch UBND tỉnh {n}")
    officials_count = 8
    others_count = 2
    start_date = date(2024, 4, 10)
    end_date = date(2024, 4, 13)


class IncomingDelegationFactory(RecordFactory):
    class Meta:
        model = IncomingDelegation

    origin_country = "Lào"
    organisation = factory.Sequence(lambda n: f"Tỉnh Phông-sa-lỳ, đoàn {n}")
    foreign_visitors = 12
    purpose = "Trao đổi kinh nghiệm quản lý biên giới"
    start_date = date(2024, 5, 2)
    end_date = date(2024, 5, 4)


class AgreementFactory(RecordFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.MEMORANDUM
    title = factory.Sequence(lambda n: f"Biên bản ghi nhớ hợp tác truyền thông {n}")
    parties = "UBND tỉnh Lào Cai\nChính quyền châu Hồng Hà"
    signed_on = date(2024, 1, 15)
    period_start = date(2024, 1, 15)
    period_end = date(2030, 12, 31)


class TwinningRelationFactory(RecordFactory):
    class Meta:
        model = TwinningRelation

    local_party = factory.Sequence(lambda n: f"Xã biên giới {n}")
    foreign_party = "Hương Bá Sái"
    country = "Trung Quốc"


class BorderCooperationFactory(RecordFactory):
    class Meta:
        model = BorderCooperation

    kind = BorderCooperation.Kind.LETTER
    date = date(2024, 2, 1)
    counterpart = factory.Sequence(lambda n: f"Trạm kiểm soát biên phòng {n}")


class BorderOutreachSessionFactory(RecordFactory):
    class Meta:
        model = BorderOutreachSession

    held_on = date(2024, 6, 1)
    commune = factory.Sequence(lambda n: f"Xã Y Tý {n}")
    border_post = "Đồn Biên phòng A Mú Sung"
    officers_count = 3
    residents_reached = 120


class MediaProductFactory(RecordFactory):
    class Meta:
        model = MediaProduct

    kind = MediaProduct.Kind.VIDEO
    title = factory.Sequence(lambda n: f"Phóng sự biên giới {n}")
    language = MediaProduct.Language.HMONG
    quantity = 1
    produced_on = date(2024, 7, 1)


class EventParticipationFactory(RecordFactory):
    class Meta:
        model = EventParticipation

    kind = EventParticipation.Kind.TRADE_FAIR
    name = factory.Sequence(lambda n: f"Hội chợ thương mại quốc tế Việt – Trung {n}")
    start_date = date(2024, 11, 20)
    end_date = date(2024, 11, 24)


class AnnualPlanFactory(RecordFactory):
    class Meta:
        model = AnnualPlan

    year = 2024


class PlanTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTarget

    plan = factory.SubFactory(AnnualPlanFactory)
    indicator = "press_briefings"
    target = 50
