"""How each person takes each kind of notification: their choice per kind (an email at
once, the daily digest, or the app only), the daily digest that gathers what waits for
it, and the one-click unsubscribe link every email carries.

The outbox (coordination.services.notifications) stamps each row it writes with its
recipient's choice for its kind; a change of choice rewrites the rows still waiting, so
a reminder planned last week follows the choice made today.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coordination.choices import Delivery
from coordination.models import Notification, NotificationPreference, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError

from .notifications import (
    BACKOFF_CAP,
    KEY_CHUNK,
    KINDS,
    LEASE,
    LEASE_MARGIN,
    MAX_ATTEMPTS,
    _dispatch_drain,
    _error_text,
    language_of,
    message_id_for,
)

logger = logging.getLogger(__name__)

# --- choices ----------------------------------------------------------------------------


def _apply(actor: User, choices: Mapping[str, str], *, record_defaults: bool) -> dict[str, NotificationPreference]:
    errors = {}
    for kind, delivery in choices.items():
        if kind not in KINDS:
            errors[kind] = [_("Unknown kind of notification.")]
        elif delivery not in Delivery.values:
            errors[kind] = [_("Choose email at once, daily digest or in the app only.")]
    if errors:
        raise ValidationError(errors)
    saved: dict[str, NotificationPreference] = {}
    with transaction.atomic():
        # One person's choices are written one writer at a time (the page, the API and an
        # unsubscribe link may come at once): two inserts of the same (user, kind) would
        # otherwise meet at the unique constraint. FOR NO KEY UPDATE does not hold up rows
        # that merely point to the user (their notifications being written).
        list(User.objects.select_for_update(no_key=True).filter(pk=actor.pk).values_list("pk", flat=True))
        existing = {row.kind: row for row in NotificationPreference.objects.filter(user=actor, kind__in=list(choices))}
        moved: dict[str, list[str]] = defaultdict(list)
        for kind, delivery in choices.items():
            row = existing.get(kind)
            if row is None and delivery == Delivery.IMMEDIATE and not record_defaults:
                continue  # no choice yet means at once: nothing changes
            if row is None:
                row = NotificationPreference(user=actor, kind=kind, delivery=delivery)
                row._history_user = actor
                row.save()
                moved[delivery].append(kind)
            elif row.delivery != delivery:
                row.delivery = delivery
                row._history_user = actor
                row.save(update_fields=["delivery", "updated_at"])
                moved[delivery].append(kind)
            saved[kind] = row
        drain = False
        for delivery, kinds in moved.items():
            # The rows still waiting follow the new choice (the row is its own record, so
            # a plain UPDATE; no history table to miss it).
            rewritten = (Notification.objects.filter(recipient=actor, kind__in=kinds, sent_at__isnull=True,
                                                     cancelled_at__isnull=True)
                         .exclude(delivery=delivery).update(delivery=delivery))
            drain = drain or bool(rewritten and delivery != Delivery.DIGEST)
        if drain:
            transaction.on_commit(_dispatch_drain, robust=True)
    return saved


def notification_preference_set(*, actor: User, kind: str, delivery: str) -> NotificationPreference:
    """Set how ``actor`` takes notifications of ``kind`` (a Delivery).

    Preconditions: ``kind`` is registered (KINDS) and ``delivery`` is a Delivery, else
    ValidationError naming the kind; nothing saved. Writes the preference with a history
    entry naming the actor (none when it already says so) and rewrites the delivery of
    the actor's unsent, uncancelled notifications of that kind; after commit, asks for a
    drain when some of them are now to be emailed at once or closed for the app.
    """
    return _apply(actor, {kind: delivery}, record_defaults=True)[kind]


def notification_preferences_set(*, actor: User, choices: Mapping[str, str]) -> dict[str, NotificationPreference]:
    """Set several of ``actor``'s choices at once (kind -> Delivery), all or nothing: the
    preferences page. As notification_preference_set, except that a kind never chosen
    and posted as "at once" writes no row (the page posts every kind). Returns, by kind,
    the preference rows that now hold the choices given."""
    return _apply(actor, choices, record_defaults=False)


# --- one-click unsubscribe ----------------------------------------------------------------

UNSUBSCRIBE_SALT = "coordination.notifications.unsubscribe"


class BadUnsubscribeLink(DomainError):
    """An unsubscribe link that was altered, cut short, or names nobody we know."""

    code = "bad_link"


@dataclass(frozen=True)
class Unsubscribe:
    """What an unsubscribe link asks: this person wants these kinds in the app only."""

    user: User
    kinds: list[str]

    @property
    def labels(self) -> list[Any]:
        return [KINDS[kind] for kind in self.kinds]


def _signer() -> signing.Signer:
    return signing.Signer(salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kinds: Sequence[str]) -> str:
    """A signed token naming the person and the kinds, the same for every email of theirs
    (no timestamp: a link in an old email keeps working). No login is needed to use it,
    and it can only ever move those kinds to the app."""
    return _signer().sign_object([user_id, sorted(set(kinds))], compress=True)


def unsubscribe_url(user_id: int, kinds: Sequence[str]) -> str:
    path = reverse("coordination:notification-unsubscribe", args=[unsubscribe_token(user_id, kinds)])
    return urljoin(settings.SITE_URL, path)


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe at ``url`` (an unsubscribe_url): mail clients POST
    ``List-Unsubscribe=One-Click`` to it, with no cookie and no CSRF token."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_footer(url: str, kind: str, language: str) -> str:
    """The closing lines of an email of one ``kind``: why it came, and ``url`` to stop it."""
    with translation.override(language):
        return render_to_string("emails/unsubscribe_footer.txt", {
            "kind": KINDS.get(kind, kind), "unsubscribe_url": url,
            "preferences_url": urljoin(settings.SITE_URL, reverse("coordination:notification-preferences")),
        }).strip()


def unsubscribe_read(token: str) -> Unsubscribe:
    """What ``token`` asks (a read: nothing changes). BadUnsubscribeLink for a token that
    does not verify, names no known person, or no kind still registered."""
    try:
        user_id, kinds = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadUnsubscribeLink(_("This unsubscribe link is not valid.")) from exc
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    known = [kind for kind in kinds if isinstance(kind, str) and kind in KINDS] if isinstance(kinds, list) else []
    if user is None or not known:
        raise BadUnsubscribeLink(_("This unsubscribe link is not valid."))
    return Unsubscribe(user=user, kinds=known)


def notification_unsubscribe(*, token: str) -> Unsubscribe:
    """Move the kinds ``token`` names to the app only, for the person it names, who is the
    actor (their own link, from their own mailbox). Idempotent. BadUnsubscribeLink (a
    400) for a bad token, with nothing changed."""
    ask = unsubscribe_read(token)
    _apply(ask.user, dict.fromkeys(ask.kinds, Delivery.IN_APP), record_defaults=True)
    return ask


# --- the daily digest ---------------------------------------------------------------------
#
# Guarantee, as the drain's: each person's digest is claimed by one worker at a time and
# sent at least once, never twice for one day. A short transaction locks the people
# (their user rows, FOR NO KEY UPDATE SKIP LOCKED: a concurrent digest takes others) and
# sets next_attempt_at = now + LEASE on every row it will list, which hides them from any
# other digest (and from the drain, should the person switch back to "at once"). The email
# goes out with no transaction open; the person's rows are then marked sent in one UPDATE,
# so a crash re-sends at most one person's digest, with the same Message-ID (person and
# day). A person who already has digest rows sent today is skipped: a second run the same
# day sends nothing, and what reaches the digest after 07:00 waits for tomorrow's.

DIGEST_TIME = time(7, 0)  # WITA: the beat entry in kpu_polda/celery.py
DIGEST_PEOPLE = 50
DIGEST_ITEMS_PER_KIND = 50  # beyond that, the email says how many more the app lists


@dataclass
class DigestResult:
    """What one digest run did: people claimed, emails sent, people closed without email
    (no address, or switched off), sends failed, and whether rows remain for a later run
    (held by another worker, backing off after a failure, or busy)."""

    people: int = 0
    sent: int = 0
    without_email: int = 0
    failed: int = 0
    waiting: bool = False


def digest_message_id(user_id: int, day: date) -> str:
    return message_id_for(f"digest:{user_id}:{day.isoformat()}")


def _pending(cutoff: datetime, now: datetime, day_start: datetime):
    sent_today = Notification.objects.filter(recipient_id=OuterRef("recipient_id"), delivery=Delivery.DIGEST,
                                             sent_at__gte=day_start)
    return (Notification.objects.filter(delivery=Delivery.DIGEST, sent_at__isnull=True, cancelled_at__isnull=True,
                                        due_at__lte=cutoff)
            .filter(~Exists(sent_today)))


def _claim(pending, now: datetime, after: int, batch: int):
    lease_until = clock.now() + LEASE
    with transaction.atomic():
        free = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        ids = list(free.filter(recipient_id__gt=after).order_by("recipient_id")
                   .values_list("recipient_id", flat=True).distinct()[:batch])
        if not ids:
            return ids, {}, [], lease_until
        people = {user.pk: user for user in User.objects.select_for_update(skip_locked=True, no_key=True, of=("self",))
                  .filter(pk__in=ids).only("id", "email", "is_active", "language")}
        # Read after the lock: a digest that held these people a moment ago has leased or
        # sent their rows by now, and this read sees it.
        rows = list(free.filter(recipient_id__in=list(people)).order_by("recipient_id", "kind", "due_at", "id"))
        for start in range(0, len(rows), KEY_CHUNK):
            Notification.objects.filter(pk__in=[row.pk for row in rows[start:start + KEY_CHUNK]]).update(
                next_attempt_at=lease_until)
    return ids, people, rows, lease_until


def _digest_email(user: User, day: date, rows: list[Notification], connection) -> EmailMessage:
    language = language_of(user)
    kinds = sorted({row.kind for row in rows})
    list_url = urljoin(settings.SITE_URL, reverse("coordination:notification-list"))
    groups = []
    for kind, items in groupby(rows, key=lambda row: row.kind):
        items = list(items)
        groups.append({
            "label": KINDS.get(kind, kind), "more": max(0, len(items) - DIGEST_ITEMS_PER_KIND),
            "items": [{"subject": row.subject, "link": urljoin(settings.SITE_URL, row.url) if row.url else ""}
                      for row in items[:DIGEST_ITEMS_PER_KIND]],
            "more_url": f"{list_url}?{urlencode({'kind': kind})}", "unsubscribe_url": unsubscribe_url(user.pk, [kind]),
        })
    context = {"day": day, "count": len(rows), "groups": groups, "list_url": list_url,
               "preferences_url": urljoin(settings.SITE_URL, reverse("coordination:notification-preferences"))}
    with translation.override(language):
        groups.sort(key=lambda group: str(group["label"]).casefold())  # in the reader's language
        subject = " ".join(render_to_string("emails/digest_subject.txt", context).split())
        body = render_to_string("emails/digest_body.txt", context).strip()
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email], connection=connection,
        headers={"Message-ID": digest_message_id(user.pk, day), "Content-Language": language,
                 "Auto-Submitted": "auto-generated", **unsubscribe_headers(unsubscribe_url(user.pk, kinds))})


def _close(pks: list[int]) -> None:
    for start in range(0, len(pks), KEY_CHUNK):
        Notification.objects.filter(pk__in=pks[start:start + KEY_CHUNK], sent_at__isnull=True).update(
            sent_at=clock.now(), next_attempt_at=None, last_error="")


def _failed(rows: list[Notification], error: str, lease_until: datetime, result: DigestResult) -> None:
    attempts = max(row.attempts for row in rows) + 1
    now = clock.now()
    if attempts >= MAX_ATTEMPTS:  # given up, as the drain gives up: closed with the error kept
        values = {"sent_at": now, "next_attempt_at": None}
        logger.error("digest of user %s: given up after %s attempts: %s", rows[0].recipient_id, attempts, error)
    else:
        values = {"next_attempt_at": now + min(timedelta(minutes=2 ** (attempts - 1)), BACKOFF_CAP)}
        logger.warning("digest of user %s: attempt %s failed: %s", rows[0].recipient_id, attempts, error)
    result.failed += 1
    Notification.objects.filter(pk__in=[row.pk for row in rows], sent_at__isnull=True,
                                next_attempt_at=lease_until).update(attempts=F("attempts") + 1,
                                                                    last_error=error[:2000], **values)


def _send_batch(people: dict[int, User], rows: list[Notification], day: date, lease_until: datetime,
                result: DigestResult) -> None:
    by_person = {pk: list(items) for pk, items in groupby(rows, key=lambda row: row.recipient_id)}
    reachable = {pk for pk in by_person if people[pk].email and people[pk].is_active}
    _close([row.pk for pk, items in by_person.items() if pk not in reachable for row in items])
    result.without_email += len(by_person) - len(reachable)
    to_send = [(people[pk], items) for pk, items in by_person.items() if pk in reachable]
    if not to_send:
        return
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - no mail server: every person of the batch backs off
        for _user, items in to_send:
            _failed(items, _error_text(exc), lease_until, result)
        return
    try:
        for user, items in to_send:
            if clock.now() >= lease_until - LEASE_MARGIN:
                break  # the rest stay leased until the lease ends; a later run takes them
            try:
                _digest_email(user, day, items, connection).send()
            except Exception as exc:  # noqa: BLE001 - any failure of one send backs that person off
                _failed(items, _error_text(exc), lease_until, result)
            else:
                _close([row.pk for row in items])
                result.sent += 1
    finally:
        connection.close()


def notifications_digest_send(*, day: date | None = None, batch: int = DIGEST_PEOPLE) -> DigestResult:
    """Email each person with digest rows due by 07:00 WITA of ``day`` (default today; now,
    if earlier) one digest in their language: every such row, subject and link, grouped by
    kind, each kind with its unsubscribe link; the rows are then marked sent.

    Safe with several workers at once, after a crash and when run again the same day (see
    the guarantee above): nobody gets two digests for one day. People without an address
    or switched off have their rows closed without email. A fixed number of queries per
    ``batch`` people, plus one UPDATE per person sent. A failed send backs off as the
    drain's do; ``waiting`` says a later run has rows to take.
    """
    now = clock.now()
    day = day or clock.today()
    day_start = timezone.make_aware(datetime.combine(day, time.min))
    cutoff = min(now, timezone.make_aware(datetime.combine(day, DIGEST_TIME)))
    pending = _pending(cutoff, now, day_start)
    result = DigestResult()
    after = 0
    while True:
        ids, people, rows, lease_until = _claim(pending, now, after, batch)
        if not ids:
            break
        after = ids[-1]  # people held by another worker are passed over: it sends theirs
        result.people += len(people)
        if rows:
            _send_batch(people, rows, day, lease_until, result)
        if len(ids) < batch:
            break
    result.waiting = pending.exists()
    return result
