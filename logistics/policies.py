"""Who may see and change what in logistics: role x region scope x party.

An escort is seen by everyone whose scope holds its region (``area_code``): the KPU office
that asked, the police unit with jurisdiction, the province above them, observers of the
region. Who may move it depends on the step's party (logistics.choices.ESCORT_STEPS):
police steps are for police officers and Polres offices, KPU steps for KPU staff, KPU
offices and the secretariat. Out of scope reads as not found.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from coordination import policies as ground
from coordination.choices import AgencyKind, Role
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied

from .choices import Side

POLICE_ROLES = {Role.POLICE_OFFICER, Role.REGIONAL_OFFICE}
KPU_ROLES = {Role.SECRETARIAT, Role.KPU_STAFF, Role.REGIONAL_OFFICE}


def scope_escorts(qs: QuerySet, user) -> QuerySet:
    return ground.scope_by_region(qs, user, "area_code")


def scope_escort_rows(qs: QuerySet, user) -> QuerySet:
    """Rows that belong to an escort (items, custody events, discrepancies): the escort's scope."""
    return ground.scope_by_region(qs, user, "escort__area_code")


def side_of(user) -> str | None:
    """The party ``user`` acts for: police, KPU, or None (an observer, another agency).
    A superuser acts for either (see may_act)."""
    if ground.scope_code(user) is None or user.agency_id is None:
        return None
    kind = user.agency.kind
    if kind == AgencyKind.POLRI and user.role in POLICE_ROLES:
        return Side.POLICE
    if kind == AgencyKind.KPU and user.role in KPU_ROLES:
        return Side.KPU
    return None


def may_act(user, side: str) -> bool:
    return bool(user.is_superuser and user.is_active) or side_of(user) == side


def can_see(user, escort) -> bool:
    return ground.code_in_scope(escort.area_code, ground.scope_code(user))


def ensure_in_scope(user, escort) -> None:
    if not can_see(user, escort):
        raise OutOfScope(_("Escort request not found."))


def ensure_can_act(user, escort, side: str) -> None:
    """OutOfScope unless the escort lies in the user's region; PermissionDenied unless the
    user acts for ``side`` (the step's party)."""
    ensure_in_scope(user, escort)
    if not may_act(user, side):
        if side == Side.POLICE:
            raise PermissionDenied(_("Only the police unit with jurisdiction confirms this step."))
        raise PermissionDenied(_("Only the KPU office of the region takes this step."))


def ensure_can_report_incident(user, escort) -> str:
    """Either party of the escort's region reports an incident on the way; returns the
    party it is reported for (OutOfScope / PermissionDenied as ensure_can_act)."""
    side = side_of(user)
    if side is None:
        ensure_can_act(user, escort, Side.POLICE)  # a superuser passes, as the police
        return Side.POLICE
    ensure_in_scope(user, escort)
    return side


def ensure_can_request(user, area_code: str) -> None:
    """A KPU office (or the secretariat) raises escort requests for its own region."""
    ground.ensure_region_in_scope(user, area_code)
    if not may_act(user, Side.KPU):
        raise PermissionDenied(_("Escort requests are raised by KPU offices."))


def can_request(user) -> bool:
    return ground.scope_code(user) is not None and may_act(user, Side.KPU)
