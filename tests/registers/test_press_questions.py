"""Overdue press questions, the listing that shows them and the reminder sent once."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_tasks import TaskResultStatus

from doingoai.core.periodic import registered_jobs
from doingoai.registers.models import PressQuestionReminder, UnitMembership
from doingoai.registers.selectors import press_questions_overdue
from doingoai.registers.services import press_question_reminders_send
from doingoai.registers.tasks import send_press_question_reminders

from .factories import PressEventFactory, PressQuestionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 20)


@pytest.fixture
def questions(office):
    event = PressEventFactory(unit=office.province, held_on=date(2024, 3, 4))
    return {
        "overdue": PressQuestionFactory(
            event=event, assigned_unit=office.unit_a, deadline=date(2024, 3, 11)
        ),
        "answered": PressQuestionFactory(
            event=event,
            assigned_unit=office.unit_a,
            deadline=date(2024, 3, 11),
            answer="Dự án khởi công quý II.",
            answered_on=date(2024, 3, 10),
        ),
        "due_today": PressQuestionFactory(event=event, assigned_unit=office.unit_b, deadline=TODAY),
        "no_deadline": PressQuestionFactory(
            event=event, assigned_unit=office.unit_b, deadline=None
        ),
        "overdue_b": PressQuestionFactory(
            event=event, assigned_unit=office.unit_b, deadline=date(2024, 3, 15)
        ),
    }


def test_overdue_means_deadline_passed_and_no_answer(questions):
    overdue = set(press_questions_overdue(today=TODAY))
    assert overdue == {questions["overdue"], questions["overdue_b"]}


def test_reminder_goes_to_the_assigned_unit_once(office, questions):
    UnitMembership.objects.create(user=office.users["province"], unit=office.unit_b)
    assert press_question_reminders_send(today=TODAY) == 2
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipients) == {
        ("canbo_a@laocai.gov.vn",),
        ("canbo_b@laocai.gov.vn", "canbo_tinh@laocai.gov.vn"),
    }
    message = by_recipients[("canbo_a@laocai.gov.vn",)]
    assert "quá hạn" in message.subject.lower()
    assert questions["overdue"].question in message.body
    assert PressQuestionReminder.objects.count() == 2

    # The next runs send nothing more about these two…
    assert press_question_reminders_send(today=TODAY) == 0
    assert len(mail.outbox) == 2
    # …only about the question that falls overdue later.
    assert press_question_reminders_send(today=TODAY + timedelta(days=3)) == 1
    assert questions["due_today"].question in mail.outbox[-1].body
    assert PressQuestionReminder.objects.count() == 3


def test_failed_sending_is_tried_again_next_time(office, questions, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("doingoai.registers.services.send_mail", broken)
    assert press_question_reminders_send(today=TODAY) == 0
    assert not PressQuestionReminder.objects.exists()
    monkeypatch.undo()
    assert press_question_reminders_send(today=TODAY) == 2


def test_unit_without_email_is_reminded_once_somebody_joins(office, questions):
    office.users["a"].email = ""
    office.users["a"].save()
    assert press_question_reminders_send(today=TODAY) == 1  # only unit B
    UnitMembership.objects.create(user=office.users["province"], unit=office.unit_a)
    assert press_question_reminders_send(today=TODAY) == 1
    assert press_question_reminders_send(today=TODAY) == 0


def test_reminder_is_a_task_and_a_periodic_job(office, questions):
    assert "registers_press_reminders" in {job.name for job in registered_jobs()}
    with time_machine.travel(date(2024, 3, 20), tick=False):
        result = send_press_question_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    job = next(job for job in registered_jobs() if job.name == "registers_press_reminders")
    with time_machine.travel(date(2024, 3, 20), tick=False):
        job.run()  # the periodic trigger enqueues the same task: nothing new to send
    assert len(mail.outbox) == 2
    with time_machine.travel(date(2024, 3, 21), tick=False):
        job.run()  # the question due on the 20th is now overdue
    assert len(mail.outbox) == 3


def test_overdue_listing_shows_each_unit_its_own(client, office, questions):
    listing = reverse("registers_press_questions:overdue")
    with time_machine.travel(date(2024, 3, 20), tick=False):
        client.force_login(office.users["a"])
        html_a = client.get(listing).content.decode()
        client.force_login(office.users["province"])
        html_province = client.get(listing).content.decode()
    assert str(questions["overdue"]) in html_a
    assert str(questions["overdue_b"]) not in html_a
    assert str(questions["answered"]) not in html_a
    assert str(questions["overdue"]) in html_province
    assert str(questions["overdue_b"]) in html_province
    assert str(questions["due_today"]) not in html_province


def test_assigned_unit_answers_the_question_of_another_units_event(client, office, questions):
    question = questions["overdue"]
    client.force_login(office.users["a"])
    response = client.post(
        reverse("registers_press_questions:edit", args=[question.pk]),
        {
            "event": question.event_id,
            "asker": question.asker,
            "agency": question.agency_id,
            "question": question.question,
            "assigned_unit": question.assigned_unit_id,
            "deadline": "11/03/2024",
            "answer": "Đã trả lời bằng văn bản số 45/STTTT.",
            "answered_on": "19/03/2024",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answered_on == date(2024, 3, 19)
    assert question not in press_questions_overdue(today=TODAY)
    # …but cannot open questions assigned to another unit.
    client.force_login(office.users["a"])
    other = reverse("registers_press_questions:edit", args=[questions["overdue_b"].pk])
    assert client.get(other).url == reverse("wagtailadmin_home")
