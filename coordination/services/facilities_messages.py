"""What the people of a facility booking are told, through the outbox: the owner's police
officers of a new request, the requesting office's writers of the decision. Composed in
each recipient's language when the row is written (coordination.services.notifications)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from coordination import policies
from coordination.choices import BookingStatus, Role
from coordination.models import FacilityBooking, User

from .notifications import Outgoing, notification_enqueue_many


def booking_url(booking: FacilityBooking) -> str:
    return reverse("coordination:booking-detail", args=[booking.pk])


def range_text(starts_at: datetime, ends_at: datetime) -> str:
    """"13 Feb 2024 08:00 – 13 Feb 2024 12:00 WITA": a booking's time as people read it."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{dateformat.format(start, 'j M Y H:i')} – {dateformat.format(end, 'j M Y H:i')} WITA"


def officers_of(agency_id: int, actor: User) -> list[User]:
    """The owner's active police officers, the actor left out (nobody is told what they
    did themselves)."""
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role=Role.POLICE_OFFICER)
                .exclude(pk=actor.pk).order_by("pk"))


def writers_of(agency_id: int, actor: User) -> list[User]:
    """The requesting office's active members with a writer role, the actor left out."""
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role__in=policies.WRITER_ROLES)
                .exclude(pk=actor.pk).order_by("pk"))


def requested_message(context: Mapping[str, Any]) -> tuple[str, str]:
    words = {**context, "range": range_text(context["starts_at"], context["ends_at"])}
    subject = _("Booking request from %(requester)s: %(facility)s, %(range)s") % words
    lines = [_("%(requester)s asks to use %(facility)s from %(range)s.") % words,
             _("Purpose: %(purpose)s") % words]
    if context["participants"]:
        lines.append(_("People expected: %(participants)s") % words)
    lines.append(_("Approve or reject it in the app."))
    return subject, "\n".join(lines)


def decided_message(context: Mapping[str, Any]) -> tuple[str, str]:
    words = {**context, "range": range_text(context["starts_at"], context["ends_at"]),
             "status": str(BookingStatus(context["status"]).label).lower()}
    subject = _("Facility booking %(status)s: %(facility)s, %(range)s") % words
    lines = [_("%(owner)s: your office's booking of %(facility)s from %(range)s is now %(status)s.") % words]
    if context["note"]:
        lines.append(_("Note: %(note)s") % words)
    return subject, "\n".join(lines)


def notify(kind: str, booking: FacilityBooking, people: list[User], composer, reason: str = "") -> int:
    """Write ``kind`` for ``people`` about ``booking`` (one row each, keyed by the booking's
    status so a later move is told again, a retry never twice)."""
    # Codes and moments, not words: the composer writes them in the recipient's language.
    context = {"facility": booking.facility.name, "owner": booking.facility.owner.short_name,
               "requester": booking.requester.short_name, "starts_at": booking.starts_at, "ends_at": booking.ends_at,
               "purpose": booking.purpose, "participants": booking.participants, "status": booking.status,
               "note": reason or booking.decision_note}
    url = booking_url(booking)
    items = [Outgoing(recipient=user, dedupe_key=f"{kind}:{booking.pk}:{booking.status}:{user.pk}", context=context,
                      target=booking, url=url) for user in people]
    return notification_enqueue_many(kind=kind, template=composer, items=items)
