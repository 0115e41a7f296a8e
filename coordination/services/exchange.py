"""Writes of the information exchange register: an entry (a request for information, or
information shared), its workflow (sent -> acknowledged -> answered, or withdrawn by the
sender), its files, and the log of looks at restricted entries.

An entry carries out the agreement's information-exchange clause in force for the
sender's region: it is evidence of it from the start, a request fulfilled when answered,
shared information when acknowledged (InformationExchange.evidence_facts). People are
told through the outbox: the receiving agency of a new entry, the sender of an answer
(exchange_notices).

RECEIVED and ANSWERED are re-exported here: importing this module registers both kinds."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import (
    EXCHANGE_TRANSITIONS,
    RESTRICTED_CLASSIFICATIONS,
    AccessOutcome,
    Classification,
    ClauseCategory,
    ExchangeKind,
    ExchangeStatus,
)
from coordination.models import (
    Agency,
    ExchangeAccess,
    ExchangeAttachment,
    ExchangeStatusChange,
    InformationExchange,
    User,
)
from coordination.policies import exchange as policy
from coordination.selectors.agreements import clause_in_force
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict
from kpu_polda.base.files import stored_upload
from kpu_polda.base.queries import one_in_scope
from kpu_polda.base.templatetags.moments import moment_text
from kpu_polda.base.transitions import Workflow, transition

from .activities import validate_material_file
from .agreements import clause_evidence_forget, clause_evidence_sync
from .exchange_notices import ANSWERED, RECEIVED, answered_message, notify, received_message
from .notifications import notifications_cancel

logger = logging.getLogger(__name__)

# Through what a restricted entry was looked at (ExchangeAccess.channel).
CHANNEL_PAGE, CHANNEL_API, CHANNEL_ADMIN, CHANNEL_FILE = "page", "api", "admin", "file"
CHANNEL_LABELS = {CHANNEL_PAGE: gettext_lazy("its page"), CHANNEL_API: gettext_lazy("the API"),
                  CHANNEL_ADMIN: gettext_lazy("the administration"), CHANNEL_FILE: gettext_lazy("a file download")}
CHANNELS = set(CHANNEL_LABELS)

PARTIES = ("from_agency__jurisdiction", "to_agency__jurisdiction")
PARTY_OUTLINES = ("from_agency__jurisdiction__boundary", "to_agency__jurisdiction__boundary")

EXCHANGE_WORKFLOW = Workflow(model=InformationExchange, table=EXCHANGE_TRANSITIONS,
                             change_model=ExchangeStatusChange, subject_field="exchange",
                             what=gettext_lazy("information exchange"), labels=dict(ExchangeStatus.choices),
                             lock_related=PARTIES, lock_defer=PARTY_OUTLINES, scope=policy.scope_exchanges)


def _locked(actor: User, exchange: InformationExchange) -> InformationExchange:
    """The entry locked for a change, read through the actor's scope (404 outside it)."""
    rows = InformationExchange.objects.select_for_update(of=("self",)).select_related(*PARTIES) \
        .defer(*PARTY_OUTLINES)
    return one_in_scope(policy.scope_exchanges(rows, actor), EXCHANGE_WORKFLOW.what, pk=exchange.pk)


# --- the entry ---------------------------------------------------------------------------------


def _check_agencies(actor: User, from_agency: Agency, to_agency: Agency) -> None:
    visible = set(policies.scope_agencies(Agency.objects.filter(pk__in=[from_agency.pk, to_agency.pk]), actor)
                  .values_list("pk", flat=True))
    errors = {name: [_("Unknown agency.")] for name, agency in (("from_agency", from_agency),
                                                                ("to_agency", to_agency)) if agency.pk not in visible}
    if errors:
        raise ValidationError(errors)


def _check_entry(*, kind: str, from_agency: Agency, to_agency: Agency, subject: str, purpose: str,
                 classification: str, legal_basis: str, content: str, response_due_on: date | None) -> None:
    errors: dict[str, list[str]] = {}
    if from_agency.pk == to_agency.pk:
        errors["to_agency"] = [_("The receiving agency is another agency than the sender.")]
    if not subject:
        errors["subject"] = [_("Say what the entry is about.")]
    if not purpose:
        errors["purpose"] = [_("Say what the information is for.")]
    if kind == ExchangeKind.REQUEST:
        if response_due_on is None:
            errors["response_due_on"] = [_("A request needs the date it must be answered by.")]
        elif response_due_on < clock.today():
            errors["response_due_on"] = [_("The answer date cannot lie in the past.")]
        if content:
            errors["content"] = [_("A request asks for information; say what is asked in the purpose.")]
        if classification in RESTRICTED_CLASSIFICATIONS and not legal_basis:
            # Requests for restricted data (poll workers' personal data among them) are the
            # known abuse: each must say which rule allows it.
            errors["legal_basis"] = [_("A request for limited or confidential information needs its legal basis.")]
    elif kind == ExchangeKind.SHARING:
        if not content:
            errors["content"] = [_("Write the information that is shared.")]
        if response_due_on is not None:
            errors["response_due_on"] = [_("Information shared is acknowledged, not answered: it has no answer "
                                           "date.")]
    if errors:
        raise ValidationError(errors)


def _title_of(upload: UploadedFile, title: str) -> str:
    return (title.strip() or PurePosixPath(upload.name or "").name or _("Attachment"))[:200]


def _prepared(*, actor: User, kind: str, from_agency: Agency, to_agency: Agency, subject: str, purpose: str,
              classification: str, legal_basis: str, content: str, response_due_on: date | None,
              attachment: UploadedFile | None) -> InformationExchange:
    """The new entry, checked and unsaved (see exchange_create)."""
    policy.ensure_can_write_exchanges(actor)  # a read-only role is refused before anything is looked up
    _check_agencies(actor, from_agency, to_agency)
    policy.ensure_can_create_exchange(actor, from_agency)
    values = {"subject": (subject or "").strip(), "purpose": (purpose or "").strip(),
              "legal_basis": (legal_basis or "").strip(), "content": (content or "").strip()}
    _check_entry(kind=kind, from_agency=from_agency, to_agency=to_agency, classification=classification,
                 response_due_on=response_due_on, **values)
    if attachment:
        try:
            validate_material_file(attachment)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from exc
    area = from_agency.jurisdiction
    entry = InformationExchange(kind=kind, from_agency=from_agency, to_agency=to_agency, area=area,
                                classification=classification, response_due_on=response_due_on, sent_by=actor,
                                status=ExchangeStatus.SENT,
                                clause=clause_in_force(area, ClauseCategory.INFORMATION_EXCHANGE), **values)
    # The related rows are in hand (checked above): no query per foreign key.
    entry.full_clean(exclude=["from_agency", "to_agency", "area", "sent_by", "clause"])
    return entry


def exchange_check(*, actor: User, kind: str, from_agency: Agency, to_agency: Agency, subject: str, purpose: str,
                   classification: str = Classification.PUBLIC, legal_basis: str = "", content: str = "",
                   response_due_on: date | None = None, attachment: UploadedFile | None = None) -> None:
    """Every check of exchange_create, saving nothing: for a form that shows a refusal
    next to its fields (the admin's). Raises what exchange_create raises."""
    _prepared(actor=actor, kind=kind, from_agency=from_agency, to_agency=to_agency, subject=subject,
              purpose=purpose, classification=classification, legal_basis=legal_basis, content=content,
              response_due_on=response_due_on, attachment=attachment)


def exchange_create(*, actor: User, kind: str, from_agency: Agency, to_agency: Agency, subject: str,
                    purpose: str, classification: str = Classification.PUBLIC, legal_basis: str = "",
                    content: str = "", response_due_on: date | None = None,
                    attachment: UploadedFile | None = None, attachment_title: str = "") -> InformationExchange:
    """Record a request for information (``kind`` request: answered by ``response_due_on``,
    today or later in WITA) or information shared (``kind`` sharing: its ``content``),
    sent by ``from_agency`` to ``to_agency``; status sent, optionally with a first file.

    Preconditions: a writer role recording for their own agency, or the secretariat for an
    agency inside its scope (PermissionDenied); both agencies ones the actor can see and
    not the same (ValidationError); a restricted request states its legal basis; the file
    a PDF, office document or image (ValidationError). Nothing is saved on a refusal. The
    clause is the information-exchange clause in force for the sender's region; the
    evidence row follows; the receiving agency's writers are notified (RECEIVED).
    """
    entry = _prepared(actor=actor, kind=kind, from_agency=from_agency, to_agency=to_agency, subject=subject,
                      purpose=purpose, classification=classification, legal_basis=legal_basis, content=content,
                      response_due_on=response_due_on, attachment=attachment)
    if not attachment:
        with transaction.atomic():
            return _save_new(actor, entry)
    with stored_upload(attachment, "exchanges") as name, transaction.atomic():
        entry = _save_new(actor, entry)
        row = ExchangeAttachment(exchange=entry, title=_title_of(attachment, attachment_title), uploaded_by=actor)
        row.file.name = name
        row._history_user = actor
        row.save()
        return entry


def _save_new(actor: User, entry: InformationExchange) -> InformationExchange:
    entry._history_user = actor
    entry.save()
    clause_evidence_sync(source=entry, actor=actor)
    notify(RECEIVED, entry, entry.to_agency_id, actor, received_message)
    return entry


# --- the workflow ------------------------------------------------------------------------------


def exchange_acknowledge(*, actor: User, exchange: InformationExchange) -> InformationExchange:
    """The receiving agency confirms it has the entry (sent -> acknowledged), naming who
    and when.

    Only writers of the receiving agency and the secretariat in scope (PermissionDenied);
    out of scope reads as missing (OutOfScope). An entry acknowledged before (or answered,
    which acknowledges it) is a Conflict with code ``already_acknowledged``: nothing is
    saved and the attempt is logged. A withdrawn entry cannot be (TransitionNotAllowed).
    """

    def check(locked: InformationExchange) -> None:
        policy.ensure_can_receive(actor, locked)
        if locked.acknowledged_at is not None:
            logger.warning("Refused: user %s (id %s) acknowledged information exchange %s again; acknowledged "
                           "before by user id %s", actor.username, actor.pk, locked.pk, locked.acknowledged_by_id)
            raise Conflict(_("This entry was already acknowledged on %(when)s; nothing was changed.")
                           % {"when": moment_text(locked.acknowledged_at, with_relative=False)},
                           code="already_acknowledged")

    with transaction.atomic():
        locked = transition(EXCHANGE_WORKFLOW, exchange, actor=actor, to_status=ExchangeStatus.ACKNOWLEDGED,
                            changes={"acknowledged_at": clock.now(), "acknowledged_by": actor}, check=check)
        clause_evidence_sync(source=locked, actor=actor)
    return locked


def exchange_answer(*, actor: User, exchange: InformationExchange, answer: str) -> InformationExchange:
    """Answer a request (sent or acknowledged -> answered); answering a sent request
    acknowledges it too. The answer text is required (ValidationError); information
    shared is acknowledged, not answered (ValidationError on ``answer``).

    Only writers of the receiving agency and the secretariat in scope (PermissionDenied).
    An answered or withdrawn entry cannot be answered (TransitionNotAllowed). The request
    becomes fulfilled evidence; the sending agency's writers are notified (ANSWERED).
    """
    text = answer.strip()
    if not text:
        raise ValidationError({"answer": [_("Write the answer.")]})

    def rules(locked: InformationExchange, from_status: str) -> None:
        if locked.kind != ExchangeKind.REQUEST:
            raise ValidationError({"answer": [_("Information shared is acknowledged, not answered.")]})

    with transaction.atomic():
        # Read first under the lock: whether the answer acknowledges the entry as well.
        current = _locked(actor, exchange)
        policy.ensure_can_receive(actor, current)
        now = clock.now()
        changes: dict[str, Any] = {"answer": text, "answered_at": now, "answered_by": actor}
        if current.acknowledged_at is None:
            changes.update(acknowledged_at=now, acknowledged_by=actor)
        locked = transition(EXCHANGE_WORKFLOW, current, actor=actor, to_status=ExchangeStatus.ANSWERED,
                            changes=changes, check=lambda row: policy.ensure_can_receive(actor, row), rules=rules)
        clause_evidence_sync(source=locked, actor=actor)
        notify(ANSWERED, locked, locked.from_agency_id, actor, answered_message)
    return locked


def exchange_withdraw(*, actor: User, exchange: InformationExchange, reason: str) -> InformationExchange:
    """The sender takes back an open entry (sent or acknowledged -> withdrawn), saying why
    (ValidationError without a reason).

    Only writers of the sending agency and the secretariat in scope (PermissionDenied); an
    answered or withdrawn entry cannot be (TransitionNotAllowed). A withdrawn entry is no
    evidence (a request nobody needs answered any more must not count as late), and the
    notifications of it not yet sent are cancelled.
    """
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the entry is withdrawn.")]})
    with transaction.atomic():
        locked = transition(EXCHANGE_WORKFLOW, exchange, actor=actor, to_status=ExchangeStatus.WITHDRAWN,
                            reason=reason, check=lambda row: policy.ensure_can_withdraw(actor, row))
        clause_evidence_forget(source=locked, actor=actor)
        notifications_cancel(target=locked, kinds=[RECEIVED])
    return locked


# --- files and looks ---------------------------------------------------------------------------


def exchange_attach(*, actor: User, exchange: InformationExchange, file: UploadedFile,
                    title: str = "") -> ExchangeAttachment:
    """Add a file to an entry (the letter, the data asked for): a PDF, office document or
    image judged by its content (ValidationError on ``file``); the title defaults to the
    file's name.

    Either party's writers and the secretariat in scope (PermissionDenied); not on a
    withdrawn entry (Conflict, code ``exchange_withdrawn``). The file is stored before the
    transaction and removed again if the write fails.
    """
    if not file:
        raise ValidationError({"file": [_("Choose a file.")]})
    try:
        validate_material_file(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with stored_upload(file, "exchanges") as name, transaction.atomic():
        locked = _locked(actor, exchange)
        policy.ensure_can_attach(actor, locked)
        if locked.status == ExchangeStatus.WITHDRAWN:
            raise Conflict(_("The entry was withdrawn; no files are added to it."), code="exchange_withdrawn")
        row = ExchangeAttachment(exchange=locked, title=_title_of(file, title), uploaded_by=actor)
        row.file.name = name
        row._history_user = actor
        row.save()
    return row


def exchange_access_record(*, viewer: User, exchange: InformationExchange, channel: str,
                           outcome: str = AccessOutcome.SHOWN) -> ExchangeAccess | None:
    """Write down one look at a confidential entry (``outcome`` shown), or one refused
    attempt on a restricted entry by someone it is not for (``outcome`` refused, also
    logged as a warning): who, of which agency, when, through which ``channel`` (page,
    api, admin, file). A look at a public or limited entry is not recorded (None).
    The reads call this; the row is its own record (no history)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if outcome == AccessOutcome.REFUSED:
        if exchange.classification not in RESTRICTED_CLASSIFICATIONS:
            return None
        logger.warning("Refused: user %s (id %s, agency id %s) asked for restricted information exchange %s "
                       "through %s", viewer.username, viewer.pk, viewer.agency_id, exchange.pk, channel)
    elif exchange.classification != Classification.CONFIDENTIAL:
        return None
    return ExchangeAccess.objects.create(exchange_id=exchange.pk, viewer=viewer, agency_id=viewer.agency_id,
                                         channel=channel, outcome=outcome)
