"""Invitations and replies: from the page, or from the signed link in the reminder email,
which works without signing in and expires when the meeting starts."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from coordination.models import Agency, User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError
from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..choices import UPCOMING_STATUSES, Response
from ..models import Invitation, Meeting

RSVP_SALT = "meetings.rsvp"
# A link is refused this long after it was made, even for a meeting further ahead.
RSVP_MAX_AGE = timedelta(days=60)


class RsvpLinkError(DomainError):
    """A reply link that is forged, damaged, too old, or for a meeting already begun."""

    def __init__(self, message: str, *, expired: bool):
        super().__init__(message)
        self.expired = expired


def rsvp_token(invitation_id: int, user: User) -> str:
    return signing.dumps({"i": invitation_id, "u": user.pk}, salt=RSVP_SALT, compress=True)


def rsvp_url(invitation_id: int, user: User) -> str:
    """The absolute reply link for ``user`` on an invitation (theirs or their agency's)."""
    return urljoin(settings.SITE_URL, reverse("meetings:rsvp", args=[rsvp_token(invitation_id, user)]))


def rsvp_read(token: str) -> tuple[Invitation, User]:
    """The invitation and the person a reply link speaks for. RsvpLinkError for a forged
    or damaged link, a link older than RSVP_MAX_AGE, a meeting that has begun or is
    cancelled, or a person who may no longer reply."""
    try:
        data = signing.loads(token, salt=RSVP_SALT, max_age=RSVP_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise RsvpLinkError(_("This reply link has expired. Reply from the meeting's page."), expired=True) from exc
    except signing.BadSignature as exc:
        raise RsvpLinkError(_("This reply link is not valid."), expired=False) from exc
    invitation = (Invitation.objects.select_related("meeting", "meeting__organiser", "agency", "person")
                  .filter(pk=data.get("i")).first())
    user = User.objects.select_related("agency").filter(pk=data.get("u")).first()
    if invitation is None or user is None or not policies.may_reply(user, invitation):
        raise RsvpLinkError(_("This reply link is not valid."), expired=False)
    meeting = invitation.meeting
    if meeting.status not in UPCOMING_STATUSES or meeting.starts_at <= clock.now():
        raise RsvpLinkError(_("This meeting has begun or was cancelled: replies are closed."), expired=True)
    return invitation, user


def invitation_add(*, actor: User, meeting: Meeting, agency: Agency, person: User | None = None) -> Invitation:
    """Invite an agency, or a named person of it, to a meeting still to come (its
    organisers), and plan their reminders. Conflict when already invited."""
    if person is not None and person.agency_id != agency.pk:
        raise ValidationError({"person": [_("The person works for another agency.")]})
    with transaction.atomic():
        locked = one_in_scope(policies.scope_meetings(Meeting.objects.select_for_update(of=("self",)), actor),
                              _("Meeting"), pk=meeting.pk)
        policies.ensure_can_organise(actor, locked)
        if locked.status not in UPCOMING_STATUSES:
            raise Conflict(_("Invitations are sent for a meeting still to come."), code="meeting_over")
        existing = Invitation.objects.filter(meeting=locked, agency=agency, person=person)
        if existing.exists():
            raise Conflict(_("Already invited."), code="already_invited")
        invitation = Invitation(meeting=locked, agency=agency, person=person)
        invitation._history_user = actor
        invitation.save()
        from .reminders import meeting_reminders_plan  # reminders link back here for the reply link

        meeting_reminders_plan(locked)
    return invitation


def invitation_reply(*, actor: User, invitation: Invitation, response: str, note: str = "") -> Invitation:
    """Record the reply (attending, tentative, declined) of the invitee, or for an
    agency's invitation of a member of it, while the meeting is still to come. The last
    reply counts; each is kept in the history."""
    if response not in {Response.ATTENDING, Response.TENTATIVE, Response.DECLINED}:
        raise ValidationError({"response": [_("Reply attending, tentative or declined.")]})
    with transaction.atomic():
        rows = Invitation.objects.select_for_update(of=("self",)).select_related("meeting")
        locked = one_in_scope(policies.scope_meeting_rows(rows, actor), _("Invitation"), pk=invitation.pk)
        policies.ensure_may_reply(actor, locked)
        if locked.meeting.status not in UPCOMING_STATUSES or locked.meeting.starts_at <= clock.now():
            raise Conflict(_("This meeting has begun or was cancelled: replies are closed."), code="replies_closed")
        locked.response, locked.response_note, locked.responded_at = response, note.strip()[:300], clock.now()
        locked._history_user = actor
        locked.save()
    return locked
