"""Writes of joint trainings: the training itself, its participants and their attendance,
its materials, and its workflow (planned -> held or cancelled).

A training carries out the agreement's capacity-building clause (the one in force for its
region), but counts as evidence of it only once held: until then its evidence row is kept
absent (see _sync_evidence)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import TRAINING_TRANSITIONS, ClauseCategory, TrainingStatus
from coordination.models import (
    Agency,
    Region,
    Training,
    TrainingMaterial,
    TrainingParticipant,
    TrainingStatusChange,
    User,
)
from coordination.policies import activities as policy
from coordination.selectors.agreements import clause_in_force
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError
from kpu_polda.base.files import stored_upload, validate_pdf
from kpu_polda.base.history import bulk_update_with_history
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.transitions import Workflow, transition

from .agreements import clause_evidence_forget, clause_evidence_sync

TRAINING_EDITABLE = ["title", "kind", "organiser", "co_organiser", "area", "starts_at", "ends_at", "place",
                     "description"]

TRAINING_WORKFLOW = Workflow(model=Training, table=TRAINING_TRANSITIONS, change_model=TrainingStatusChange,
                             subject_field="training", what=gettext_lazy("joint training"),
                             labels=dict(TrainingStatus.choices), lock_related=("area",),
                             lock_defer=("area__boundary",), scope=policy.scope_trainings)

# Material files: what a handout or slide deck is, judged by the first bytes, not the name.
ZIP_KINDS = {".docx", ".pptx", ".xlsx", ".odt", ".odp", ".ods"}
MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
MAGIC = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n",
         **{ext: b"PK\x03\x04" for ext in ZIP_KINDS}}


def _locked(actor: User, training: Training) -> Training:
    """The training locked for a change, read through the actor's scope (404 outside it)."""
    rows = Training.objects.select_for_update(of=("self",)).select_related("area").defer("area__boundary")
    return one_in_scope(policy.scope_trainings(rows, actor), TRAINING_WORKFLOW.what, pk=training.pk)


def _sync_evidence(training: Training, actor: User) -> None:
    # The evidence hook mirrors every activity that names a clause; a training is evidence
    # only once held, so before that any row is dropped rather than synced.
    if training.status == TrainingStatus.HELD:
        clause_evidence_sync(source=training, actor=actor)
    else:
        clause_evidence_forget(source=training, actor=actor)


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("A training ends after it starts.")]})


def _check_agencies(actor: User, organiser: Agency, co_organiser: Agency | None) -> None:
    visible = policies.scope_agencies(Agency.objects.filter(pk__in=[a.pk for a in (organiser, co_organiser) if a]),
                                      actor).count()
    if visible != len({a.pk for a in (organiser, co_organiser) if a}):
        raise ValidationError({"organiser": [_("Unknown agency.")]})
    if co_organiser is not None and co_organiser.pk == organiser.pk:
        raise ValidationError({"co_organiser": [_("The co-organiser is another agency than the organiser.")]})


def training_create(*, actor: User, title: str, organiser: Agency, area: Region, starts_at: datetime,
                    ends_at: datetime, place: str, kind: str = "bimtek", co_organiser: Agency | None = None,
                    description: str = "") -> Training:
    """Plan a joint training of ``organiser`` (and ``co_organiser``) in ``area``.

    Preconditions: ``area`` inside the actor's scope (else OutOfScope), the actor a writer
    of the organiser or co-organiser agency or the secretariat (else PermissionDenied);
    it ends after it starts (ValidationError). Status planned; the clause is the
    capacity-building clause in force for ``area``. No evidence until it is held.
    """
    policy.ensure_can_create_training(actor, organiser, co_organiser, area)
    _check_agencies(actor, organiser, co_organiser)
    _check_times(starts_at, ends_at)
    training = Training(title=title.strip(), kind=kind, organiser=organiser, co_organiser=co_organiser, area=area,
                        starts_at=starts_at, ends_at=ends_at, place=place.strip(), description=description.strip(),
                        clause=clause_in_force(area, ClauseCategory.CAPACITY_BUILDING))
    training.full_clean()
    with transaction.atomic():
        training._history_user = actor
        training.save()
        _sync_evidence(training, actor)
    return training


def training_update(*, actor: User, training: Training, **changes) -> Training:
    """Change what a training says (TRAINING_EDITABLE; not its status or score, see
    training_hold, training_cancel and training_score_update).

    The training must be in the actor's scope (OutOfScope) and theirs to change, before
    and after the change (PermissionDenied); a cancelled one is not changed (Conflict).
    Moving it to another region moves it to that region's clause. Evidence follows.
    """
    unknown = set(changes) - set(TRAINING_EDITABLE)
    if unknown:
        raise DomainError(_("Not editable here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="invalid")
    with transaction.atomic():
        locked = _locked(actor, training)
        policy.ensure_can_change_training(actor, locked)
        if locked.status == TrainingStatus.CANCELLED:
            raise Conflict(_("A cancelled training is not changed."), code="training_cancelled")
        for field, value in changes.items():
            setattr(locked, field, value.strip() if isinstance(value, str) else value)
        if "area" in changes:
            policies.ensure_region_in_scope(actor, locked.area.code)
            locked.clause = clause_in_force(locked.area, ClauseCategory.CAPACITY_BUILDING)
        policy.ensure_can_change_training(actor, locked)  # still theirs after the change
        if {"organiser", "co_organiser"} & set(changes):
            _check_agencies(actor, locked.organiser, locked.co_organiser)
        _check_times(locked.starts_at, locked.ends_at)
        locked.full_clean()
        locked._history_user = actor
        locked.save(update_fields=[*changes, *(["clause"] if "area" in changes else []), "updated_at"])
        _sync_evidence(locked, actor)
    return locked


def _score(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        score = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValidationError({"evaluation_score": [_("Enter a number from 0 to 100.")]}) from exc
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({"evaluation_score": [_("Enter a number from 0 to 100.")]})
    return score


def training_hold(*, actor: User, training: Training, evaluation_score: Decimal | int | None = None,
                  reason: str = "") -> Training:
    """Mark a planned training held (planned -> held), optionally with the participants'
    evaluation score (0-100, else ValidationError).

    Only once it has started (Conflict, code not_started); a cancelled or already held
    training cannot be held (TransitionNotAllowed, 409). Records a TrainingStatusChange
    naming the actor; from now on the training is evidence of its clause.
    """
    score = _score(evaluation_score)

    def rules(locked: Training, from_status: str) -> None:
        if locked.starts_at > clock.now():
            raise Conflict(_("A training is marked held once it has started."), code="not_started")

    changes = {"evaluation_score": score} if score is not None else {}
    with transaction.atomic():
        locked = transition(TRAINING_WORKFLOW, training, actor=actor, to_status=TrainingStatus.HELD, reason=reason,
                            changes=changes, check=lambda row: policy.ensure_can_change_training(actor, row),
                            rules=rules)
        _sync_evidence(locked, actor)
    return locked


def training_cancel(*, actor: User, training: Training, reason: str) -> Training:
    """Cancel a planned training (planned -> cancelled); the reason is required
    (ValidationError). A held or cancelled training cannot be (TransitionNotAllowed)."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the training is cancelled.")]})
    with transaction.atomic():
        locked = transition(TRAINING_WORKFLOW, training, actor=actor, to_status=TrainingStatus.CANCELLED,
                            reason=reason, check=lambda row: policy.ensure_can_change_training(actor, row))
        _sync_evidence(locked, actor)
    return locked


def training_score_update(*, actor: User, training: Training, evaluation_score: Decimal | int | None) -> Training:
    """Set (or clear, with None) the evaluation score of a held training: 0-100
    (ValidationError); a training not held has no score yet (Conflict, code not_held)."""
    score = _score(evaluation_score)
    with transaction.atomic():
        locked = _locked(actor, training)
        policy.ensure_can_change_training(actor, locked)
        if locked.status != TrainingStatus.HELD:
            raise Conflict(_("The evaluation score is given once the training is held."), code="not_held")
        locked.evaluation_score = score
        locked.full_clean()
        locked._history_user = actor
        locked.save(update_fields=["evaluation_score", "updated_at"])
        _sync_evidence(locked, actor)
    return locked


# --- participants ---------------------------------------------------------------------------


def _open_for_people(locked: Training) -> None:
    if locked.status == TrainingStatus.CANCELLED:
        raise Conflict(_("The training was cancelled."), code="training_cancelled")


def training_participant_add(*, actor: User, training: Training, agency: Agency | None = None,
                             name: str = "", user: User | None = None, position: str = "") -> TrainingParticipant:
    """Add a participant: a user of the app (``user``: their name and agency by default)
    or a named outsider of ``agency``.

    The agency must be one the actor can see and the user one of its members
    (ValidationError). A user takes part once, and so does a name within one agency
    (Conflict, code already_participant). Not on a cancelled training (Conflict).
    """
    errors: dict[str, list[str]] = {}
    if user is not None:
        agency = agency or user.agency
        name = name.strip() or user.get_full_name() or user.username
        if agency is not None and user.agency_id != agency.pk:
            errors["user"] = [_("The person works for another agency.")]
        position = position.strip() or user.position
    name = name.strip()
    if agency is None:
        errors["agency"] = [_("Choose the agency.")]
    elif not policies.scope_agencies(Agency.objects.filter(pk=agency.pk), actor).exists():
        errors["agency"] = [_("Unknown agency.")]
    if not name:
        errors["name"] = [_("Give the name.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(actor, training)
        policy.ensure_can_change_training(actor, locked)
        _open_for_people(locked)
        present = TrainingParticipant.objects.filter(training=locked)
        if (user is not None and present.filter(user=user).exists()) or present.filter(
                agency=agency, name__iexact=name).exists():
            raise Conflict(_("%(name)s already takes part in this training.") % {"name": name},
                           code="already_participant")
        participant = TrainingParticipant(training=locked, user=user, name=name, agency=agency,
                                          position=position.strip())
        participant.full_clean(exclude=["training", "user", "agency"])
        participant._history_user = actor
        participant.save()
    return participant


def training_participant_remove(*, actor: User, participant: TrainingParticipant) -> None:
    """Take a participant off the list (not on a cancelled training: Conflict)."""
    with transaction.atomic():
        locked = _locked(actor, Training(pk=participant.training_id))
        policy.ensure_can_change_training(actor, locked)
        _open_for_people(locked)
        row = one_in_scope(TrainingParticipant.objects.select_for_update().filter(training=locked),
                           _("Participant"), pk=participant.pk)
        row._history_user = actor
        row.delete()


def training_attendance_record(*, actor: User, training: Training, attended: Iterable[int]) -> int:
    """Record the daftar hadir: the participants whose ids are in ``attended`` attended,
    every other participant of the training did not.

    Only once the training is held or on its day (Conflict, code not_started), never for
    a cancelled one (Conflict); an id that is no participant of this training is a
    ValidationError. Returns how many participants changed.
    """
    try:
        wanted = {int(pk) for pk in attended}
    except (TypeError, ValueError) as exc:
        raise ValidationError({"attended": [_("Name participants by their id.")]}) from exc
    with transaction.atomic():
        locked = _locked(actor, training)
        policy.ensure_can_change_training(actor, locked)
        _open_for_people(locked)
        if locked.status != TrainingStatus.HELD and timezone.localdate(locked.starts_at) > clock.today():
            raise Conflict(_("Attendance is taken on the training's day or once it is held."), code="not_started")
        participants = list(TrainingParticipant.objects.select_for_update().filter(training=locked))
        unknown = wanted - {p.pk for p in participants}
        if unknown:
            raise ValidationError({"attended": [_("Not participants of this training: %(ids)s.") % {
                "ids": ", ".join(str(pk) for pk in sorted(unknown))}]})
        changed = [p for p in participants if p.attended != (p.pk in wanted)]
        for participant in changed:
            participant.attended = participant.pk in wanted
        if changed:
            bulk_update_with_history(changed, TrainingParticipant, ["attended"], default_user=actor)
    return len(changed)


# --- materials ------------------------------------------------------------------------------


def validate_material_file(upload) -> None:
    """A handout: PDF, an office document (docx, pptx, xlsx, odt, odp, ods) or a photo (jpg,
    png), judged by its content as well as its name, within DOCUMENT_MAX_BYTES."""
    extension = PurePosixPath(upload.name or "").suffix.lower()
    if extension not in MATERIAL_TYPES:
        raise ValidationError(_("Upload a PDF, an office document (docx, pptx, xlsx, odt, odp, ods) or a JPG or PNG "
                                "image."), code="file_type")
    if extension == ".pdf":
        validate_pdf(upload)
        return
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(size)d MiB.") % {"size": limit // (1024 * 1024)},
                              code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(len(MAGIC[extension]))
    finally:
        upload.seek(position)
    if head != MAGIC[extension]:
        raise ValidationError(_("The file's content does not match its name."), code="file_type")


def training_material_add(*, actor: User, training: Training, title: str, file: UploadedFile | None = None,
                          link: str = "") -> TrainingMaterial:
    """Add a handout, slide deck or module: a file (validate_material_file) or a link
    (http or https), exactly one of the two (ValidationError). Not on a cancelled
    training (Conflict). The file is stored before the transaction and removed again if
    the write fails."""
    link = (link or "").strip()
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the material a title.")]
    if bool(file) == bool(link):
        errors["file"] = [_("Give either a file or a link.")]
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = [_("Enter a web address starting with http:// or https://.")]
    if file:
        try:
            validate_material_file(file)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    material = TrainingMaterial(title=title.strip(), link=link)
    material.full_clean(exclude=["training", "file"])
    if not file:
        with transaction.atomic():
            return _material_save(actor, training, material)
    with stored_upload(file, "trainings") as name, transaction.atomic():
        material.file.name = name
        return _material_save(actor, training, material)


def _material_save(actor: User, training: Training, material: TrainingMaterial) -> TrainingMaterial:
    locked = _locked(actor, training)
    policy.ensure_can_change_training(actor, locked)
    _open_for_people(locked)
    material.training = locked
    material._history_user = actor
    material.save()
    return material
