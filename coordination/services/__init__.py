"""Every write in coordination goes through one of these services."""

from .agreements import (
    AGREEMENT_WORKFLOW,
    agreement_attach_document,
    agreement_load_json,
    agreement_transition,
    clause_evidence_forget,
    clause_evidence_record,
    clause_evidence_sync,
    clause_evidence_sync_many,
)
from .clause_breaches import clause_breaches_notify
from .notifications import (
    Outgoing,
    notification_attachments_register,
    notification_enqueue,
    notification_enqueue_many,
    notification_kind_register,
    notification_mark_all_read,
    notification_mark_read,
    notifications_cancel,
    notifications_drain,
)
from .polling_stations import polling_station_import_csv
from .regions import region_import_csv
from .risks import RISK_EDITABLE, RISK_WORKFLOW, risk_create, risk_review, risk_transition, risk_update
from .stages import stages_import_csv
from .system import actor_by_username, system_actor
from .tokens import api_token_create, api_token_revoke, api_token_touch
from .vulnerability import ikp_category_for, ikp_score_record, tps_vulnerability_import_csv

__all__ = [
    "Outgoing",
    "clause_breaches_notify",
    "notification_enqueue",
    "notification_enqueue_many",
    "notification_kind_register",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_attachments_register",
    "notifications_cancel",
    "notifications_drain",
    "AGREEMENT_WORKFLOW",
    "RISK_EDITABLE",
    "RISK_WORKFLOW",
    "agreement_attach_document",
    "agreement_load_json",
    "agreement_transition",
    "clause_evidence_forget",
    "clause_evidence_record",
    "clause_evidence_sync",
    "clause_evidence_sync_many",
    "ikp_category_for",
    "ikp_score_record",
    "risk_create",
    "risk_review",
    "risk_transition",
    "risk_update",
    "stages_import_csv",
    "tps_vulnerability_import_csv",
    "actor_by_username",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "polling_station_import_csv",
    "region_import_csv",
    "system_actor",
]
