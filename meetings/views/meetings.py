from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kpu_polda.base import clock

from .. import ics, policies, selectors
from ..choices import Response
from ..forms import PostponeForm, ReasonForm

LIST_SIZE = 100
REPLIES = [(value, label) for value, label in Response.choices if value != Response.PENDING]


@login_required
def meeting_list(request):
    """The meetings in the user's scope: the ones to come, then the latest held."""
    now = clock.now()
    meetings = selectors.meetings_for(request.user)
    upcoming = list(selectors.upcoming_meetings(request.user)[:LIST_SIZE])
    past = list(meetings.exclude(pk__in=[m.pk for m in upcoming]).filter(starts_at__lt=now)
                .order_by("-starts_at")[:LIST_SIZE])
    return render(request, "meetings/meeting_list.html", {"upcoming": upcoming, "past": past,
                                                          "can_schedule": policies.acts(request.user)})


def detail_context(request, meeting) -> dict:
    """What the meeting's page shows: the meeting, what the user may do there, and the
    step forms (empty, or bound with their errors by the step view)."""
    user = request.user
    mine = [inv for inv in meeting.invitations.all() if policies.may_reply(user, inv)]
    return {"meeting": meeting, "can_organise": policies.can_organise(user, meeting),
            "can_write_minutes": policies.can_write_minutes(user, meeting),
            "my_invitation": mine[0] if mine else None, "replies": REPLIES,
            "cancel_form": ReasonForm(), "postpone_form": PostponeForm()}


@login_required
def meeting_detail(request, pk):
    return render(request, "meetings/meeting_detail.html",
                  detail_context(request, selectors.meeting_get(request.user, pk)))


@login_required
def meeting_ics(request, pk):
    meeting = selectors.meeting_get(request.user, pk)
    response = HttpResponse(ics.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
    return response
