"""Reads of the information exchange register: scoped by coordination.policies.exchange,
each a fixed number of queries. Reading one restricted entry is a fact of its own: a
look at a confidential entry, and any attempt on a restricted entry by someone it is not
for, is written down (coordination.services.exchange.exchange_access_record); lists are
not logged."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from coordination.choices import (
    OPEN_EXCHANGE_STATUSES,
    RESTRICTED_CLASSIFICATIONS,
    AccessOutcome,
    ExchangeKind,
    ExchangeStatus,
)
from coordination.models import ExchangeAccess, ExchangeAttachment, ExchangeStatusChange, InformationExchange
from coordination.policies import can_write
from coordination.policies import exchange as policy
from coordination.services.exchange import CHANNEL_FILE, CHANNEL_PAGE, exchange_access_record
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope

PARTIES = ("from_agency__jurisdiction", "to_agency__jurisdiction")
PARTY_OUTLINES = ("from_agency__jurisdiction__boundary", "to_agency__jurisdiction__boundary")


def exchanges_for(user) -> QuerySet[InformationExchange]:
    """The entries ``user`` may see, with both parties (and their regions, which the
    policy's checks read) for a list."""
    return policy.scope_exchanges(InformationExchange.objects.select_related(*PARTIES).defer(*PARTY_OUTLINES), user)


def _not_found() -> OutOfScope:
    return OutOfScope(_("Information exchange not found."))


def exchange_get(user, pk: int, *, channel: str = CHANNEL_PAGE, shown: bool = True,
                 rows: QuerySet[InformationExchange] | None = None) -> InformationExchange:
    """One entry ``user`` may see, with the people who moved it and its clause (or read
    from ``rows``, a queryset already scoped to ``user``: the API's, with its joins).

    Missing and out of scope raise the same OutOfScope (a 404). When the entry exists and
    is restricted, the refused attempt is recorded (through ``channel``) before that. With
    ``shown``, a confidential entry's look is recorded too: pass ``shown=False`` for a
    read that shows nothing (a write's lookup; its answer is recorded when it is shown).
    """
    if rows is None:
        rows = exchanges_for(user).select_related("area", "sent_by", "acknowledged_by", "answered_by",
                                                  "clause__agreement").defer("area__boundary")
    entry = next(iter(rows.filter(pk=pk).order_by()[:1]), None)
    if entry is None:
        refused = InformationExchange.objects.filter(pk=pk, classification__in=RESTRICTED_CLASSIFICATIONS) \
            .only("pk", "classification").first()
        if refused is not None and getattr(user, "is_authenticated", False):
            exchange_access_record(viewer=user, exchange=refused, channel=channel, outcome=AccessOutcome.REFUSED)
        raise _not_found()
    if shown:
        exchange_access_record(viewer=user, exchange=entry, channel=channel)
    return entry


def exchange_attachments(entry: InformationExchange) -> QuerySet[ExchangeAttachment]:
    return entry.attachments.select_related("uploaded_by").order_by("id")


def exchange_attachment_get(user, pk: int) -> ExchangeAttachment:
    """An attachment of an entry ``user`` may see; its download is a look at the entry
    (recorded for a confidential one, refused attempts on a restricted one likewise)."""
    row = ExchangeAttachment.objects.filter(pk=pk).first()
    if row is None:
        raise OutOfScope(_("Attachment not found."))
    row.exchange = exchange_get(user, row.exchange_id, channel=CHANNEL_FILE)
    return row


def exchange_status_trail(entry: InformationExchange) -> QuerySet[ExchangeStatusChange]:
    return entry.status_changes.select_related("changed_by")


def exchange_accesses(entry: InformationExchange) -> QuerySet[ExchangeAccess]:
    """The entry's access log, newest first (the caller checks who may read it)."""
    return entry.accesses.select_related("viewer", "agency")


# --- what waits, and what is late ------------------------------------------------------------


def overdue_q(today: date | None = None) -> Q:
    """The one rule of lateness: a request still open after its answer date (WITA)."""
    return Q(kind=ExchangeKind.REQUEST, status__in=OPEN_EXCHANGE_STATUSES,
             response_due_on__lt=today or clock.today())


def is_overdue(entry: InformationExchange, today: date | None = None) -> bool:
    """overdue_q for one entry already read."""
    return (entry.kind == ExchangeKind.REQUEST and entry.status in OPEN_EXCHANGE_STATUSES
            and entry.response_due_on is not None and entry.response_due_on < (today or clock.today()))


def _awaiting_q(user) -> Q | None:
    """Entries waiting on ``user``'s own agency that the user may act on: a sent entry to
    acknowledge, an acknowledged request to answer. None for someone who may not act."""
    if user.agency_id is None or not can_write(user):
        return None
    return Q(to_agency_id=user.agency_id) & (
        Q(status=ExchangeStatus.SENT) | Q(status=ExchangeStatus.ACKNOWLEDGED, kind=ExchangeKind.REQUEST))


def exchanges_awaiting(user) -> QuerySet[InformationExchange]:
    """What the user's agency has to acknowledge or answer, the earliest answer date
    first (entries without one last), then the oldest. Empty for a user who may not act."""
    condition = _awaiting_q(user)
    if condition is None:
        return InformationExchange.objects.none()
    return exchanges_for(user).filter(condition).order_by(F("response_due_on").asc(nulls_last=True), "created_at",
                                                          "id")


def exchange_panel(user) -> dict:
    """The dashboard's figures, in one aggregate query: ``open`` entries in the user's
    scope, ``overdue`` requests among them, and how many wait on the user (``awaiting_me``)."""
    awaiting = _awaiting_q(user)
    figures = exchanges_for(user).order_by().aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_EXCHANGE_STATUSES)),
        overdue=Count("pk", filter=overdue_q()),
        # No condition for someone who may not act: a filter no row passes keeps it one query.
        awaiting_me=Count("pk", filter=awaiting if awaiting is not None else Q(pk__isnull=True)),
    )
    return {key: figures[key] or 0 for key in ("open", "overdue", "awaiting_me")}
