"""Policy of the information exchange register.

A public entry is seen by everyone whose scope holds either party's jurisdiction or lies
below it: a Samarinda user sees a public entry between KPU Kaltim and Polda Kaltim. A
limited or confidential entry is seen by the members of its two agencies and by the
secretariat whose scope holds either party's jurisdiction, nobody else (a superuser
sees everything). Officials asking a KPU office for poll workers' personal data is a
known abuse: such a request is still recorded, but only the parties and the secretariat
read it, and every look at a confidential one is logged (ExchangeAccess).

Acting takes a writer role (an observer only reads) and a tie to the entry: the sender
records and withdraws, the receiver acknowledges and answers, either party attaches
files, and the secretariat in scope may do each on their behalf. The access log of an
entry is the owning party's (the sender's) and the secretariat's. Missing or out of
scope reads as not found (OutOfScope); seen but not theirs to change is PermissionDenied.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import PermissionDenied

from ..choices import RESTRICTED_CLASSIFICATIONS, Classification
from ..models import InformationExchange, code_ancestors
from .core import ALL, can_write, code_in_scope, code_in_scope_q, is_secretariat, scope_code

PARTY_FIELDS = ("from_agency__jurisdiction__code", "to_agency__jurisdiction__code")


def _in_or_above_q(prefix: str) -> Q:
    """Entries where either party's jurisdiction lies in the subtree of ``prefix`` or
    above it (the scope_by_region_or_above rule, on both parties)."""
    ancestors = code_ancestors(prefix)
    condition = Q()
    for field in PARTY_FIELDS:
        condition |= code_in_scope_q(field, prefix) | Q(**{f"{field}__in": ancestors})
    return condition


def _inside_q(prefix: str) -> Q:
    """Entries where either party's jurisdiction lies in the subtree of ``prefix``."""
    return code_in_scope_q(PARTY_FIELDS[0], prefix) | code_in_scope_q(PARTY_FIELDS[1], prefix)


def scope_exchanges(qs: QuerySet, user) -> QuerySet:
    """The register entries ``user`` may see (see the module's docstring)."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    visible = Q(classification=Classification.PUBLIC) & _in_or_above_q(prefix)
    restricted = Q(from_agency_id=user.agency_id) | Q(to_agency_id=user.agency_id)
    if is_secretariat(user):
        restricted |= _inside_q(prefix)
    return qs.filter(visible | (Q(classification__in=RESTRICTED_CLASSIFICATIONS) & restricted))


def scope_exchange_rows(qs: QuerySet, user) -> QuerySet:
    """Attachments, status changes and accesses: seen with their entry."""
    return qs.filter(exchange__in=scope_exchanges(InformationExchange.objects.all(), user).values("pk"))


# --- who may act on an entry ---------------------------------------------------------------


def _secretariat_over(user, *codes: str) -> bool:
    """The secretariat whose scope holds one of the region ``codes`` (a superuser too)."""
    if not is_secretariat(user):
        return False
    prefix = scope_code(user)
    return any(code_in_scope(code, prefix) for code in codes)


def _over_entry(user, entry) -> bool:
    return _secretariat_over(user, entry.from_agency.jurisdiction.code, entry.to_agency.jurisdiction.code)


def _member_of(user, *agency_ids: int) -> bool:
    return user.agency_id is not None and user.agency_id in agency_ids


def may_send_for(user, agency) -> bool:
    """Whether ``user`` may record an entry sent by ``agency``: a writer of that agency,
    or the secretariat whose scope holds its jurisdiction."""
    if not can_write(user):
        return False
    return _member_of(user, agency.pk) or _secretariat_over(user, agency.jurisdiction.code)


def ensure_can_write_exchanges(user) -> None:
    if not can_write(user):
        raise PermissionDenied(_("Your role may read the register but not write in it."))


def ensure_can_create_exchange(user, from_agency) -> None:
    """A writer role (else PermissionDenied), recording for their own agency, or the
    secretariat for any agency inside its scope (else PermissionDenied). Which agencies
    exist for the user at all is the service's check (unknown agency: a field error)."""
    ensure_can_write_exchanges(user)
    if not may_send_for(user, from_agency):
        raise PermissionDenied(_("You record requests and information of your own agency only."))


def can_receive(user, entry) -> bool:
    """Acknowledge and answer: writers of the receiving agency, or the secretariat in scope."""
    return can_write(user) and (_member_of(user, entry.to_agency_id) or _over_entry(user, entry))


def ensure_can_receive(user, entry) -> None:
    if not can_receive(user, entry):
        raise PermissionDenied(_("Only the receiving agency and the secretariat acknowledge and answer this entry."))


def can_withdraw(user, entry) -> bool:
    """Withdraw: writers of the sending agency, or the secretariat in scope."""
    return can_write(user) and (_member_of(user, entry.from_agency_id) or _over_entry(user, entry))


def ensure_can_withdraw(user, entry) -> None:
    if not can_withdraw(user, entry):
        raise PermissionDenied(_("Only the sending agency and the secretariat withdraw this entry."))


def can_attach(user, entry) -> bool:
    """Attach a file: writers of either party, or the secretariat in scope."""
    return can_write(user) and (_member_of(user, entry.from_agency_id, entry.to_agency_id)
                                or _over_entry(user, entry))


def ensure_can_attach(user, entry) -> None:
    if not can_attach(user, entry):
        raise PermissionDenied(_("Only the two agencies and the secretariat add files to this entry."))


def can_see_accesses(user, entry) -> bool:
    """The access log is the owning party's (any member of the sending agency) and the
    secretariat's in scope; the receiving party does not read who looked."""
    return _member_of(user, entry.from_agency_id) or _over_entry(user, entry)


def ensure_can_see_accesses(user, entry) -> None:
    if not can_see_accesses(user, entry):
        raise PermissionDenied(_("Only the sending agency and the secretariat see who looked at this entry."))
