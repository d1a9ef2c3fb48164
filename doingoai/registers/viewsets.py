"""Back-office screens of the registers (Wagtail model viewsets), grouped in one menu."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from . import views
from .filters import PressQuestionFilterSet, register_filterset
from .forms import PressQuestionForm, RegisterRecordForm
from .imports.layouts import LAYOUTS
from .models import (
    Agreement,
    AnnualPlan,
    BorderCooperation,
    BorderOutreachSession,
    EventParticipation,
    IncomingDelegation,
    MediaProduct,
    OutgoingDelegation,
    PressAgency,
    PressEvent,
    PressQuestion,
    PressRelease,
    TwinningRelation,
    Unit,
    UnitMembership,
)

URL_ROOT = "so-theo-doi"


class RegisterViewSet(ModelViewSet):
    """A register whose records belong to units: every view is scoped to the user's units."""

    index_view_class = views.ScopedIndexView
    add_view_class = views.ScopedCreateView
    edit_view_class = views.ScopedEditView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    copy_view_class = views.ScopedCopyView
    inspect_view_class = views.ScopedInspectView
    inspect_view_enabled = True
    search_backend_name = None  # plain database search over search_fields
    base_form_class = RegisterRecordForm
    import_key: str | None = None
    panels: list = []

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=self.base_form_class).bind_to_model(
            self.model
        )

    @property
    def list_export(self):
        """The listing's columns as CSV/XLSX (Wagtail's export buttons; logged)."""
        return [column for column in self.list_display if isinstance(column, str)]

    @cached_property
    def layout(self):
        return LAYOUTS[self.import_key] if self.import_key else None

    def get_index_view_kwargs(self, **kwargs):
        if self.layout:
            kwargs.setdefault("import_url_name", self.get_url_name("import"))
            kwargs.setdefault("import_template_url_name", self.get_url_name("import_template"))
        return super().get_index_view_kwargs(**kwargs)

    def get_urlpatterns(self):
        urlpatterns = super().get_urlpatterns()
        if self.layout:
            common = {
                "model": self.model,
                "layout": self.layout,
                "index_url_name": self.get_url_name("index"),
                "import_url_name": self.get_url_name("import"),
                "import_template_url_name": self.get_url_name("import_template"),
            }
            urlpatterns += [
                path("nhap-tu-tep/", views.ImportView.as_view(**common), name="import"),
                path(
                    "nhap-tu-tep/mau.xlsx",
                    views.ImportTemplateView.as_view(model=self.model, layout=self.layout),
                    name="import_template",
                ),
            ]
        return urlpatterns


UNIT_PANEL = FieldPanel("unit")


class PressEventViewSet(RegisterViewSet):
    model = PressEvent
    name = "registers_press_events"
    url_prefix = f"{URL_ROOT}/hop-bao"
    icon = "group"
    import_key = "press-events"
    list_display = ["title", "kind", "held_on", "spokesperson", "unit"]
    filterset_class = register_filterset(PressEvent, date_field="held_on", fields=("kind",))
    search_fields = ["title", "spokesperson", "topics"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("held_on")]),
        FieldPanel("title"),
        FieldPanel("spokesperson"),
        FieldPanel("topics"),
        FieldPanel("agencies"),
    ]


class PressQuestionViewSet(RegisterViewSet):
    model = PressQuestion
    name = "registers_press_questions"
    url_prefix = f"{URL_ROOT}/cau-hoi-bao-chi"
    icon = "help"
    import_key = "press-questions"
    base_form_class = PressQuestionForm
    list_display = ["__str__", "event", "assigned_unit", "deadline", "answered_on"]
    filterset_class = PressQuestionFilterSet
    search_fields = ["question", "asker", "answer"]
    panels = [
        FieldPanel("event"),
        FieldRowPanel([FieldPanel("asker"), FieldPanel("agency")]),
        FieldPanel("question"),
        FieldRowPanel([FieldPanel("assigned_unit"), FieldPanel("deadline")]),
        FieldPanel("answer"),
        FieldPanel("answered_on"),
    ]

    def get_urlpatterns(self):
        overdue = self.construct_view(
            views.OverduePressQuestionsView,
            **self.get_index_view_kwargs(
                index_url_name=self.get_url_name("overdue"),
                index_results_url_name=self.get_url_name("overdue_results"),
                filterset_class=None,
            ),
        )
        results = self.construct_view(
            views.OverduePressQuestionsView,
            **self.get_index_view_kwargs(
                index_url_name=self.get_url_name("overdue"),
                index_results_url_name=self.get_url_name("overdue_results"),
                filterset_class=None,
            ),
            results_only=True,
        )
        return [
            *super().get_urlpatterns(),
            path("qua-han/", overdue, name="overdue"),
            path("qua-han/results/", results, name="overdue_results"),
        ]


class OverduePressQuestionsMenu(ViewSet):
    """Menu entry for the overdue listing (served by PressQuestionViewSet)."""

    name = "registers_overdue_press_questions"
    url_prefix = f"{URL_ROOT}/qua-han"
    menu_label = _("Overdue press questions")
    icon = "warning"

    @cached_property
    def menu_url(self):
        return reverse("registers_press_questions:overdue")

    @cached_property
    def menu_item_class(self):
        def is_shown(_self, request):
            return policy_registry.get_by_type(PressQuestion).user_has_any_permission(
                request.user, views.ANY_ACTION
            )

        return type("OverduePressQuestionsMenuItem", (MenuItem,), {"is_shown": is_shown})


class PressReleaseViewSet(RegisterViewSet):
    model = PressRelease
    name = "registers_press_releases"
    url_prefix = f"{URL_ROOT}/thong-cao-bao-chi"
    icon = "doc-full"
    import_key = "press-releases"
    list_display = ["title", "issued_on", "article", "unit"]
    filterset_class = register_filterset(PressRelease, date_field="issued_on")
    search_fields = ["title", "summary"]
    panels = [
        UNIT_PANEL,
        FieldPanel("title"),
        FieldPanel("issued_on"),
        FieldPanel("summary"),
        FieldPanel("article"),
    ]


class OutgoingDelegationViewSet(RegisterViewSet):
    model = OutgoingDelegation
    name = "registers_outgoing_delegations"
    url_prefix = f"{URL_ROOT}/doan-ra"
    icon = "arrow-right"
    import_key = "outgoing-delegations"
    list_display = [
        "destination_country",
        "head",
        "start_date",
        "end_date",
        "officials_count",
        "others_count",
        "unit",
    ]
    filterset_class = register_filterset(OutgoingDelegation, date_field="start_date")
    search_fields = ["destination_country", "destination_place", "head", "purpose"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("destination_country"), FieldPanel("destination_place")]),
        FieldPanel("purpose"),
        FieldPanel("head"),
        FieldRowPanel([FieldPanel("officials_count"), FieldPanel("others_count")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("authorising_document"),
    ]


class IncomingDelegationViewSet(RegisterViewSet):
    model = IncomingDelegation
    name = "registers_incoming_delegations"
    url_prefix = f"{URL_ROOT}/doan-vao"
    icon = "arrow-left"
    import_key = "incoming-delegations"
    list_display = [
        "organisation",
        "origin_country",
        "foreign_visitors",
        "start_date",
        "end_date",
        "host_unit",
        "unit",
    ]
    filterset_class = register_filterset(IncomingDelegation, date_field="start_date")
    search_fields = ["organisation", "origin_country", "purpose"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("origin_country"), FieldPanel("organisation")]),
        FieldPanel("foreign_visitors"),
        FieldPanel("purpose"),
        FieldPanel("host_unit"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
    ]


class AgreementViewSet(RegisterViewSet):
    model = Agreement
    name = "registers_agreements"
    url_prefix = f"{URL_ROOT}/thoa-thuan"
    icon = "clipboard-list"
    import_key = "agreements"
    list_display = ["title", "kind", "signed_on", "period_end", "status", "unit"]
    filterset_class = register_filterset(
        Agreement, date_field="signed_on", fields=("kind", "status")
    )
    search_fields = ["title", "parties"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("title"),
        FieldPanel("parties"),
        FieldPanel("signed_on"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
    ]


class TwinningRelationViewSet(RegisterViewSet):
    model = TwinningRelation
    name = "registers_twinning"
    url_prefix = f"{URL_ROOT}/ket-nghia"
    icon = "link"
    import_key = "twinning"
    list_display = ["__str__", "country", "established_on", "status", "unit"]
    filterset_class = register_filterset(
        TwinningRelation, date_field="established_on", fields=("status",)
    )
    search_fields = ["local_party", "foreign_party", "country"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("local_party"), FieldPanel("foreign_party")]),
        FieldRowPanel([FieldPanel("country"), FieldPanel("established_on")]),
        FieldPanel("status"),
        FieldPanel("notes"),
    ]


class BorderCooperationViewSet(RegisterViewSet):
    model = BorderCooperation
    name = "registers_border_cooperation"
    url_prefix = f"{URL_ROOT}/hop-tac-bien-gioi"
    icon = "globe"
    import_key = "border-cooperation"
    list_display = ["counterpart", "kind", "date", "unit"]
    filterset_class = register_filterset(BorderCooperation, date_field="date", fields=("kind",))
    search_fields = ["counterpart", "summary"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("counterpart"),
        FieldPanel("summary"),
    ]


class BorderOutreachViewSet(RegisterViewSet):
    model = BorderOutreachSession
    name = "registers_border_outreach"
    url_prefix = f"{URL_ROOT}/tuyen-truyen-bien-gioi"
    icon = "site"
    import_key = "border-outreach"
    list_display = [
        "commune",
        "border_post",
        "held_on",
        "officers_count",
        "residents_reached",
        "unit",
    ]
    filterset_class = register_filterset(BorderOutreachSession, date_field="held_on")
    search_fields = ["commune", "border_post", "topics", "legal_documents"]
    panels = [
        UNIT_PANEL,
        FieldPanel("held_on"),
        FieldRowPanel([FieldPanel("commune"), FieldPanel("border_post")]),
        FieldPanel("officers"),
        FieldRowPanel([FieldPanel("officers_count"), FieldPanel("residents_reached")]),
        FieldPanel("topics"),
        FieldPanel("legal_documents"),
    ]


class MediaProductViewSet(RegisterViewSet):
    model = MediaProduct
    name = "registers_media"
    url_prefix = f"{URL_ROOT}/san-pham-truyen-thong"
    icon = "media"
    import_key = "media"
    list_display = ["title", "kind", "language", "quantity", "produced_on", "unit"]
    filterset_class = register_filterset(
        MediaProduct, date_field="produced_on", fields=("kind", "language")
    )
    search_fields = ["title", "channel"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("channel"), FieldPanel("quantity")]),
        FieldPanel("produced_on"),
    ]


class EventParticipationViewSet(RegisterViewSet):
    model = EventParticipation
    name = "registers_events"
    url_prefix = f"{URL_ROOT}/su-kien-hoi-cho"
    icon = "date"
    import_key = "events"
    list_display = ["name", "kind", "place", "start_date", "end_date", "unit"]
    filterset_class = register_filterset(
        EventParticipation, date_field="start_date", fields=("kind",)
    )
    search_fields = ["name", "place", "country", "description"]
    panels = [
        UNIT_PANEL,
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("country")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("description"),
    ]


class AnnualPlanViewSet(RegisterViewSet):
    model = AnnualPlan
    name = "registers_annual_plans"
    url_prefix = f"{URL_ROOT}/ke-hoach-nam"
    icon = "tasks"
    import_key = "plan-targets"
    copy_view_enabled = False
    list_display = ["__str__", "year", "unit"]
    list_filter = ["year"]
    search_fields = ["title", "notes"]
    panels = [
        UNIT_PANEL,
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        FieldPanel("notes"),
        InlinePanel("targets", heading=_("Targets"), label=_("Target")),
    ]


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "registers_units"
    url_prefix = f"{URL_ROOT}/don-vi"
    icon = "group"
    search_backend_name = None
    list_display = ["name", "kind", "is_province_level", "email"]
    list_filter = ["kind", "is_province_level"]
    search_fields = ["name"]
    form_fields = ["name", "kind", "is_province_level", "email"]
    copy_view_enabled = False
    edit_view_class = views.AuditedEditView
    delete_view_class = views.UnitDeleteView


class UnitMembershipViewSet(ModelViewSet):
    model = UnitMembership
    name = "registers_unit_memberships"
    url_prefix = f"{URL_ROOT}/thanh-vien-don-vi"
    icon = "user"
    search_backend_name = None
    list_display = ["user", "unit"]
    list_filter = ["unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    form_fields = ["user", "unit"]
    copy_view_enabled = False
    edit_view_class = views.AuditedEditView


class PressAgencyViewSet(ModelViewSet):
    model = PressAgency
    name = "registers_press_agencies"
    url_prefix = f"{URL_ROOT}/co-quan-bao-chi"
    icon = "openquote"
    search_backend_name = None
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["name", "kind"]
    copy_view_enabled = False
    edit_view_class = views.AuditedEditView


class RegistersGroup(ViewSetGroup):
    menu_label = _("Registers")
    menu_icon = "list-ul"
    menu_order = 260
    items = (
        PressEventViewSet,
        PressQuestionViewSet,
        OverduePressQuestionsMenu,
        PressReleaseViewSet,
        OutgoingDelegationViewSet,
        IncomingDelegationViewSet,
        AgreementViewSet,
        TwinningRelationViewSet,
        BorderCooperationViewSet,
        BorderOutreachViewSet,
        MediaProductViewSet,
        EventParticipationViewSet,
        AnnualPlanViewSet,
        PressAgencyViewSet,
        UnitViewSet,
        UnitMembershipViewSet,
    )
