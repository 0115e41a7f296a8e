"""Who may see and change what in coordination: role x region scope x action.

A user's scope is the Kemendagri code of their agency's jurisdiction; everything whose
region code equals it or starts with it plus a dot is inside. Superusers see everything.
Every page, API endpoint, admin list and export calls these functions; out of scope reads
as "not found".

Other apps build their policies from the public helpers here: ``scope_code``,
``scope_by_region`` (rows inside the user's subtree), ``scope_by_region_or_above``
(also rows of the regions above it), ``code_in_scope`` and ``ensure_region_in_scope``.
Rules that depend on the object, not only on the role, are ``ensure_can_<verb>(user, obj)``.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kpu_polda.base.exceptions import OutOfScope, PermissionDenied

from ..choices import AgencyKind, Role
from ..models import User, code_ancestors

ALL = ""  # the scope of a superuser: every code


def scope_code(user) -> str | None:
    """The user's region prefix: ALL for superusers, None when they may see nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cached = getattr(user, "_scope_code", False)
    if cached is not False:
        return cached
    if user.is_superuser or user.agency_id is None:
        prefix = _prefix(user, None)
    else:
        # One query per request: the user object lives for one request.
        prefix = _prefix(user, User.objects.filter(pk=user.pk).values_list("agency__jurisdiction__code", flat=True)
                         .get())
    user._scope_code = prefix
    return prefix


def remember_scope_code(user, jurisdiction_code: str | None) -> None:
    """Give scope_code the code of the user's agency's region, read in the same query as
    the user (the API token lookup does), so the request does not ask for it again."""
    user._scope_code = _prefix(user, jurisdiction_code)


def _prefix(user, jurisdiction_code: str | None) -> str | None:
    if user.is_superuser:
        return ALL
    if user.agency_id is None:
        return None
    return jurisdiction_code


def code_in_scope_q(field: str, prefix: str) -> Q:
    """Rows whose ``field`` (a region code) lies in the subtree of ``prefix``."""
    if prefix == ALL:
        return Q()
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})


def code_in_scope(code: str, prefix: str | None) -> bool:
    """Whether region ``code`` lies in the subtree of the scope ``prefix``."""
    if prefix is None:
        return False
    return prefix == ALL or code == prefix or code.startswith(prefix + ".")


def scope_by_region(qs: QuerySet, user, field: str) -> QuerySet:
    """Rows of ``qs`` whose ``field`` (a lookup ending in a region code, e.g.
    ``"origin__region__code"``) lies in the user's subtree; none without a scope."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    return qs.filter(code_in_scope_q(field, prefix))


def scope_regions(qs: QuerySet, user) -> QuerySet:
    return scope_by_region(qs, user, "code")


def scope_polling_stations(qs: QuerySet, user) -> QuerySet:
    # The TPS's own copy of its village's code: no join to the regions (see the model).
    return scope_by_region(qs, user, "village_code")


def scope_agencies(qs: QuerySet, user) -> QuerySet:
    """Agencies inside the user's region, and those above it (the province's KPU and
    Polda), whom a regional office must be able to find."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    return qs.filter(code_in_scope_q("jurisdiction__code", prefix) | Q(jurisdiction__code__in=code_ancestors(prefix)))


def scope_agencies_below(qs: QuerySet, user) -> QuerySet:
    """Agencies inside the user's region only: what the user may assign people to."""
    return scope_by_region(qs, user, "jurisdiction__code")


def scope_users(qs: QuerySet, user) -> QuerySet:
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    return qs.filter(code_in_scope_q("agency__jurisdiction__code", prefix))


def scope_api_tokens(qs: QuerySet, user) -> QuerySet:
    """A user sees their own tokens; the secretariat sees every token in its region."""
    if is_secretariat(user):
        return qs.filter(user__in=scope_users(User.objects.all(), user))
    if scope_code(user) is None:
        return qs.none()
    return qs.filter(user=user)


def scope_own_api_tokens(qs: QuerySet, user) -> QuerySet:
    """The user's own tokens only: what the API's token list shows to anyone."""
    return qs.filter(user=user) if scope_code(user) is not None else qs.none()


def is_secretariat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or user.role == Role.SECRETARIAT))


def can_manage_polling_stations(user) -> bool:
    """TPS data is the KPU's: the secretariat, KPU staff and KPU regional offices."""
    if scope_code(user) is None:
        return False
    if is_secretariat(user):
        return True
    return user.role in {Role.KPU_STAFF, Role.REGIONAL_OFFICE} and user.agency.kind == AgencyKind.KPU


def ensure_can_manage_polling_stations(user) -> None:
    if not can_manage_polling_stations(user):
        raise PermissionDenied(_("Only KPU staff and KPU regional offices manage polling stations."))


def ensure_region_in_scope(user, code: str) -> None:
    """OutOfScope (read as 404) unless region ``code`` lies in the user's subtree."""
    if not code_in_scope(code, scope_code(user)):
        raise OutOfScope(_("Region %(code)s not found.") % {"code": code})


def is_refused_demo_account(user) -> bool:
    """Whether ``user`` is one of the demo accounts where settings refuse demo data
    (production): such an account may not sign in, by password, session or API token,
    because its password is published in the README."""
    from coordination.demo.accounts import DEMO_USERNAMES  # the demo package imports services

    return not settings.DEMO_DATA_ALLOWED and user.username in DEMO_USERNAMES


def can_use_admin(user) -> bool:
    return is_secretariat(user) and user.is_staff


def can_edit_reference_data(user) -> bool:
    """Regions and elections are the whole province's: only a secretariat whose scope is
    a province (or a superuser) corrects them."""
    prefix = scope_code(user)
    return is_secretariat(user) and prefix is not None and (prefix == ALL or "." not in prefix)


def ensure_can_edit_reference_data(user) -> None:
    if not can_edit_reference_data(user):
        raise PermissionDenied(_("Only the provincial secretariat loads the region tree."))


def can_change_in_admin(user, code: str | None) -> bool:
    """Admin writes: inside the secretariat's own subtree only (never the agencies above
    it, which it may read)."""
    return can_use_admin(user) and code is not None and code_in_scope(code, scope_code(user))


# --- agreements, stages, risks -------------------------------------------------------

WRITER_ROLES = {Role.SECRETARIAT, Role.KPU_STAFF, Role.POLICE_OFFICER, Role.REGIONAL_OFFICE}


def scope_by_region_or_above(qs: QuerySet, user, field: str) -> QuerySet:
    """Like scope_by_region, and also the rows of the regions above the user's (the
    province's agreement binds a Samarinda user too)."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    return qs.filter(code_in_scope_q(field, prefix) | Q(**{f"{field}__in": code_ancestors(prefix)}))


def scope_agreements(qs: QuerySet, user) -> QuerySet:
    """An agreement binds everyone in its region: a Samarinda user sees the province's."""
    return scope_by_region_or_above(qs, user, "region__code")


def scope_clauses(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "agreement__region__code")


def scope_evidence(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "region__code")


def scope_elections(qs: QuerySet, user) -> QuerySet:
    """Elections and their stages are the same for everyone who has a scope."""
    return qs if scope_code(user) is not None else qs.none()


def scope_risks(qs: QuerySet, user) -> QuerySet:
    return scope_by_region(qs, user, "region__code")


def scope_ikp_scores(qs: QuerySet, user) -> QuerySet:
    return scope_by_region_or_above(qs, user, "region__code")


def scope_tps_vulnerabilities(qs: QuerySet, user) -> QuerySet:
    return scope_by_region(qs, user, "polling_station__village_code")


def scope_security_patterns(qs: QuerySet, user) -> QuerySet:
    """General patterns, and those of the police units in or above the user's region."""
    prefix = scope_code(user)
    if prefix is None:
        return qs.none()
    if prefix == ALL:
        return qs
    return qs.filter(Q(police_unit__isnull=True) | code_in_scope_q("police_unit__jurisdiction__code", prefix)
                     | Q(police_unit__jurisdiction__code__in=code_ancestors(prefix)))


def can_write(user) -> bool:
    return scope_code(user) is not None and (user.is_superuser or user.role in WRITER_ROLES)


def ensure_can_write(user, what: str) -> None:
    """PermissionDenied unless the user's role may change things (``what`` names them)."""
    if not can_write(user):
        raise PermissionDenied(_("Your role may read %(what)s but not change them.") % {"what": what})


def ensure_writer_in(user, code: str, what: str) -> None:
    """The common write rule: region ``code`` inside the user's subtree (else OutOfScope)
    and a role that writes (else PermissionDenied)."""
    ensure_region_in_scope(user, code)
    ensure_can_write(user, what)


def ensure_can_create_risk(user, region) -> None:
    """Risks of a region are recorded by the KPU and police people of that region."""
    ensure_writer_in(user, region.code, _("risks"))


def ensure_can_change_risk(user, risk) -> None:
    """A risk is changed (edited, reviewed, moved) by the writers of its region."""
    ensure_writer_in(user, risk.region.code, _("risks"))


def ensure_can_record_evidence(user, code: str) -> None:
    ensure_writer_in(user, code, _("agreement evidence"))


def ensure_can_classify_tps(user, code: str) -> None:
    ensure_writer_in(user, code, _("TPS classes"))


def can_manage_agreement(user, agreement) -> bool:
    """Agreements, their documents and status belong to the secretariat of their region."""
    return is_secretariat(user) and code_in_scope(agreement.region.code, scope_code(user))


def ensure_can_manage_agreement(user, agreement) -> None:
    if not can_manage_agreement(user, agreement):
        raise PermissionDenied(_("Only the secretariat manages agreements."))


def ensure_can_record_ikp(user, code: str) -> None:
    ensure_region_in_scope(user, code)
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat records published IKP scores."))


# --- notifications --------------------------------------------------------------------


def scope_notifications(qs: QuerySet, user) -> QuerySet:
    """A person's notifications are theirs alone: nobody else sees them, whatever their
    role or region (a superuser neither); another person's id reads as not found."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    return qs.filter(recipient_id=user.pk)
