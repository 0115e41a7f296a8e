"""coordination's models, one module per subject, re-exported here."""

from .agreements import Addendum, Agreement, Clause, ClauseActivity, ClauseEvidence, Signatory
from .elections import Election, ElectionStage
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
    "ApiToken",
    "Clause",
    "ClauseActivity",
    "ClauseEvidence",
    "Election",
    "ElectionStage",
    "IkpDimensionScore",
    "IkpScore",
    "IkpThreshold",
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
