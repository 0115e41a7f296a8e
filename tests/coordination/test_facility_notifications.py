"""Who the outbox tells about bookings, in which language, and what it says: the owner's
active police officers of a new request, the requesting office's writers of the decision
(and of the owner cancelling an approved booking)."""

from coordination.models import Notification
from coordination.services import facilities as services
from coordination.services.notifications import KINDS
from tests.coordination.facility_factories import at, booking, facility
from tests.factories import UserFactory


def notes(kind):
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_both_kinds_are_registered_for_the_preferences_page():
    assert {services.REQUESTED, services.DECIDED} <= set(KINDS)


def test_the_owners_officers_hear_of_a_new_request_in_their_language(tree, agencies, personas):
    personas["province_police"].language = "en"
    personas["province_police"].save(update_fields=["language"])
    UserFactory(username="polda-lama", agency=agencies["polda"], role="police_officer", is_active=False)
    UserFactory(username="polda-pemantau", agency=agencies["polda"], role="observer")
    UserFactory(username="polda-piket", agency=agencies["polda"], role="police_officer", language="id")
    hall = facility(tree, agencies, personas)
    row = booking(hall, agencies, personas, starts=at(2, 9), ends=at(2, 12), purpose="Rapat pleno terbuka",
                  participants=120)
    told = notes(services.REQUESTED)
    assert set(told) == {"province_police", "polda-piket"}  # active officers of the owner only
    english = told["province_police"]
    day = at(2, 9).strftime("%-d %b %Y")
    assert english.subject == f"Booking request from KPU Samarinda: Aula Mapolda Kaltim, {day} 09:00 – {day} 12:00 WITA"
    assert "Rapat pleno terbuka" in english.body and "120" in english.body
    assert english.url == f"/bookings/{row.pk}/" and english.target_id == row.pk
    assert told["polda-piket"].language == "id"


def test_the_requesting_office_hears_of_the_decision(tree, agencies, personas):
    UserFactory(username="kpu-smd-2", agency=agencies["kpu_samarinda"], role="kpu_staff", language="en")
    UserFactory(username="kpu-smd-pemantau", agency=agencies["kpu_samarinda"], role="observer")
    hall = facility(tree, agencies, personas)
    row = booking(hall, agencies, personas)
    services.booking_reject(actor=personas["province_police"], booking=row, reason="Aula dipakai apel siaga")
    told = notes(services.DECIDED)
    assert set(told) == {"samarinda_operator", "kpu-smd-2"}  # writers, not the observer
    assert told["kpu-smd-2"].subject.startswith("Facility booking rejected: Aula Mapolda Kaltim")
    assert "Aula dipakai apel siaga" in told["kpu-smd-2"].body


def test_the_owner_cancelling_an_approved_booking_tells_the_office_and_a_cancelled_request_stops_its_notices(
        tree, agencies, personas):
    hall = facility(tree, agencies, personas)
    approved = booking(hall, agencies, personas, status="approved")
    services.booking_cancel(actor=personas["province_police"], booking=approved, reason="Aula direnovasi")
    decided = Notification.objects.filter(kind=services.DECIDED, target_id=approved.pk)
    assert decided.count() == 2 and any("Aula direnovasi" in n.body for n in decided)  # approved, then cancelled
    waiting = booking(hall, agencies, personas, starts=at(4, 8))
    services.booking_cancel(actor=personas["samarinda_operator"], booking=waiting)
    request_notes = Notification.objects.filter(kind=services.REQUESTED, target_id=waiting.pk)
    assert request_notes.exists() and not request_notes.filter(cancelled_at__isnull=True).exists()
    assert not Notification.objects.filter(kind=services.DECIDED, target_id=waiting.pk).exists()
