from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from coordination import policies
from coordination.choices import AGREEMENT_TRANSITIONS
from coordination.models import (
    Agency,
    Agreement,
    Clause,
    ClauseActivity,
    ClauseEvidence,
    ElectionStage,
    Region,
    Signatory,
    User,
)
from kpu_polda.base import clock
from kpu_polda.base.files import stored_upload, validate_pdf
from kpu_polda.base.transitions import ensure_transition


def agreement_load_json(*, actor: User, path: Path | None = None) -> Agreement:
    """Load an agreement (and its parent MoU) with signatories and clauses from JSON.

    Idempotent: an agreement whose code exists is left as the secretariat edited it.
    Returns the agreement.
    """
    path = Path(path or settings.BASE_DIR / "data" / "agreements" / "kaltim-2023.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        return _load(actor, data)


def _load(actor: User, data: dict) -> Agreement:
    existing = Agreement.objects.filter(code=data["code"]).first()
    if existing is not None:
        return existing
    parent = _load(actor, data["parent"]) if data.get("parent") else None
    illustrative = data.get("numbers_illustrative") or "illustrative_note" in data
    agreement = Agreement(
        code=data["code"], title=data["title"], kpu_number=data.get("kpu_number", ""),
        police_number=data.get("police_number", ""), region=Region.objects.get(code=data["region_code"]),
        signed_on=date.fromisoformat(data["signed_on"]), signed_place=data.get("signed_place", ""),
        term_start=date.fromisoformat(data["term_start"]),
        term_end=date.fromisoformat(data["term_end"]) if data.get("term_end") else None,
        parent=parent, status=data["status"], source=data.get("source", ""),
        notes=data.get("illustrative_note", ""),
    )
    agreement._history_user = actor
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(Agency.objects.filter(code__in=data.get("parties", [])))
    for order, person in enumerate(data.get("signatories", [])):
        signatory = Signatory(agreement=agreement, order=order, **person)
        signatory._history_user = actor
        signatory.save()
    agencies = {a.code: a for a in Agency.objects.all()}
    for item in data.get("clauses", []):
        expectation = item.get("expectation") or {}
        clause = Clause(
            agreement=agreement, number=item["number"], title=item["title"], text=item["text"],
            category=item["category"], responsible=agencies.get(item.get("responsible")),
            expectation_kind=expectation.get("kind", ""), evidence_kind=expectation.get("evidence_kind", ""),
            expectation_value=expectation.get("value"), expectation_count=expectation.get("count") or 1,
            is_illustrative=bool(illustrative),
        )
        clause._history_user = actor
        clause.full_clean()
        clause.save()
    return agreement


def agreement_attach_document(*, actor: User, agreement: Agreement, upload: UploadedFile) -> Agreement:
    """Store the scanned agreement. Only a PDF (checked by content) within
    DOCUMENT_MAX_BYTES; otherwise ValidationError and nothing changes."""
    policies.ensure_can_manage_agreement(actor, agreement)
    try:
        validate_pdf(upload)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    upload.name = f"{agreement.code}.pdf"
    with stored_upload(upload, "agreements") as name, transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        locked.document.name = name
        locked._history_user = actor
        locked.save(update_fields=["document", "updated_at"])
    return locked


def agreement_transition(*, actor: User, agreement: Agreement, to_status: str) -> Agreement:
    """Move an agreement between draft, active, expired and terminated
    (AGREEMENT_TRANSITIONS); TransitionNotAllowed otherwise."""
    policies.ensure_can_manage_agreement(actor, agreement)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        ensure_transition(AGREEMENT_TRANSITIONS, locked.status, to_status, what="agreement")
        locked.status = to_status
        locked._history_user = actor
        locked.save(update_fields=["status", "updated_at"])
    return locked


def clause_evidence_record(*, actor: User, clause: Clause, occurred_on: date, description: str, region: Region,
                           kind: str | None = None, stage: ElectionStage | None = None,
                           requested_at: datetime | None = None, fulfilled_at: datetime | None = None,
                           attachment: UploadedFile | None = None) -> ClauseEvidence:
    """Record by hand something done outside the app that carries out ``clause``.

    The region must lie in the actor's scope and the actor's role must allow writing.
    ``kind`` defaults to the kind the clause expects. A request fulfilled before it was
    made, or an empty description, is a ValidationError; nothing is saved.
    """
    policies.ensure_can_record_evidence(actor, region.code)
    evidence = ClauseEvidence(
        clause=clause, kind=kind or clause.evidence_kind or "other", occurred_on=occurred_on,
        description=description.strip(), region=region, stage=stage, requested_at=requested_at,
        fulfilled_at=fulfilled_at, recorded_by=actor,
    )
    if requested_at and fulfilled_at and fulfilled_at < requested_at:
        raise ValidationError({"fulfilled_at": [_("A request cannot be fulfilled before it was made.")]})
    if occurred_on > clock.today():
        raise ValidationError({"occurred_on": [_("Evidence records what was done: the date lies in the future.")]})
    evidence.full_clean(exclude=["attachment", "source_type", "source_id"])
    if attachment is None:
        with transaction.atomic():
            evidence._history_user = actor
            evidence.save()
        return evidence
    validate_pdf(attachment)
    with stored_upload(attachment, "evidence") as name, transaction.atomic():
        evidence.attachment.name = name
        evidence._history_user = actor
        evidence.save()
    return evidence


def clause_evidence_sync(*, source: ClauseActivity, actor: User | None = None) -> ClauseEvidence | None:
    """Keep the evidence row of a linked activity in step with it (called on save).

    An activity that points to no clause has no evidence row. Idempotent: one row per
    activity (a unique constraint holds it), updated in place.
    """
    source_type = ContentType.objects.get_for_model(type(source))
    fields = ["clause", "kind", "occurred_on", "description", "region", "stage", "requested_at", "fulfilled_at"]
    with transaction.atomic():
        current = ClauseEvidence.objects.select_for_update().filter(source_type=source_type, source_id=source.pk)
        if source.clause_id is None:
            current.delete()
            return None
        facts = {**source.evidence_facts(), "clause": source.clause}
        evidence = current.first() or ClauseEvidence(source_type=source_type, source_id=source.pk)
        for field in fields:
            setattr(evidence, field, facts.get(field))
        if actor is not None:
            evidence.recorded_by = actor
        evidence.full_clean(exclude=["attachment", "source_type", "source_id", "recorded_by"])
        evidence._history_user = actor
        if evidence.pk is None:
            evidence.save()
        else:
            evidence.save(update_fields=[*fields, "recorded_by", "updated_at"])
    return evidence


def clause_evidence_forget(*, source: ClauseActivity) -> None:
    """Drop the evidence row of an activity that was deleted."""
    ClauseEvidence.objects.filter(source_type=ContentType.objects.get_for_model(type(source)),
                                  source_id=source.pk).delete()
