"""Models of the external-information registers, split by concern."""

from .base import CountField, RegisterRecord
from .cooperation import Agreement, BorderCooperation, TwinningRelation
from .delegations import IncomingDelegation, OutgoingDelegation
from .outreach import BorderOutreachSession, EventParticipation, MediaProduct
from .plans import AnnualPlan, PlanTarget
from .press import PressEvent, PressQuestion, PressQuestionReminder, PressRelease
from .units import PressAgency, Unit, UnitMembership

#: Every register whose records belong to a unit (scoped, imported, granted to the roles).
REGISTER_MODELS = (
    PressEvent,
    PressQuestion,
    PressRelease,
    OutgoingDelegation,
    IncomingDelegation,
    Agreement,
    TwinningRelation,
    BorderCooperation,
    BorderOutreachSession,
    MediaProduct,
    EventParticipation,
    AnnualPlan,
)

__all__ = [
    "REGISTER_MODELS",
    "Agreement",
    "AnnualPlan",
    "BorderCooperation",
    "BorderOutreachSession",
    "CountField",
    "EventParticipation",
    "IncomingDelegation",
    "MediaProduct",
    "OutgoingDelegation",
    "PlanTarget",
    "PressAgency",
    "PressEvent",
    "PressQuestion",
    "PressQuestionReminder",
    "PressRelease",
    "RegisterRecord",
    "TwinningRelation",
    "Unit",
    "UnitMembership",
]
