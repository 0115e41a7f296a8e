"""Writes of stakeholder facilitation (meetings the police arranged between the KPU and
others) and of peace declarations with their signatories and signed document.

Both carry out the agreement's stakeholder-facilitation clause (the one in force for their
region) and count in its health from the moment they are recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from coordination import policies
from coordination.choices import AgencyKind, ClauseCategory
from coordination.models import (
    Agency,
    DeclarationSignatory,
    PeaceDeclaration,
    Region,
    StakeholderFacilitation,
    User,
)
from coordination.policies import activities as policy
from coordination.selectors.agreements import clause_in_force
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError
from kpu_polda.base.files import delete_after_commit, stored_upload, validate_pdf
from kpu_polda.base.queries import one_in_scope

from .agreements import clause_evidence_sync

FACILITATION_EDITABLE = ["title", "facilitator", "kpu_office", "area", "held_at", "place", "stakeholders",
                         "outcome"]
DECLARATION_EDITABLE = ["title", "event", "signed_on", "place", "area", "summary", "source"]
SIGNATORY_FIELDS = {"party", "representative", "position", "agency"}


def _refuse_unknown(changes: Mapping[str, Any], editable: list[str]) -> None:
    unknown = set(changes) - set(editable)
    if unknown:
        raise DomainError(_("Not editable here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="invalid")


def _strip(values: dict) -> dict:
    return {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}


# --- stakeholder facilitation ---------------------------------------------------------------


def _check_facilitation(actor: User, row: StakeholderFacilitation) -> None:
    errors: dict[str, list[str]] = {}
    if row.facilitator.kind != AgencyKind.POLRI:
        errors["facilitator"] = [_("The facilitator is a police unit.")]
    if row.kpu_office.kind != AgencyKind.KPU:
        errors["kpu_office"] = [_("Choose a KPU office.")]
    visible = set(policies.scope_agencies(Agency.objects.filter(pk__in=[row.facilitator_id, row.kpu_office_id]),
                                          actor).values_list("pk", flat=True))
    for field in ("facilitator", "kpu_office"):
        if getattr(row, f"{field}_id") not in visible:
            errors[field] = [_("Unknown agency.")]
    if row.held_at > clock.now():
        errors["held_at"] = [_("A facilitation is recorded once it has taken place.")]
    if errors:
        raise ValidationError(errors)


def facilitation_create(*, actor: User, title: str, facilitator: Agency, kpu_office: Agency, area: Region,
                        held_at: datetime, place: str, stakeholders: str, outcome: str = "") -> StakeholderFacilitation:
    """Record a meeting that ``facilitator`` (a police unit) arranged between
    ``kpu_office`` and the ``stakeholders`` (who came), with its outcome.

    Preconditions: ``area`` inside the actor's scope (OutOfScope), the actor a writer of
    either agency or the secretariat (PermissionDenied); the facilitator a Polri agency
    and the office a KPU one, and the meeting in the past (ValidationError). The clause
    is the stakeholder-facilitation clause in force for ``area``; its evidence follows.
    """
    policy.ensure_can_create_facilitation(actor, facilitator, kpu_office, area)
    row = StakeholderFacilitation(**_strip({
        "title": title, "facilitator": facilitator, "kpu_office": kpu_office, "area": area, "held_at": held_at,
        "place": place, "stakeholders": stakeholders, "outcome": outcome}), recorded_by=actor,
        clause=clause_in_force(area, ClauseCategory.STAKEHOLDER_FACILITATION))
    _check_facilitation(actor, row)
    row.full_clean()
    with transaction.atomic():
        row._history_user = actor
        row.save()
        clause_evidence_sync(source=row, actor=actor)
    return row


def facilitation_update(*, actor: User, facilitation: StakeholderFacilitation, **changes) -> StakeholderFacilitation:
    """Change a facilitation record (FACILITATION_EDITABLE): in the actor's scope
    (OutOfScope) and theirs to change before and after (PermissionDenied); the same
    checks as facilitation_create. Evidence follows, on the new region's clause if moved."""
    _refuse_unknown(changes, FACILITATION_EDITABLE)
    with transaction.atomic():
        rows = StakeholderFacilitation.objects.select_for_update(of=("self",)).select_related(
            "area", "facilitator", "kpu_office").defer("area__boundary")
        locked = one_in_scope(policy.scope_facilitations(rows, actor), _("Stakeholder facilitation"),
                              pk=facilitation.pk)
        policy.ensure_can_change_facilitation(actor, locked)
        for field, value in _strip(changes).items():
            setattr(locked, field, value)
        fields = [*changes]
        if "area" in changes:
            policies.ensure_region_in_scope(actor, locked.area.code)
            locked.clause = clause_in_force(locked.area, ClauseCategory.STAKEHOLDER_FACILITATION)
            fields.append("clause")
        policy.ensure_can_change_facilitation(actor, locked)
        _check_facilitation(actor, locked)
        locked.full_clean()
        locked._history_user = actor
        locked.save(update_fields=[*fields, "updated_at"])
        clause_evidence_sync(source=locked, actor=actor)
    return locked


# --- peace declarations ---------------------------------------------------------------------


def _check_declaration(row: PeaceDeclaration) -> None:
    if row.signed_on > clock.today():
        raise ValidationError({"signed_on": [_("A declaration is recorded once it has been signed.")]})


def _signatory_rows(actor: User, signatories: Iterable[Mapping[str, Any]]) -> list[DeclarationSignatory]:
    """The signatories as unsaved rows in the order given, or a ValidationError naming
    each bad entry (``signatories[2].party``)."""
    items = list(signatories)
    errors: dict[str, list[str]] = {}
    agency_ids = {item["agency"].pk for item in items if isinstance(item, Mapping) and item.get("agency")}
    visible = set(policies.scope_agencies(Agency.objects.filter(pk__in=agency_ids), actor)
                  .values_list("pk", flat=True)) if agency_ids else set()
    rows, parties = [], set()
    for index, item in enumerate(items):
        where = f"signatories[{index}]"
        if not isinstance(item, Mapping) or set(item) - SIGNATORY_FIELDS:
            errors[where] = [_("Each signatory has a party, a representative, and optionally a position and an "
                               "agency.")]
            continue
        party = (item.get("party") or "").strip()
        representative = (item.get("representative") or "").strip()
        agency = item.get("agency")
        if not party:
            errors[f"{where}.party"] = [_("Name the party that signed.")]
        elif party.casefold() in parties:
            errors[f"{where}.party"] = [_("%(party)s is listed twice.") % {"party": party}]
        parties.add(party.casefold())
        if not representative:
            errors[f"{where}.representative"] = [_("Name who signed for the party, or their position.")]
        if agency is not None and agency.pk not in visible:
            errors[f"{where}.agency"] = [_("Unknown agency.")]
        row = DeclarationSignatory(party=party, representative=representative, agency=agency, order=index,
                                   position=(item.get("position") or "").strip())
        try:
            row.full_clean(exclude=["declaration", "agency"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(f"{where}.{field}", []).extend(messages)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


def _replace_signatories(actor: User, declaration: PeaceDeclaration, rows: list[DeclarationSignatory]) -> None:
    for old in DeclarationSignatory.objects.filter(declaration=declaration):
        old._history_user = actor
        old.delete()
    for row in rows:
        row.declaration = declaration
        row._history_user = actor
        row.save()


def _locked_declaration(actor: User, declaration: PeaceDeclaration) -> PeaceDeclaration:
    rows = PeaceDeclaration.objects.select_for_update(of=("self",)).select_related("area").defer("area__boundary")
    locked = one_in_scope(policy.scope_declarations(rows, actor), _("Peace declaration"), pk=declaration.pk)
    policy.ensure_can_change_declaration(actor, locked)
    return locked


def declaration_create(*, actor: User, title: str, event: str, signed_on: date, place: str, area: Region,
                       summary: str = "", source: str = "",
                       signatories: Iterable[Mapping[str, Any]] = ()) -> PeaceDeclaration:
    """Record a peace declaration (deklarasi pemilu damai) signed in ``area``, with its
    signatories in the order given (each {party, representative, position, agency}).

    Preconditions: ``area`` inside the actor's scope (OutOfScope); the actor the
    secretariat or KPU or police staff (PermissionDenied); signed on or before today, and
    each signatory complete, a party listed once (ValidationError). The clause is the
    stakeholder-facilitation clause in force for ``area``; its evidence follows.
    """
    policy.ensure_can_create_declaration(actor, area)
    declaration = PeaceDeclaration(**_strip({"title": title, "event": event, "signed_on": signed_on, "place": place,
                                             "area": area, "summary": summary, "source": source}),
                                   recorded_by=actor,
                                   clause=clause_in_force(area, ClauseCategory.STAKEHOLDER_FACILITATION))
    _check_declaration(declaration)
    declaration.full_clean(exclude=["document"])
    rows = _signatory_rows(actor, signatories)
    with transaction.atomic():
        declaration._history_user = actor
        declaration.save()
        _replace_signatories(actor, declaration, rows)
        clause_evidence_sync(source=declaration, actor=actor)
    return declaration


def declaration_update(*, actor: User, declaration: PeaceDeclaration,
                       signatories: Iterable[Mapping[str, Any]] | None = None, **changes) -> PeaceDeclaration:
    """Change a declaration (DECLARATION_EDITABLE) and, when ``signatories`` is given,
    replace its signatories with them (as declaration_signatories_set). In the actor's
    scope (OutOfScope) and theirs to change before and after (PermissionDenied)."""
    _refuse_unknown(changes, DECLARATION_EDITABLE)
    rows = _signatory_rows(actor, signatories) if signatories is not None else None
    with transaction.atomic():
        locked = _locked_declaration(actor, declaration)
        for field, value in _strip(changes).items():
            setattr(locked, field, value)
        fields = [*changes]
        if "area" in changes:
            policies.ensure_region_in_scope(actor, locked.area.code)
            locked.clause = clause_in_force(locked.area, ClauseCategory.STAKEHOLDER_FACILITATION)
            fields.append("clause")
        policy.ensure_can_change_declaration(actor, locked)
        _check_declaration(locked)
        locked.full_clean(exclude=["document"])
        locked._history_user = actor
        locked.save(update_fields=[*fields, "updated_at"])
        if rows is not None:
            _replace_signatories(actor, locked, rows)
        clause_evidence_sync(source=locked, actor=actor)
    return locked


def declaration_signatories_set(*, actor: User, declaration: PeaceDeclaration,
                                signatories: Iterable[Mapping[str, Any]]) -> list[DeclarationSignatory]:
    """Replace the signatories of a declaration with ``signatories``, in that order
    (each {party, representative, position, agency}); the old rows are deleted with
    history naming the actor. ValidationError names each bad entry; nothing changes."""
    rows = _signatory_rows(actor, signatories)
    with transaction.atomic():
        locked = _locked_declaration(actor, declaration)
        _replace_signatories(actor, locked, rows)
    return rows


def declaration_attach_document(*, actor: User, declaration: PeaceDeclaration,
                                upload: UploadedFile) -> PeaceDeclaration:
    """Store the signed declaration: a PDF only (judged by its content: header, trailer
    and structure), within DOCUMENT_MAX_BYTES; otherwise ValidationError on
    ``document`` and nothing changes. A document stored before is replaced and its file
    deleted after the commit."""
    try:
        validate_pdf(upload)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    upload.name = f"deklarasi-{declaration.pk}.pdf"
    with stored_upload(upload, "declarations") as name, transaction.atomic():
        locked = _locked_declaration(actor, declaration)
        delete_after_commit(locked.document.name, name)
        locked.document.name = name
        locked._history_user = actor
        locked.save(update_fields=["document", "updated_at"])
    return locked
