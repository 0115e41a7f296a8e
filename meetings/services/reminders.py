"""What the meetings app tells people, always through the one outbox: reminders before
each meeting, a notice when it moves or is cancelled. Each is a row planned when the
meeting is scheduled, with a unique key naming the meeting, its schedule version, the
moment and the person; the periodic drain is the only sender (no Celery ETA tasks), so a
reminder whose moment passed while the system was down goes out late, once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordination import services as ground
from coordination.models import User
from kpu_polda.base import clock
from kpu_polda.base.templatetags.moments import moment_text

from ..choices import CANCELLED_KIND, DEFAULT_REMINDER_OFFSETS, MINUTES_DUE_KIND, MOVED_KIND, REMINDER_KIND, MeetingKind
from ..models import Meeting
from ..policies import ACTING_ROLES

MINUTES_DUE_DAYS = 2


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting-detail", args=[meeting.pk])


def invitees_of(meetings: Iterable[Meeting]) -> dict[int, list[tuple[User, int]]]:
    """The people each meeting reminds, each with the invitation they reply on: the named
    invitees, and the acting members of each invited agency (an agency's invitation is for
    its staff). Two queries."""
    from ..models import Invitation

    meetings = list(meetings)
    invitations = list(Invitation.objects.filter(meeting__in=meetings).order_by("person_id", "pk")
                       .values_list("meeting_id", "agency_id", "person_id", "pk"))
    agencies = {agency for _meeting, agency, person, _pk in invitations if person is None}
    people = {person for _meeting, _agency, person, _pk in invitations if person is not None}
    users = {user.pk: user for user in User.objects.filter(
        Q(pk__in=people) | Q(agency_id__in=agencies, role__in=ACTING_ROLES), is_active=True).order_by("pk")}
    members: dict[int, list[int]] = {}
    for user in users.values():
        members.setdefault(user.agency_id, []).append(user.pk)
    result: dict[int, dict[int, tuple[User, int]]] = {meeting.pk: {} for meeting in meetings}
    for meeting_id, agency, person, invitation in invitations:
        ids = [person] if person is not None else members.get(agency, [])
        for pk in ids:
            # A named invitation comes first (ordered so): a person replies on their own.
            if pk in users and pk not in result[meeting_id]:
                result[meeting_id][pk] = (users[pk], invitation)
    return {pk: list(people.values()) for pk, people in result.items()}


def _offset_text(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("in %(count)s hour", "in %(count)s hours", hours) % {"count": hours}
    return ngettext("in %(count)s minute", "in %(count)s minutes", minutes) % {"count": minutes}


def _details(context: Mapping[str, Any]) -> str:
    lines = [
        _("What: %(title)s (%(kind)s)") % {"title": context["title"], "kind": MeetingKind(context["kind"]).label},
        _("When: %(start)s to %(end)s") % {"start": moment_text(context["starts_at"], with_relative=False),
                                            "end": moment_text(context["ends_at"], with_relative=False)},
    ]
    if context["place"]:
        lines.append(_("Where: %(place)s") % {"place": context["place"]})
    if context["online_link"]:
        lines.append(_("Online: %(link)s") % {"link": context["online_link"]})
    return "\n".join(lines)


def _reminder_message(context: Mapping[str, Any]) -> tuple[str, str]:
    when = moment_text(context["starts_at"], with_relative=False)
    subject = _("Meeting reminder: %(title)s, %(when)s") % {"title": context["title"], "when": when}
    body = _("The meeting starts %(offset)s.") % {"offset": _offset_text(context["offset"])}
    attached = _("The calendar entry (.ics) is attached.")
    reply = _("Reply (attending, tentative, declined) without signing in: %(link)s") % {"link": context["rsvp_url"]}
    return subject, f"{body}\n\n{_details(context)}\n\n{reply}\n\n{attached}"


def _moved_message(context: Mapping[str, Any]) -> tuple[str, str]:
    when = moment_text(context["starts_at"], with_relative=False)
    subject = _("Meeting moved: %(title)s, now %(when)s") % {"title": context["title"], "when": when}
    body = _("The meeting was moved to a new time. Reason: %(reason)s") % {"reason": context["reason"]}
    attached = _("The updated calendar entry (.ics) is attached.")
    return subject, f"{body}\n\n{_details(context)}\n\n{attached}"


def _cancelled_message(context: Mapping[str, Any]) -> tuple[str, str]:
    subject = _("Meeting cancelled: %(title)s") % {"title": context["title"]}
    body = _("The meeting was cancelled. Reason: %(reason)s") % {"reason": context["reason"]}
    return subject, f"{body}\n\n{_details(context)}"


def _context(meeting: Meeting, **extra) -> dict[str, Any]:
    return {"title": meeting.title, "kind": meeting.kind, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at,
            "place": meeting.place, "online_link": meeting.online_link, **extra}


def offsets_of(meeting: Meeting) -> list[int]:
    return list(meeting.reminder_offsets or DEFAULT_REMINDER_OFFSETS)


def reminder_key(meeting: Meeting, offset: int, user: User) -> str:
    return f"meeting:{meeting.pk}:v{meeting.schedule_version}:before:{offset}:{user.pk}"


def meeting_reminders_plan(meeting: Meeting, now: datetime | None = None) -> int:
    """Plan a reminder for each invitee at each offset before the start that is still
    ahead, each with the invitee's own reply link, inside the caller's transaction. Idempotent on the keys: planning
    again, or for an invitee added later, writes only what is missing. Returns rows written."""
    from .invitations import rsvp_url

    now = now or clock.now()
    people = invitees_of([meeting])[meeting.pk]
    items = []
    for offset in offsets_of(meeting):
        due = meeting.starts_at - timedelta(minutes=offset)
        if due <= now:
            continue  # "3 days before" makes no sense for a meeting set up tomorrow
        items += [ground.Outgoing(recipient=user, dedupe_key=reminder_key(meeting, offset, user), target=meeting,
                                  url=meeting_url(meeting), due_at=due,
                                  context=_context(meeting, offset=offset, rsvp_url=rsvp_url(invitation, user)))
                  for user, invitation in people]
    written = ground.notification_enqueue_many(kind=REMINDER_KIND, template=_reminder_message, items=items)
    return written + _plan_minutes_due(meeting)


def _minutes_due_message(context: Mapping[str, Any]) -> tuple[str, str]:
    subject = _("Minutes due: %(title)s") % {"title": context["title"]}
    body = _("You are the notulis of %(title)s, held %(when)s. Its minutes are expected within two days of the "
             "meeting.") % {"title": context["title"], "when": moment_text(context["starts_at"], with_relative=False)}
    return subject, body


def _plan_minutes_due(meeting: Meeting) -> int:
    """The notulis is reminded MINUTES_DUE_DAYS after the meeting unless the minutes were
    started by then (minutes_start cancels it)."""
    if meeting.notulis_id is None or not meeting.notulis.is_active:
        return 0
    item = ground.Outgoing(recipient=meeting.notulis, target=meeting, url=meeting_url(meeting),
                           dedupe_key=f"meeting:{meeting.pk}:v{meeting.schedule_version}:minutes-due:{meeting.notulis_id}",
                           due_at=meeting.ends_at + timedelta(days=MINUTES_DUE_DAYS), context=_context(meeting))
    return ground.notification_enqueue_many(kind=MINUTES_DUE_KIND, template=_minutes_due_message, items=[item])


def _tell(meeting: Meeting, kind: str, template, key: str, **extra) -> int:
    people = invitees_of([meeting])[meeting.pk]
    items = [ground.Outgoing(recipient=user, dedupe_key=f"meeting:{meeting.pk}:{key}:{user.pk}", target=meeting,
                             url=meeting_url(meeting), context=_context(meeting, **extra)) for user, _inv in people]
    return ground.notification_enqueue_many(kind=kind, template=template, items=items)


def meeting_reminders_replan(meeting: Meeting, *, reason: str) -> None:
    """The meeting moved (its schedule_version went up): cancel the pending reminders,
    plan them for the new time, and tell the invitees now."""
    ground.notifications_cancel(target=meeting, kinds=[REMINDER_KIND, MOVED_KIND, MINUTES_DUE_KIND])
    meeting_reminders_plan(meeting)
    _tell(meeting, MOVED_KIND, _moved_message, f"v{meeting.schedule_version}:moved", reason=reason, offset=0)


def meeting_reminders_cancel(meeting: Meeting, *, reason: str) -> None:
    """The meeting is off: cancel every pending reminder and tell the invitees now."""
    ground.notifications_cancel(target=meeting, kinds=[REMINDER_KIND, MOVED_KIND, MINUTES_DUE_KIND])
    _tell(meeting, CANCELLED_KIND, _cancelled_message, "cancelled", reason=reason)
