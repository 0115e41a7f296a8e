"""Who may see and change what in meetings: role x region scope x agency.

A meeting is seen by everyone whose scope holds its region (the organiser's: the province
for the KPU Provinsi - Polda series) and by whoever it invites, as an agency or by name.
It is organised (scheduled, moved, cancelled, marked held, its agenda and invitations
edited) by the staff of its organiser or co-organiser agency and by the secretariat.
A follow-up is seen with its meeting and by its owner agency, and moved by the owner
agency's staff and the meeting's organisers. Out of scope reads as not found.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from coordination import policies as ground
from coordination.choices import AgencyKind, Role
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied

# Roles that act for their agency in meetings (an observer only reads).
ACTING_ROLES = {Role.SECRETARIAT, Role.KPU_STAFF, Role.POLICE_OFFICER, Role.REGIONAL_OFFICE}


def _invited_q(user, meeting_field: str = "") -> Q:
    from .models import Invitation

    invited = Invitation.objects.filter(meeting=OuterRef(f"{meeting_field}_id" if meeting_field else "pk"))
    mine = Q(person_id=user.pk)
    if user.agency_id is not None:
        mine |= Q(agency_id=user.agency_id, person__isnull=True)
    return Q(Exists(invited.filter(mine)))


def _scope(qs: QuerySet, user, code_field: str, also) -> QuerySet:
    """Rows whose region (``code_field``) lies in the user's subtree, or that ``also()``
    names (an invitation, an owner agency); none without a scope (a visitor not signed in
    among them), all for a superuser."""
    prefix = ground.scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ground.ALL:
        return qs
    return qs.filter(ground.code_in_scope_q(code_field, prefix) | also())


def scope_meetings(qs: QuerySet, user) -> QuerySet:
    return _scope(qs, user, "area_code", lambda: _invited_q(user))


def scope_meeting_rows(qs: QuerySet, user) -> QuerySet:
    """Rows that belong to a meeting (agenda items, invitations): the meeting's scope."""
    return _scope(qs, user, "meeting__area_code", lambda: _invited_q(user, "meeting"))


def scope_series(qs: QuerySet, user) -> QuerySet:
    return ground.scope_by_region(qs, user, "area_code")


def scope_action_items(qs: QuerySet, user) -> QuerySet:
    return _scope(qs, user, "area_code", lambda: Q(owner_agency_id=user.agency_id) | _invited_q(user, "meeting"))


def acts(user) -> bool:
    return bool(user.is_active and (user.is_superuser or (user.role in ACTING_ROLES and user.agency_id)))


def ensure_acts(user) -> None:
    if not acts(user):
        raise PermissionDenied(_("Meetings are scheduled by the staff of KPU and the police."))


def organises(user, organiser_id: int | None, co_organiser_id: int | None) -> bool:
    if not acts(user):
        return False
    if user.is_superuser or ground.is_secretariat(user):
        return True
    return user.agency_id is not None and user.agency_id in {organiser_id, co_organiser_id}


def can_organise(user, meeting) -> bool:
    return organises(user, meeting.organiser_id, meeting.co_organiser_id)


def ensure_can_organise(user, meeting) -> None:
    if not can_organise(user, meeting):
        raise PermissionDenied(_("Only the organising agencies and the secretariat arrange this meeting."))


def ensure_can_create(user, organiser, co_organiser) -> None:
    """The creator's agency organises (or co-organises) it, in their scope, or they are the secretariat."""
    if not organises(user, organiser.pk, co_organiser.pk if co_organiser else None):
        raise PermissionDenied(_("You can schedule meetings of your own agency only."))
    code = organiser.jurisdiction.code if organiser.jurisdiction_id else None
    if code is None or not ground.code_in_scope(code, ground.scope_code(user)):
        raise OutOfScope(_("Agency not found."))


def may_reply(user, invitation) -> bool:
    """The invited person, or for an agency's invitation, a member of that agency."""
    if not user.is_active:
        return False
    if invitation.person_id is not None:
        return invitation.person_id == user.pk
    return user.agency_id is not None and user.agency_id == invitation.agency_id


def ensure_may_reply(user, invitation) -> None:
    if not may_reply(user, invitation):
        raise PermissionDenied(_("Only the invitee replies to an invitation."))


KPU_SIDE, POLICE_SIDE = "kpu", "police"


def approval_side(user, meeting, invited_agency_ids=()) -> str | None:
    """The party ``user`` approves minutes for: KPU or the police, when they act for a KPU
    or Polri agency that organises the meeting or is invited to it; None otherwise."""
    if not acts(user) or user.agency_id is None:
        return None
    parties = {meeting.organiser_id, meeting.co_organiser_id, *invited_agency_ids}
    if user.agency_id not in parties:
        return None
    kind = user.agency.kind
    if kind == AgencyKind.KPU:
        return KPU_SIDE
    if kind == AgencyKind.POLRI:
        return POLICE_SIDE
    return None


def can_write_minutes(user, meeting) -> bool:
    """The meeting's notulis and its organisers."""
    return acts(user) and (meeting.notulis_id == user.pk or can_organise(user, meeting))


def ensure_can_write_minutes(user, meeting) -> None:
    if not can_write_minutes(user, meeting):
        raise PermissionDenied(_("Only the notulis and the organisers write the minutes."))


def can_move_action(user, action) -> bool:
    """The owner agency's staff, and the meeting's organisers."""
    if not acts(user):
        return False
    return user.agency_id == action.owner_agency_id or can_organise(user, action.meeting)


def ensure_can_move_action(user, action) -> None:
    if not can_move_action(user, action):
        raise PermissionDenied(_("Only the owner agency and the meeting's organisers update a follow-up."))
