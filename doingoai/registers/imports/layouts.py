"""The column layout of each register's import file (Vietnamese headers, fixed).

The headers are part of the file format, like a form's field names: they are written in
Vietnamese and never translated. Cells are read by kind:

- ``text``: any text; ``date``: dd/mm/yyyy (or a spreadsheet date); ``int``: a whole number;
- ``choice``: the Vietnamese label shown in the back office, or its code;
- ``unit``: the name of a unit the importing user belongs to (blank: their own unit);
- ``any_unit``: the name of any unit; ``agency``: the name of a press agency;
- ``agencies``: several press agency names separated by ";";
- ``event_date`` / ``event_title``: the date and title of a press event of the user's units.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agreement,
    BorderCooperation,
    BorderOutreachSession,
    EventParticipation,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PlanTarget,
    PressEvent,
    PressQuestion,
    PressRelease,
    TwinningRelation,
)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"
    required: bool = False
    note: str | Promise = ""


@dataclass(frozen=True)
class Layout:
    key: str
    model: type
    columns: tuple[Column, ...]

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    def column_for_field(self, field: str) -> Column | None:
        for column in self.columns:
            if column.field == field:
                return column
        return None


UNIT = Column(
    "Đơn vị",
    "unit",
    "unit",
    note=_("Leave blank to file the record under your own unit."),
)

LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        Layout(
            "press-events",
            PressEvent,
            (
                UNIT,
                Column("Loại", "kind", "choice", required=True),
                Column("Tiêu đề", "title", required=True),
                Column("Ngày", "held_on", "date", required=True),
                Column("Người phát ngôn", "spokesperson", required=True),
                Column("Nội dung chính", "topics"),
                Column("Cơ quan báo chí tham dự", "agencies", "agencies"),
            ),
        ),
        Layout(
            "press-questions",
            PressQuestion,
            (
                Column(
                    "Ngày họp báo",
                    "event_date",
                    "event_date",
                    required=True,
                    note=_("With the title, identifies a press event already entered."),
                ),
                Column("Tiêu đề họp báo", "event_title", "event_title", required=True),
                Column("Người hỏi", "asker", required=True),
                Column("Cơ quan báo chí", "agency", "agency"),
                Column("Câu hỏi", "question", required=True),
                Column("Đơn vị trả lời", "assigned_unit", "any_unit", required=True),
                Column("Hạn trả lời", "deadline", "date"),
                Column("Nội dung trả lời", "answer"),
                Column("Ngày trả lời", "answered_on", "date"),
            ),
        ),
        Layout(
            "press-releases",
            PressRelease,
            (
                UNIT,
                Column("Tiêu đề", "title", required=True),
                Column("Ngày phát hành", "issued_on", "date", required=True),
                Column("Tóm tắt", "summary"),
            ),
        ),
        Layout(
            "outgoing-delegations",
            OutgoingDelegation,
            (
                UNIT,
                Column("Nước đến", "destination_country", required=True),
                Column("Địa điểm", "destination_place"),
                Column("Mục đích", "purpose", required=True),
                Column("Trưởng đoàn", "head", required=True),
                Column("Số cán bộ", "officials_count", "int"),
                Column("Số cá nhân khác", "others_count", "int"),
                Column("Ngày đi", "start_date", "date", required=True),
                Column("Ngày về", "end_date", "date", required=True),
                Column("Văn bản cho phép", "authorising_document"),
            ),
        ),
        Layout(
            "incoming-delegations",
            IncomingDelegation,
            (
                UNIT,
                Column("Nước", "origin_country", required=True),
                Column("Cơ quan, tổ chức", "organisation", required=True),
                Column("Số khách nước ngoài", "foreign_visitors", "int", required=True),
                Column("Mục đích", "purpose", required=True),
                Column("Đơn vị đón tiếp", "host_unit", "any_unit"),
                Column("Ngày đến", "start_date", "date", required=True),
                Column("Ngày đi", "end_date", "date", required=True),
            ),
        ),
        Layout(
            "agreements",
            Agreement,
            (
                UNIT,
                Column("Loại", "kind", "choice", required=True),
                Column("Tên văn bản", "title", required=True),
                Column("Các bên ký kết", "parties", required=True),
                Column("Ngày ký", "signed_on", "date", required=True),
                Column("Hiệu lực từ", "period_start", "date"),
                Column("Hiệu lực đến", "period_end", "date"),
                Column("Tình trạng", "status", "choice"),
            ),
        ),
        Layout(
            "twinning",
            TwinningRelation,
            (
                UNIT,
                Column("Bên Việt Nam", "local_party", required=True),
                Column("Bên nước ngoài", "foreign_party", required=True),
                Column("Nước", "country", required=True),
                Column("Ngày kết nghĩa", "established_on", "date"),
                Column("Tình trạng", "status", "choice"),
                Column("Ghi chú", "notes"),
            ),
        ),
        Layout(
            "border-cooperation",
            BorderCooperation,
            (
                UNIT,
                Column("Loại", "kind", "choice", required=True),
                Column("Ngày", "date", "date", required=True),
                Column("Đối tác", "counterpart", required=True),
                Column("Nội dung", "summary"),
            ),
        ),
        Layout(
            "border-outreach",
            BorderOutreachSession,
            (
                UNIT,
                Column("Ngày", "held_on", "date", required=True),
                Column("Xã", "commune", required=True),
                Column("Đồn biên phòng", "border_post"),
                Column("Cán bộ tham gia", "officers"),
                Column("Số cán bộ", "officers_count", "int"),
                Column("Số người dân", "residents_reached", "int"),
                Column("Nội dung", "topics"),
                Column("Văn bản pháp luật", "legal_documents"),
            ),
        ),
        Layout(
            "media",
            MediaProduct,
            (
                UNIT,
                Column("Loại", "kind", "choice", required=True),
                Column("Tiêu đề", "title", required=True),
                Column("Ngôn ngữ", "language", "choice"),
                Column("Kênh", "channel"),
                Column("Số lượng", "quantity", "int"),
                Column("Ngày", "produced_on", "date", required=True),
            ),
        ),
        Layout(
            "events",
            EventParticipation,
            (
                UNIT,
                Column("Loại", "kind", "choice"),
                Column("Tên sự kiện", "name", required=True),
                Column("Địa điểm", "place"),
                Column("Nước", "country"),
                Column("Ngày bắt đầu", "start_date", "date", required=True),
                Column("Ngày kết thúc", "end_date", "date"),
                Column("Nội dung tham gia", "description"),
            ),
        ),
        Layout(
            "plan-targets",
            PlanTarget,
            (
                UNIT,
                Column("Năm", "year", "int", required=True),
                Column("Chỉ tiêu", "indicator", "choice", required=True),
                Column("Mục tiêu", "target", "int", required=True),
            ),
        ),
    )
}

LAYOUTS_BY_MODEL = {layout.model: layout for layout in LAYOUTS.values()}
