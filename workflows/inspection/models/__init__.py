from .cases import (
    Answer,
    CaseCounter,
    CorrectiveOrder,
    Evidence,
    EvidenceKind,
    Inspection,
    InspectionReason,
    OrderApproval,
    OrderKind,
    OrderStatus,
    Outcome,
    ReviewRound,
    SignerRole,
)
from .checklists import (
    AnswerType,
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    Severity,
    VersionStatus,
)
from .issued import DocumentKind, DocumentStatus, IssuedDocument
from .letterheads import Letterhead
from .letters import DeliveryMethod, OrderDelivery, OrderWording
from .process import InspectionProcess

__all__ = [
    "DocumentKind",
    "DocumentStatus",
    "IssuedDocument",
    "Answer",
    "CaseCounter",
    "AnswerType",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "ChecklistVersion",
    "CorrectiveOrder",
    "DeliveryMethod",
    "OrderDelivery",
    "OrderWording",
    "Evidence",
    "EvidenceKind",
    "Inspection",
    "InspectionProcess",
    "InspectionReason",
    "Letterhead",
    "OrderApproval",
    "OrderKind",
    "OrderStatus",
    "Outcome",
    "ReviewRound",
    "Severity",
    "SignerRole",
    "VersionStatus",
]
