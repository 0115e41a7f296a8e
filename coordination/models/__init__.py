"""coordination's models, one module per subject, re-exported here."""

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
from .notifications import Notification
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
    "Election",
    "ElectionStage",
    "IkpDimensionScore",
    "IkpScore",
    "IkpThreshold",
    "Notification",
    "PollingStation",
    "Region",
    "RiskAssessment",
    "RiskReview",
    "RiskStatusChange",
    "SecurityPattern",
    "Signatory",
    "TpsVulnerability",
    "User",
    "code_ancestors",
]
