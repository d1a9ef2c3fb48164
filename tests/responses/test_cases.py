"""Response cases: opening, the lifecycle, the times recorded, the rules on answering and on
the deadline, and the response-time figures the reports show."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from doingoai.reports.periods import Period
from doingoai.reports.selectors import report_figures
from doingoai.responses.models import CaseEvent, ResponseCase
from doingoai.responses.selectors import case_response_times
from doingoai.responses.services import (
    CaseTransitionError,
    case_comment,
    case_link_article,
    case_open,
    case_transition,
)

from .factories import ClusterFactory, ItemFactory

pytestmark = pytest.mark.django_db

S = ResponseCase.Status


def local(year, month, day, hour=9, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def editor(office):
    return office.users["editor"]


def test_a_case_opened_from_an_item_takes_its_title_story_and_a_yearly_code(editor, office):
    item = ItemFactory(title="Tin giả về đóng cửa khẩu Kim Thành")
    first = case_open(user=editor, item=item, agency=office.district, now=local(2026, 3, 2))
    second = case_open(user=editor, cluster=ClusterFactory(), now=local(2026, 3, 3))
    next_year = case_open(user=editor, title="Vụ việc năm sau", now=local(2027, 1, 5))

    assert (first.code, second.code, next_year.code) == (
        "VV-2026-0001",
        "VV-2026-0002",
        "VV-2027-0001",
    )
    assert first.title == "Tin giả về đóng cửa khẩu Kim Thành"
    assert first.cluster == item.cluster
    assert (first.status, first.opened_by, first.agency) == (S.NEW, editor, office.district)
    event = first.events.get()
    assert (event.from_status, event.to_status, event.comment) == ("", S.NEW, "Đã mở vụ việc.")


def test_a_deadline_before_the_opening_day_is_refused(editor):
    with pytest.raises(ValidationError) as error:
        case_open(user=editor, title="Hạn sai", deadline=date(2026, 3, 1), now=local(2026, 3, 2))
    assert error.value.message_dict["deadline"] == ["Hạn xử lý không được trước ngày mở vụ việc."]
    assert case_open(
        user=editor, title="Hạn trong ngày", deadline=date(2026, 3, 2), now=local(2026, 3, 2)
    ).deadline == date(2026, 3, 2)


def test_the_whole_lifecycle_records_its_times_and_timeline(editor):
    case = case_open(user=editor, title="Thông tin sai về dịch bệnh", now=local(2026, 3, 2, 8))
    case = case_transition(case=case, to=S.VERIFYING, user=editor, now=local(2026, 3, 2, 10))
    case = case_transition(
        case=case,
        to=S.ANSWERED,
        user=editor,
        answer_note="Đã trả lời trên trang của Sở Y tế.",
        now=local(2026, 3, 3, 8),
    )
    case = case_transition(case=case, to=S.CLOSED, user=editor, now=local(2026, 3, 4, 8))

    assert case.first_response_at == local(2026, 3, 2, 10)
    assert case.answered_at == local(2026, 3, 3, 8)
    assert case.closed_at == local(2026, 3, 4, 8)
    assert (case.hours_to_first_response, case.hours_to_answer) == (2, 24)
    moves = list(case.events.values_list("from_status", "to_status"))
    assert moves == [
        ("", S.NEW),
        (S.NEW, S.VERIFYING),
        (S.VERIFYING, S.ANSWERED),
        (S.ANSWERED, S.CLOSED),
    ]


def test_moves_outside_the_lifecycle_are_refused_in_vietnamese(editor):
    case = case_open(user=editor, title="Vụ việc thử")
    with pytest.raises(CaseTransitionError) as error:
        case_transition(case=case, to=S.ANSWERED, user=editor, answer_note="Đã trả lời")
    assert error.value.messages == ["Vụ việc không thể chuyển từ “Mới” sang “Đã trả lời”."]
    case = case_transition(case=case, to=S.VERIFYING, user=editor)
    with pytest.raises(CaseTransitionError):
        case_transition(case=case, to=S.NEW, user=editor)  # nothing goes back to new
    case.refresh_from_db()
    assert case.status == S.VERIFYING
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_answering_needs_a_published_article_or_an_answer_note(editor, portal):
    case = case_open(user=editor, title="Cần đính chính")
    case = case_transition(case=case, to=S.VERIFYING, user=editor)
    with pytest.raises(CaseTransitionError) as error:
        case_transition(case=case, to=S.ANSWERED, user=editor)
    assert "tin bài đính chính đã xuất bản hoặc ghi chú trả lời" in error.value.messages[0]

    draft = portal.articles[0]
    draft.live = False
    draft.save()
    case_link_article(case=case, article=draft, user=editor)
    with pytest.raises(CaseTransitionError):
        case_transition(case=case, to=S.ANSWERED, user=editor)  # not published yet

    published = portal.articles[1]
    assert published.live
    case_link_article(case=case, article=published, user=editor)
    case = case_transition(case=case, to=S.ANSWERED, user=editor)
    assert case.status == S.ANSWERED
    assert case.events.filter(comment__startswith="Đã gắn tin bài đính chính").count() == 2


def test_closing_without_an_answer_and_reopening_need_a_comment(editor):
    case = case_open(user=editor, title="Báo động giả", now=local(2026, 3, 2, 8))
    with pytest.raises(CaseTransitionError) as error:
        case_transition(case=case, to=S.CLOSED, user=editor)
    assert "ghi rõ lý do" in error.value.messages[0]
    case = case_transition(
        case=case, to=S.CLOSED, user=editor, comment="Không liên quan", now=local(2026, 3, 2, 9)
    )
    assert case.first_response_at == local(2026, 3, 2, 9)  # leaving "new" is a response
    assert case.answered_at is None
    case = case_transition(
        case=case, to=S.VERIFYING, user=editor, comment="Có thông tin mới", now=local(2026, 3, 3)
    )
    assert case.closed_at is None
    assert case.first_response_at == local(2026, 3, 2, 9)  # the first one stays


def test_comments_go_on_the_timeline(editor):
    case = case_open(user=editor, title="Vụ việc có ghi chú")
    case_comment(case=case, user=editor, comment="Đã liên hệ Công an huyện.")
    assert case.events.last().comment == "Đã liên hệ Công an huyện."
    with pytest.raises(ValidationError):
        case_comment(case=case, user=editor, comment="   ")


# --- response times and the report ----------------------------------------------------------


@pytest.fixture
def handled_cases(editor, office):
    """Q1 2026: three cases of the district (one answered in 24 h, one in 48 h, one overdue)
    and one of another unit; one case in Q2."""
    a = case_open(user=editor, title="A", agency=office.district, now=local(2026, 1, 5, 8))
    case_transition(case=a, to=S.VERIFYING, user=editor, now=local(2026, 1, 5, 10))
    case_transition(case=a, to=S.ANSWERED, user=editor, answer_note="x", now=local(2026, 1, 6, 8))
    b = case_open(user=editor, title="B", agency=office.district, now=local(2026, 2, 1, 8))
    case_transition(case=b, to=S.VERIFYING, user=editor, now=local(2026, 2, 1, 14))
    case_transition(case=b, to=S.ANSWERED, user=editor, answer_note="x", now=local(2026, 2, 3, 8))
    case_transition(case=b, to=S.CLOSED, user=editor, now=local(2026, 2, 4, 8))
    case_open(
        user=editor,
        title="C",
        agency=office.district,
        deadline=date(2026, 3, 10),
        now=local(2026, 3, 1, 8),
    )
    other = case_open(user=editor, title="D", agency=office.other, now=local(2026, 3, 2, 8))
    case_transition(case=other, to=S.VERIFYING, user=editor, now=local(2026, 3, 2, 20))
    case_open(user=editor, title="E", agency=office.district, now=local(2026, 4, 2, 8))
    return office


def test_case_response_times_of_a_quarter(handled_cases):
    office = handled_cases
    q1 = {"start": date(2026, 1, 1), "end": date(2026, 3, 31), "today": date(2026, 5, 1)}

    district = case_response_times(unit=office.district, **q1)
    assert (district.opened, district.answered, district.closed, district.overdue) == (3, 2, 1, 1)
    assert district.mean_hours_to_first_response == pytest.approx((2 + 6) / 2)
    assert district.median_hours_to_first_response == pytest.approx(4)
    assert district.mean_hours_to_answer == pytest.approx((24 + 48) / 2)

    everyone = case_response_times(**q1)
    assert (everyone.opened, everyone.answered, everyone.overdue) == (4, 2, 1)
    assert everyone.mean_hours_to_first_response == pytest.approx((2 + 6 + 12) / 3)

    # While the quarter runs, C is not overdue before its deadline.
    running = case_response_times(unit=office.district, **{**q1, "today": date(2026, 3, 9)})
    assert running.overdue == 0


def test_report_indicators_show_the_cases(handled_cases):
    office = handled_cases
    figures = report_figures(
        period=Period.quarter(2026, 1), unit=office.district, today=date(2026, 5, 1)
    )
    group = next(group for group in figures.groups if group.code == "online")
    assert group.title == "Xử lý thông tin trên mạng"
    values = {figure.code: figure.value for figure in group.figures}
    assert values == {
        "cases_opened": 3,
        "cases_answered": 2,
        "cases_overdue": 1,
        "case_hours_first_response": 4,
        "case_hours_to_answer": 36,
    }
    labels = [figure.label for figure in group.figures]
    assert labels[0] == "Số vụ việc đã mở"
    whole = report_figures(period=Period.quarter(2026, 1), unit=None, today=date(2026, 5, 1))
    assert whole.figure("cases_opened").value == 4
    assert whole.figure("cases_opened").year_to_date == 4
    q2 = report_figures(period=Period.quarter(2026, 2), unit=None, today=date(2026, 7, 1))
    assert (q2.figure("cases_opened").value, q2.figure("cases_opened").previous) == (1, 4)


def test_demo_data_is_created_once(office):
    from doingoai.responses.demo import responses_demo

    assert responses_demo() == {"rules": 2, "cases": 3}
    assert responses_demo() == {"rules": 0, "cases": 0}
    statuses = sorted(ResponseCase.objects.values_list("status", flat=True))
    assert statuses == sorted([S.NEW, S.VERIFYING, S.ANSWERED])
