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
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import AGREEMENT_TRANSITIONS, AgreementStatus
from coordination.models import (
    Agency,
    Agreement,
    AgreementStatusChange,
    Clause,
    ClauseActivity,
    ClauseEvidence,
    ElectionStage,
    Region,
    Signatory,
    User,
)
from kpu_polda.base import clock
from kpu_polda.base.files import delete_after_commit, stored_upload, validate_pdf
from kpu_polda.base.history import bulk_create_with_history, bulk_update_with_history
from kpu_polda.base.transitions import Workflow, transition


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
        parent=parent, status=AgreementStatus.DRAFT, source=data.get("source", ""),
        notes=data.get("illustrative_note", ""),
    )
    agreement._history_user = actor
    agreement.full_clean()
    agreement.save()
    # A loaded agreement reaches its recorded status through the workflow, so its trail
    # shows the moves like one entered by hand. The loader is a trusted command: no policy.
    for step in _path_to(data["status"]):
        agreement = transition(AGREEMENT_WORKFLOW, agreement, actor=actor, to_status=step,
                               reason=_("Recorded status when loaded (%(code)s)") % {"code": data["code"]})
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


def _path_to(status: str) -> list[str]:
    """The moves from draft to ``status`` (draft -> active -> expired, or straight on)."""
    if status == AgreementStatus.DRAFT:
        return []
    if status == AgreementStatus.EXPIRED:
        return [AgreementStatus.ACTIVE, AgreementStatus.EXPIRED]
    return [status]


def agreement_attach_document(*, actor: User, agreement: Agreement, upload: UploadedFile) -> Agreement:
    """Store the scanned agreement. Only a PDF (checked by content) within
    DOCUMENT_MAX_BYTES; otherwise ValidationError and nothing changes. A scan stored
    before is replaced: its file is deleted after the commit."""
    policies.ensure_can_manage_agreement(actor, agreement)
    try:
        validate_pdf(upload)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from exc
    upload.name = f"{agreement.code}.pdf"
    with stored_upload(upload, "agreements") as name, transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        # A new scan replaces the old one: its file goes once the row names the new one.
        delete_after_commit(locked.document.name, name)
        locked.document.name = name
        locked._history_user = actor
        locked.save(update_fields=["document", "updated_at"])
    return locked


AGREEMENT_WORKFLOW = Workflow(model=Agreement, table=AGREEMENT_TRANSITIONS, change_model=AgreementStatusChange,
                              subject_field="agreement", what=gettext_lazy("agreement"),
                              labels=dict(AgreementStatus.choices), lock_related=("region",),
                              lock_defer=("region__boundary",), scope=policies.scope_agreements)


def agreement_transition(*, actor: User, agreement: Agreement, to_status: str, reason: str = "") -> Agreement:
    """Move an agreement between draft, active, expired and terminated
    (AGREEMENT_TRANSITIONS); TransitionNotAllowed otherwise. Only the secretariat of the
    agreement's region may (PermissionDenied). Terminating needs a reason
    (ValidationError). Records an AgreementStatusChange naming the actor."""

    def rules(locked: Agreement, from_status: str) -> None:
        if to_status == AgreementStatus.TERMINATED and not reason.strip():
            raise ValidationError({"reason": [_("Say why the agreement is terminated.")]})

    return transition(AGREEMENT_WORKFLOW, agreement, actor=actor, to_status=to_status, reason=reason,
                      check=lambda locked: policies.ensure_can_manage_agreement(actor, locked), rules=rules)


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


EVIDENCE_FACTS = ["clause", "kind", "occurred_on", "description", "region", "stage", "requested_at", "fulfilled_at"]


def clause_evidence_sync(*, source: ClauseActivity, actor: User) -> ClauseEvidence | None:
    """Keep the evidence row of one activity in step with it; the activity's own service
    calls this, inside its transaction, after every create or change.

    An activity that points to no clause has no evidence row (an existing one is
    deleted). Otherwise one row per activity (a unique constraint holds it) is created or
    updated in place, naming ``actor``. When the facts did not change nothing is written,
    so re-saving an activity adds no history row. Returns the evidence row or None.
    """
    return clause_evidence_sync_many(sources=[source], actor=actor).get(source.pk)


def _check_facts(evidence: ClauseEvidence) -> None:
    # The related rows come from the activity's own foreign keys, so they exist; checking
    # them again would cost a query per row, and the one-per-source rule is the database's.
    evidence.clean_fields(exclude=["attachment", "source_type", "source_id", "recorded_by", "clause", "region",
                                   "stage"])
    evidence.clean()


def clause_evidence_sync_many(*, sources: list[ClauseActivity], actor: User) -> dict[int, ClauseEvidence]:
    """clause_evidence_sync for many activities of one model at once (bulk services):
    a fixed number of statements whatever their number, history rows in bulk naming
    ``actor``. Returns the evidence rows by activity id (activities without a clause are
    absent)."""
    if not sources:
        return {}
    source_type = ContentType.objects.get_for_model(type(sources[0]))
    with transaction.atomic():
        existing = {row.source_id: row for row in ClauseEvidence.objects.select_for_update().filter(
            source_type=source_type, source_id__in=[source.pk for source in sources])}
        created, updated, dropped, result = [], [], [], {}
        changed_fields: set[str] = set()
        for source in sources:
            evidence = existing.get(source.pk)
            if source.clause_id is None:
                if evidence is not None:
                    dropped.append(evidence)
                continue
            facts = {**source.evidence_facts(), "clause": source.clause}
            if evidence is None:
                evidence = ClauseEvidence(source_type=source_type, source_id=source.pk, recorded_by=actor,
                                          **{name: facts.get(name) for name in EVIDENCE_FACTS})
                _check_facts(evidence)
                created.append(evidence)
            else:
                changed = [name for name in EVIDENCE_FACTS if getattr(evidence, name) != facts.get(name)]
                if changed:
                    for name in changed:
                        setattr(evidence, name, facts.get(name))
                    evidence.recorded_by = actor
                    _check_facts(evidence)
                    updated.append(evidence)
                    changed_fields.update(changed)
            result[source.pk] = evidence
        if created:
            bulk_create_with_history(created, ClauseEvidence, default_user=actor)
            if any(row.pk is None for row in created):  # a backend that returns no ids
                ids = dict(ClauseEvidence.objects.filter(source_type=source_type, source_id__in=[
                    row.source_id for row in created]).values_list("source_id", "pk"))
                for row in created:
                    row.pk = ids[row.source_id]
        if updated:
            now = clock.now()
            for row in updated:
                row.updated_at = now
            bulk_update_with_history(updated, ClauseEvidence, [*sorted(changed_fields), "recorded_by", "updated_at"],
                                     default_user=actor)
        for row in dropped:
            row._history_user = actor
            row.delete()
    return result


def clause_evidence_forget(*, source: ClauseActivity, actor: User) -> None:
    """Drop the evidence row of an activity that is being deleted (call it from the
    activity's delete service, in the same transaction)."""
    rows = ClauseEvidence.objects.filter(source_type=ContentType.objects.get_for_model(type(source)),
                                         source_id=source.pk)
    for row in rows:
        row._history_user = actor
        row.delete()
