"""Models refuse bad input with a clear Vietnamese message."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from doingoai.registers.models import IncomingDelegation, OutgoingDelegation, PressQuestion

from .factories import (
    AgreementFactory,
    EventParticipationFactory,
    IncomingDelegationFactory,
    MediaProductFactory,
    OutgoingDelegationFactory,
    PlanTargetFactory,
    PressEventFactory,
    PressQuestionFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def errors_in_vietnamese(instance) -> dict[str, list[str]]:
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return {
        field: [str(m) for m in messages] for field, messages in caught.value.message_dict.items()
    }


def test_a_valid_record_of_every_register_passes():
    for factory in (
        PressQuestionFactory,
        OutgoingDelegationFactory,
        IncomingDelegationFactory,
        AgreementFactory,
        MediaProductFactory,
        EventParticipationFactory,
        PlanTargetFactory,
    ):
        factory().full_clean()


def test_negative_counts_are_refused():
    delegation = OutgoingDelegationFactory.build(unit=UnitFactory(), officials_count=-3)
    errors = errors_in_vietnamese(delegation)
    assert errors["officials_count"] == ["Số lượng không được là số âm."]


def test_end_before_start_is_refused():
    delegation = OutgoingDelegationFactory.build(
        unit=UnitFactory(), start_date=date(2024, 4, 10), end_date=date(2024, 4, 9)
    )
    assert errors_in_vietnamese(delegation) == {
        "end_date": ["Ngày kết thúc không được trước ngày bắt đầu."]
    }


def test_agreement_validity_period_must_not_end_before_it_starts():
    agreement = AgreementFactory.build(
        unit=UnitFactory(), period_start=date(2024, 1, 1), period_end=date(2023, 1, 1)
    )
    assert errors_in_vietnamese(agreement) == {
        "period_end": ["Ngày kết thúc không được trước ngày bắt đầu."]
    }


def test_deadline_before_the_press_event_is_refused():
    event = PressEventFactory(held_on=date(2024, 3, 4))
    question = PressQuestionFactory.build(
        event=event,
        unit=event.unit,
        assigned_unit=UnitFactory(),
        agency=None,
        deadline=date(2024, 3, 1),
    )
    assert errors_in_vietnamese(question) == {
        "deadline": ["Hạn trả lời không được trước ngày họp báo."]
    }


def test_incoming_delegation_needs_a_foreign_visitor():
    delegation = IncomingDelegationFactory.build(unit=UnitFactory(), foreign_visitors=0)
    assert errors_in_vietnamese(delegation) == {
        "foreign_visitors": ["Đoàn vào phải có ít nhất một khách nước ngoài."]
    }


def test_question_takes_the_unit_of_its_event():
    event = PressEventFactory()
    question = PressQuestion(
        event=event, asker="Phóng viên", question="?", assigned_unit=UnitFactory()
    )
    question.save()
    assert question.unit == event.unit


def test_same_record_twice_is_refused_with_a_clear_message():
    first = OutgoingDelegationFactory()
    second = OutgoingDelegation(
        unit=first.unit,
        destination_country=first.destination_country,
        purpose="Lần hai",
        head=first.head,
        start_date=first.start_date,
        end_date=first.end_date,
    )
    errors = errors_in_vietnamese(second)
    assert errors["__all__"] == [
        "Đơn vị này đã ghi đoàn ra này (cùng nước đến, ngày đi và trưởng đoàn)."
    ]


def test_labels_are_vietnamese():
    with translation.override("vi"):
        assert str(IncomingDelegation._meta.verbose_name_plural) == "đoàn vào"
        assert str(PressQuestion._meta.get_field("deadline").verbose_name) == "hạn trả lời"
