"""Policy of joint trainings, stakeholder facilitation and peace declarations.

Each row is seen by everyone whose scope holds its region or lies below it: a training of
the province binds Samarinda's staff as much as the province's agreement does, while
Balikpapan does not see Samarinda's. Writing takes a writer role (an observer only reads)
and a tie to the row:

- a training: a member of its organiser or co-organiser agency;
- a stakeholder facilitation: a member of the facilitating police unit or of the KPU
  office it was held for;
- a peace declaration: KPU and police staff whose scope holds its region;

and, for all three, the secretariat whose scope holds the row's region. Missing or out of
scope reads as not found (OutOfScope); seen but not writable is PermissionDenied.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import OutOfScope, PermissionDenied

from ..choices import AgencyKind
from .core import can_write, code_in_scope, is_secretariat, scope_by_region_or_above, scope_code


def scope_trainings(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "area__code")


def scope_training_rows(qs: QuerySet, user) -> QuerySet:
    """Participants and materials: seen with their training."""
    return scope_by_region_or_above(qs, user, "training__area__code")


def scope_facilitations(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "area__code")


def scope_declarations(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "area__code")


def _secretariat_over(user, code: str) -> bool:
    return is_secretariat(user) and code_in_scope(code, scope_code(user))


def _member_of(user, *agency_ids: int | None) -> bool:
    return user.agency_id is not None and user.agency_id in {pk for pk in agency_ids if pk is not None}


# --- trainings --------------------------------------------------------------------------


def organises_training(user, organiser_id: int | None, co_organiser_id: int | None, code: str) -> bool:
    """Whether ``user`` may arrange a training of these agencies in region ``code``."""
    if not can_write(user):
        return False
    return user.is_superuser or _secretariat_over(user, code) or _member_of(user, organiser_id, co_organiser_id)


def can_change_training(user, training) -> bool:
    return organises_training(user, training.organiser_id, training.co_organiser_id, training.area.code)


def ensure_can_change_training(user, training) -> None:
    if not can_change_training(user, training):
        raise PermissionDenied(_("Only the organising agencies and the secretariat change this training."))


def ensure_can_create_training(user, organiser, co_organiser, area) -> None:
    """The area inside the user's own subtree (else OutOfScope), and the user a member of
    the organiser or co-organiser, or the secretariat (else PermissionDenied)."""
    if not code_in_scope(area.code, scope_code(user)):
        raise OutOfScope(_("Region %(code)s not found.") % {"code": area.code})
    if not organises_training(user, organiser.pk, co_organiser.pk if co_organiser else None, area.code):
        raise PermissionDenied(_("You can record trainings of your own agency only."))


# --- stakeholder facilitation -------------------------------------------------------------


def facilitates(user, facilitator_id: int | None, kpu_office_id: int | None, code: str) -> bool:
    if not can_write(user):
        return False
    return user.is_superuser or _secretariat_over(user, code) or _member_of(user, facilitator_id, kpu_office_id)


def can_change_facilitation(user, facilitation) -> bool:
    return facilitates(user, facilitation.facilitator_id, facilitation.kpu_office_id, facilitation.area.code)


def ensure_can_change_facilitation(user, facilitation) -> None:
    if not can_change_facilitation(user, facilitation):
        raise PermissionDenied(_("Only the facilitating police unit, the KPU office and the secretariat change "
                                 "this record."))


def ensure_can_create_facilitation(user, facilitator, kpu_office, area) -> None:
    if not code_in_scope(area.code, scope_code(user)):
        raise OutOfScope(_("Region %(code)s not found.") % {"code": area.code})
    if not facilitates(user, facilitator.pk, kpu_office.pk, area.code):
        raise PermissionDenied(_("You can record facilitations of your own agency only."))


# --- peace declarations -------------------------------------------------------------------


def declares(user, code: str) -> bool:
    """The secretariat, and KPU and police staff, whose scope holds region ``code``."""
    if not can_write(user) or not code_in_scope(code, scope_code(user)):
        return False
    if user.is_superuser or is_secretariat(user):
        return True
    return user.agency_id is not None and user.agency.kind in {AgencyKind.KPU, AgencyKind.POLRI}


def can_change_declaration(user, declaration) -> bool:
    return declares(user, declaration.area.code)


def ensure_can_change_declaration(user, declaration) -> None:
    if not can_change_declaration(user, declaration):
        raise PermissionDenied(_("Only the secretariat and KPU and police staff of its region change this "
                                 "declaration."))


def ensure_can_create_declaration(user, area) -> None:
    if not code_in_scope(area.code, scope_code(user)):
        raise OutOfScope(_("Region %(code)s not found.") % {"code": area.code})
    if not declares(user, area.code):
        raise PermissionDenied(_("Only the secretariat and KPU and police staff record peace declarations."))

