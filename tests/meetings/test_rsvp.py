"""Replies to invitations: from the page, or from the signed link in the reminder email."""

import pytest
from django.core import signing

from coordination.models import Notification
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, PermissionDenied
from meetings import services
from meetings.choices import REMINDER_KIND

from .conftest import wita

pytestmark = pytest.mark.django_db


def link_of(meeting, user) -> str:
    body = Notification.objects.filter(target_id=meeting.pk, kind=REMINDER_KIND, recipient=user).first().body
    return next(word for word in body.split() if "/meetings/rsvp/" in word)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_each_reminder_carries_the_invitees_own_link(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    police_link, staff_link = link_of(march, personas["province_police"]), link_of(march, personas["province_staff"])
    assert police_link != staff_link
    invitation, user = services.rsvp_read(token_of(police_link))
    assert user == personas["province_police"] and invitation.agency.code == "polda-kaltim"


def test_a_reply_from_the_link_records_it_for_the_agency(monthly, personas, client):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    token = token_of(link_of(march, personas["province_police"]))
    page = client.get(f"/meetings/rsvp/{token}/")
    assert page.status_code == 200 and march.title in page.content.decode()
    response = client.post(f"/meetings/rsvp/{token}/", {"response": "attending", "note": "Kabag Ops hadir"})
    assert response.status_code == 200
    invitation = march.invitations.get(agency__code="polda-kaltim")
    assert invitation.response == "attending" and invitation.response_note == "Kabag Ops hadir"
    assert invitation.history.first().history_user == personas["province_police"]


def test_forged_damaged_and_expired_links_are_refused_with_nothing_saved(monthly, personas, client):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    token = token_of(link_of(march, personas["province_police"]))
    forged = signing.dumps({"i": march.invitations.first().pk, "u": personas["province_police"].pk}, salt="other")
    for bad in (forged, token[:-3] + "xyz"):
        response = client.post(f"/meetings/rsvp/{bad}/", {"response": "attending"})
        assert response.status_code == 400
    with clock.travel_to(wita(2024, 3, 4, 9, 30)):
        response = client.post(f"/meetings/rsvp/{token}/", {"response": "declined"})
        assert response.status_code == 410
    response = client.post(f"/meetings/rsvp/{token}/", {"response": "maybe"})
    assert response.status_code == 400
    assert set(march.invitations.values_list("response", flat=True)) == {"pending"}


def test_only_the_invitee_replies_and_not_after_the_start(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    invitation = march.invitations.get(agency__code="polda-kaltim")
    with pytest.raises(PermissionDenied):
        services.invitation_reply(actor=personas["province_staff"], invitation=invitation, response="attending")
    with clock.travel_to(wita(2024, 3, 4, 10)), pytest.raises(Conflict):
        services.invitation_reply(actor=personas["province_police"], invitation=invitation, response="attending")
    reply = services.invitation_reply(actor=personas["province_police"], invitation=invitation, response="tentative")
    assert reply.response == "tentative"
