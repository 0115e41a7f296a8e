"""Every write in logistics goes through one of these services."""

from .alerts import escort_sla_check
from .chain import ChainReport, custody_chain_verify
from .custody import INCIDENT, Confirmation, custody_confirm, request_fingerprint
from .discrepancies import discrepancy_resolve
from .escorts import (
    ESCORT_WORKFLOW,
    escort_decide,
    escort_number,
    escort_request_create,
    escort_request_update,
    escort_serials_take,
    escort_stage_check,
    escort_times_check,
    police_unit_for,
)
from .planning import PlanResult, escort_plan_outbound

__all__ = [
    "ESCORT_WORKFLOW",
    "INCIDENT",
    "ChainReport",
    "Confirmation",
    "PlanResult",
    "custody_chain_verify",
    "custody_confirm",
    "discrepancy_resolve",
    "escort_decide",
    "escort_number",
    "escort_plan_outbound",
    "escort_request_create",
    "escort_request_update",
    "escort_serials_take",
    "escort_stage_check",
    "escort_times_check",
    "escort_sla_check",
    "police_unit_for",
    "request_fingerprint",
]
