"""The reply link of the reminder email: works without signing in, for the one invitee
it names, until the meeting starts."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kpu_polda.base.exceptions import Conflict

from .. import services
from ..choices import Response

CHOICES = [(value, label) for value, label in Response.choices if value != Response.PENDING]


@never_cache
def rsvp(request, token):
    """GET shows the meeting and the three replies; POST records one. A forged or damaged
    link is 400, an expired one (or a meeting begun) 410; nothing is saved either way."""
    try:
        invitation, person = services.rsvp_read(token)
    except services.RsvpLinkError as exc:
        return render(request, "meetings/rsvp.html", {"error": str(exc)}, status=410 if exc.expired else 400)
    context = {"invitation": invitation, "meeting": invitation.meeting, "person": person, "choices": CHOICES}
    if request.method == "POST":
        try:
            invitation = services.invitation_reply(actor=person, invitation=invitation,
                                                   response=request.POST.get("response", ""),
                                                   note=request.POST.get("note", ""))
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "meetings/rsvp.html", context, status=400)
        except Conflict as exc:
            context["error"] = str(exc)
            return render(request, "meetings/rsvp.html", context, status=410)
        context.update(invitation=invitation, saved=_("Thank you: your reply is recorded."))
    return render(request, "meetings/rsvp.html", context)
