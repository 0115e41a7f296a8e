"""The notification outbox: writing rows, draining them by email, marking them read.

Every app notifies people through these services and nothing else: a service writes the
row inside its own transaction (so a notification exists only if the change behind it
committed), the drain delivers it by email after that commit, and the bell and the list
show it in the app. Each row is delivered the way its recipient chose for its kind
(coordination.services.preferences): at once by the drain, in the daily digest, or in
the app only.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from coordination.choices import Delivery
from coordination.models import Notification, User
from coordination.selectors.notifications import deliveries_of, notifications_for
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope

logger = logging.getLogger(__name__)

# A callable that writes (subject, body) from the context; called in the recipient's language.
Composer = Callable[[Mapping[str, Any]], tuple[str, str]]

# The drain's claim on a row while it sends: long enough for a batch (EMAIL_TIMEOUT bounds
# one send), short enough that a crashed worker's rows go out a few minutes late, not never.
LEASE = timedelta(minutes=5)
# A worker stops starting sends this close to the end of its lease and leaves the rest of
# its batch to the next claim, so two workers do not send the same row.
LEASE_MARGIN = timedelta(minutes=1)
MAX_ATTEMPTS = 10
BACKOFF_CAP = timedelta(hours=1)
KEY_MAX_LENGTH = Notification._meta.get_field("dedupe_key").max_length
SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length
# Keys looked up, and rows inserted, per statement by notification_enqueue_many.
KEY_CHUNK = 500


@dataclass(frozen=True)
class Outgoing:
    """One notification to write with notification_enqueue_many: to whom, the key that
    makes it unique, and what fills the message template."""

    recipient: User
    dedupe_key: str
    context: Mapping[str, Any] = field(default_factory=dict)
    target: models.Model | None = None
    url: str = ""
    due_at: datetime | None = None


@dataclass
class DrainResult:
    """What one drain did: rows claimed, emails handed to the mail server, rows closed
    without email (no address, or an account that was switched off), rows closed because
    their person wants the kind in the app only, sends that failed and were pushed back,
    and rows given up after MAX_ATTEMPTS."""

    claimed: int = 0
    sent: int = 0
    without_email: int = 0
    in_app: int = 0
    failed: int = 0
    abandoned: int = 0


def language_of(user: User) -> str:
    """The language the outbox writes to ``user`` in (theirs, else the app's default)."""
    return user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _render(template: str | Composer, context: Mapping[str, Any], language: str) -> tuple[str, str]:
    with translation.override(language):
        if callable(template):
            subject, body = template(context)
        else:
            subject = render_to_string(f"emails/{template}_subject.txt", dict(context))
            body = render_to_string(f"emails/{template}_body.txt", dict(context))
    # The subject becomes an email header: one line, within the column.
    return " ".join(str(subject).split())[:SUBJECT_MAX_LENGTH], str(body).strip()


def _row(*, kind: str, template: str | Composer, item: Outgoing, now: datetime, delivery: str) -> Notification:
    if not item.dedupe_key or len(item.dedupe_key) > KEY_MAX_LENGTH:
        raise ValueError(f"dedupe_key must have 1 to {KEY_MAX_LENGTH} characters: {item.dedupe_key!r}")
    language = language_of(item.recipient)
    subject, body = _render(template, item.context, language)
    target = item.target
    return Notification(
        recipient=item.recipient, kind=kind, subject=subject, body=body, url=item.url, language=language,
        dedupe_key=item.dedupe_key, due_at=item.due_at or now, delivery=delivery,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )


def _drain_after_commit(rows: Iterable[Notification], now: datetime) -> None:
    """Ask a worker to drain once this transaction commits, when an email is due now (a
    row due later waits for the minute beat, a digest row for the digest). The beat drains
    anyway, so a broker that is down only delays delivery: robust=True logs the error
    instead of failing the caller."""
    if any(row.due_at <= now and row.delivery == Delivery.IMMEDIATE for row in rows):
        transaction.on_commit(_dispatch_drain, robust=True)


def _dispatch_drain() -> None:
    from coordination.tasks import drain_notifications  # the tasks module imports the services

    drain_notifications.delay()


def notification_enqueue(*, recipient: User, kind: str, dedupe_key: str, template: str | Composer,
                         context: Mapping[str, Any] | None = None, target: models.Model | None = None,
                         due_at: datetime | None = None, url: str = "") -> Notification:
    """Write one notification to ``recipient``, in their language, inside the caller's
    transaction.

    ``template`` names a pair under templates/emails/ (``<name>_subject.txt`` and
    ``<name>_body.txt``) or is a Composer; either is rendered with ``context`` under
    ``translation.override(recipient.language)``. ``due_at`` defaults to now; ``url`` is
    the page the notification is about (a path). Its delivery is the recipient's choice
    for ``kind`` (at once when they made none). Idempotent on ``dedupe_key``: when a row
    with that key exists nothing is written and that row is returned. After commit, a
    due email asks a worker to drain. ValueError for an empty or over-long key.
    """
    now = clock.now()
    delivery = deliveries_of(kind, [recipient.pk]).get(recipient.pk, Delivery.IMMEDIATE)
    row = _row(kind=kind, template=template, item=Outgoing(recipient=recipient, dedupe_key=dedupe_key,
                                                            context=context or {}, target=target, url=url,
                                                            due_at=due_at), now=now, delivery=delivery)
    values = {f.attname: getattr(row, f.attname) for f in Notification._meta.concrete_fields
              if not f.primary_key and f.name != "dedupe_key"}
    # get_or_create inserts in a savepoint and, when a concurrent transaction wrote the
    # same key first, reads that row instead: the caller's transaction stays usable.
    notification, created = Notification.objects.get_or_create(dedupe_key=dedupe_key, defaults=values)
    if created:
        _drain_after_commit([notification], now)
    return notification


def notification_enqueue_many(*, kind: str, template: str | Composer, items: Iterable[Outgoing]) -> int:
    """Write many notifications of one ``kind`` (one per Outgoing, each in its recipient's
    language and delivered as that person chose for ``kind``) with a read of keys, a read
    of choices and a multi-row insert per KEY_CHUNK rows, inside the caller's transaction.

    Keys that already exist are skipped before rendering; a key written meanwhile by a
    concurrent run is skipped by the database (ON CONFLICT DO NOTHING), so a retried or
    doubled run writes nothing twice. Returns the number of rows offered to the insert
    (those whose key did not exist when read). After commit, due rows ask for a drain.
    """
    items = list(items)
    if not items:
        return 0
    keys = sorted({item.dedupe_key for item in items})
    existing: set[str] = set()
    for start in range(0, len(keys), KEY_CHUNK):  # bounded IN lists, whatever the number of people
        existing.update(Notification.objects.filter(dedupe_key__in=keys[start:start + KEY_CHUNK])
                        .values_list("dedupe_key", flat=True))
    now = clock.now()
    fresh = [item for item in items if item.dedupe_key not in existing]
    chosen = deliveries_of(kind, (item.recipient.pk for item in fresh))
    rows: dict[str, Notification] = {}
    for item in fresh:
        if item.dedupe_key not in rows:
            rows[item.dedupe_key] = _row(kind=kind, template=template, item=item, now=now,
                                         delivery=chosen.get(item.recipient.pk, Delivery.IMMEDIATE))
    if rows:
        with transaction.atomic():
            Notification.objects.bulk_create(rows.values(), ignore_conflicts=True, batch_size=KEY_CHUNK)
        _drain_after_commit(rows.values(), now)
    return len(rows)


def notifications_cancel(*, target: models.Model, kinds: Iterable[str] | None = None,
                         key_prefix: str | None = None) -> int:
    """Cancel the notifications about ``target`` not yet sent (of ``kinds``, or all; with
    ``key_prefix``, only those whose dedupe key starts so), inside the caller's
    transaction: they stay as a record and are never sent nor shown.
    Returns how many. A drain that claimed one of them a moment before may still send it
    (delivery is at least once); every later drain skips it."""
    rows = Notification.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk,
                                       sent_at__isnull=True, cancelled_at__isnull=True)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if key_prefix:
        rows = rows.filter(dedupe_key__startswith=key_prefix)
    return rows.update(cancelled_at=clock.now())


# Every kind of notification, with the label the preferences page shows for it: each app
# registers the kinds it writes (coordination.apps, logistics.apps, meetings.apps), so the
# page lists them all without coordination importing the apps above it.
KINDS: dict[str, Any] = {}


def notification_kind_register(kind: str, label: Any) -> None:
    """Declare a notification ``kind`` and its (lazily translated) label."""
    KINDS[kind] = label


# Files attached to the email of a notification kind: kind -> builder(notification, memo)
# -> [(filename, content, mimetype)], registered by the app that writes the kind (the
# meetings app attaches each meeting's .ics). Built when the email is sent, so the file
# says what holds then; ``memo`` is a dict that lives for one drain batch, where a
# builder keeps what every row of the batch shares (one meeting's .ics for its invitees).
Attachments = Callable[[Notification, dict], list[tuple[str, bytes, str]]]
ATTACHMENTS: dict[str, Attachments] = {}


def notification_attachments_register(kind: str, builder: Attachments) -> None:
    """Attach ``builder``'s files to every email of ``kind`` (see ATTACHMENTS)."""
    ATTACHMENTS[kind] = builder


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own due notifications read (already read: unchanged).

    Another person's notification, or one not yet due, raises OutOfScope (read as 404),
    the same as a missing one. The row carries no history: it is its own record.
    """
    row = notifications_for(actor).filter(pk=notification.pk).first()
    if row is None:
        raise OutOfScope(_("Notification not found."))
    if row.read_at is None:
        row.read_at = clock.now()
        row.save(update_fields=["read_at"])
    return row


def notification_mark_all_read(*, actor: User) -> int:
    """Mark every due, unread notification of the actor read, in one statement; rows not
    yet due stay unread. Returns how many were marked."""
    return notifications_for(actor).filter(read_at__isnull=True).update(read_at=clock.now())


# --- the drain ------------------------------------------------------------------------
#
# Guarantee: every due row is claimed by exactly one drain at a time, and its email is sent
# at least once. Rows the person wants in the daily digest are never claimed here (the
# digest sends them, with the same lease: coordination.services.preferences); rows they
# want in the app only are claimed and closed without email, like rows without an address,
# so that none stays pending in the drain's index for ever. Sending happens outside any transaction (no network inside
# transaction.atomic), so the claim cannot be a row lock held across the send. Instead:
#   1. claim: a short transaction locks due, unclaimed rows with SELECT ... FOR UPDATE SKIP
#      LOCKED (a concurrent drain takes other rows, never waits) and sets next_attempt_at to
#      now + LEASE, which hides them from every other drain until the lease ends; commit.
#   2. send each row, with no transaction open, and mark it sent at once (one short
#      autocommit UPDATE per row), so a crash re-sends at most the row being sent.
#   3. a failed send increments attempts and pushes next_attempt_at back (1, 2, 4 ... minutes,
#      at most an hour). A crashed worker's rows become claimable when their lease ends.
# A row re-sent after a crash carries the same Message-ID (derived from its dedupe key), so
# mail servers and clients recognise the copy as the same message.


def message_id(notification: Notification) -> str:
    """The email Message-ID of a notification: stable for its dedupe key."""
    return message_id_for(notification.dedupe_key)


def message_id_for(key: str) -> str:
    """A Message-ID stable for ``key``, at the sender's domain."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{digest}@{domain}>"


def _email(notification: Notification, connection, memo: dict) -> EmailMessage:
    from .preferences import unsubscribe_footer, unsubscribe_headers, unsubscribe_url  # it imports this module

    body = notification.body
    if notification.url:
        body = f"{body}\n\n{urljoin(settings.SITE_URL, notification.url)}"
    unsubscribe = unsubscribe_url(notification.recipient_id, [notification.kind])
    body = f"{body}\n\n{unsubscribe_footer(unsubscribe, notification.kind, notification.language)}"
    builder = ATTACHMENTS.get(notification.kind)
    return EmailMessage(
        subject=notification.subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email], connection=connection,
        attachments=builder(notification, memo) if builder is not None else None,
        headers={
            "Message-ID": message_id(notification),
            "Content-Language": notification.language,
            # RFC 3834: an automatic message, so out-of-office replies are not sent back.
            "Auto-Submitted": "auto-generated",
            **unsubscribe_headers(unsubscribe),
        },
    )


def _claim(batch: int, now: datetime) -> tuple[list[Notification], datetime]:
    lease_until = now + LEASE
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(sent_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .exclude(delivery=Delivery.DIGEST)
            .order_by("due_at", "id")[:batch]
        )
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(next_attempt_at=lease_until)
    return rows, lease_until


def _wants_email(user: User) -> bool:
    # No address, or an account switched off: the row is closed with nothing to send (the
    # bell still shows it if the person signs in again).
    return bool(user.email) and user.is_active


def _mark_sent(pks: list[int]) -> None:
    Notification.objects.filter(pk__in=pks, sent_at__isnull=True).update(
        sent_at=clock.now(), next_attempt_at=None, last_error="")


def _mark_failed(row: Notification, error: str, lease_until: datetime, result: DrainResult) -> None:
    attempts = row.attempts + 1
    now = clock.now()
    if attempts >= MAX_ATTEMPTS:
        # Given up: the row is closed as sent (sent_at set, so no drain takes it again)
        # with the error kept in last_error; a sent row with an error is an email that
        # never went out. The in-app bell is unaffected.
        values = {"sent_at": now, "next_attempt_at": None}
        result.abandoned += 1
        logger.error("notification %s: email given up after %s attempts: %s", row.pk, attempts, error)
    else:
        values = {"next_attempt_at": now + min(timedelta(minutes=2 ** (attempts - 1)), BACKOFF_CAP)}
        result.failed += 1
        logger.warning("notification %s: email attempt %s failed: %s", row.pk, attempts, error)
    # Only while this drain still holds the lease: a drain that took over must not be undone.
    Notification.objects.filter(pk=row.pk, sent_at__isnull=True, next_attempt_at=lease_until).update(
        attempts=attempts, last_error=error[:2000], **values)


def notifications_drain(*, batch: int = 100) -> DrainResult:
    """Deliver up to ``batch`` due notifications by email and mark them sent.

    Due means due_at has passed, sent_at is empty and any retry delay or claim
    (next_attempt_at) has ended; digest rows are left to the digest, and in-app rows are
    closed without email. Safe to run in several workers at once and to retry: each
    row is claimed by one drain (see the guarantee above). A failed send backs off and is
    tried again later; after MAX_ATTEMPTS the row is closed with its error kept.
    Returns a DrainResult.
    """
    rows, lease_until = _claim(batch, clock.now())
    result = DrainResult(claimed=len(rows))
    in_app = [row.pk for row in rows if row.delivery == Delivery.IN_APP]
    quiet = [row.pk for row in rows if row.delivery != Delivery.IN_APP and not _wants_email(row.recipient)]
    if in_app or quiet:
        _mark_sent(in_app + quiet)  # closed: the bell and the list still show them
        result.in_app, result.without_email = len(in_app), len(quiet)
    to_send = [row for row in rows if row.delivery != Delivery.IN_APP and _wants_email(row.recipient)]
    if not to_send:
        return result
    connection = get_connection()  # one mail-server session for the batch
    memo: dict = {}  # the attachment builders' shared work, for this batch only
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - whatever the reason, no server: every row backs off
        for row in to_send:
            _mark_failed(row, _error_text(exc), lease_until, result)
        return result
    try:
        for row in to_send:
            if clock.now() >= lease_until - LEASE_MARGIN:
                break  # the rest stay claimed until the lease ends, then another drain takes them
            try:
                _email(row, connection, memo).send()
            except Exception as exc:  # noqa: BLE001 - any failure of one send backs that row off
                _mark_failed(row, _error_text(exc), lease_until, result)
            else:
                _mark_sent([row.pk])
                result.sent += 1
    finally:
        connection.close()
    return result


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
