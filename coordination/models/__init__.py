"""coordination's models, one module per subject, re-exported here."""

from .activities import (
    DeclarationSignatory,
    PeaceDeclaration,
    StakeholderFacilitation,
    Training,
    TrainingMaterial,
    TrainingParticipant,
    TrainingStatusChange,
)
from .agreements import (
    Addendum,
    Agreement,
    AgreementStatusChange,
    Clause,
    ClauseActivity,
    ClauseEvidence,
    Signatory,
)
from .elections import Election, ElectionStage
from .exchange import ExchangeAccess, ExchangeAttachment, ExchangeStatusChange, InformationExchange
from .facilities import Facility, FacilityBooking, FacilityBookingStatusChange
from .notifications import Notification, NotificationPreference
from .regions import Agency, ApiToken, PollingStation, Region, User, code_ancestors
from .risks import (
    IkpDimensionScore,
    IkpScore,
    IkpThreshold,
    RiskAssessment,
    RiskReview,
    RiskStatusChange,
    SecurityPattern,
    TpsVulnerability,
)

__all__ = [
    "Addendum",
    "Agency",
    "Agreement",
    "AgreementStatusChange",
    "ApiToken",
    "Clause",
    "ClauseActivity",
    "ClauseEvidence",
    "DeclarationSignatory",
    "Election",
    "ElectionStage",
    "ExchangeAccess",
    "ExchangeAttachment",
    "ExchangeStatusChange",
    "Facility",
    "FacilityBooking",
    "FacilityBookingStatusChange",
    "IkpDimensionScore",
    "IkpScore",
    "IkpThreshold",
    "InformationExchange",
    "Notification",
    "NotificationPreference",
    "PeaceDeclaration",
    "PollingStation",
    "Region",
    "RiskAssessment",
    "RiskReview",
    "RiskStatusChange",
    "SecurityPattern",
    "Signatory",
    "StakeholderFacilitation",
    "TpsVulnerability",
    "Training",
    "TrainingMaterial",
    "TrainingParticipant",
    "TrainingStatusChange",
    "User",
    "code_ancestors",
]
