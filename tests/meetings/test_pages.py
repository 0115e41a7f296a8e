"""The meetings pages: scheduling, the organisers' steps, replies, attendance, minutes,
the calendar, the follow-up lists and the personal feed."""

from datetime import date

import icalendar
import pytest

from kpu_polda.base import clock
from meetings import services
from meetings.models import Meeting, MeetingSeries, Minutes

from .conftest import wita

pytestmark = pytest.mark.django_db


def logged(client, user):
    client.force_login(user)
    return client


def test_kpu_schedules_a_monthly_series_from_the_page(now, client, personas, agencies, meeting_clause):
    page = logged(client, personas["province_staff"])
    assert page.get("/meetings/series/new/").status_code == 200
    response = page.post("/meetings/series/new/", {
        "title": "Rapat evaluasi bulanan", "kind": "evaluation", "rrule": "FREQ=MONTHLY;BYDAY=1MO;COUNT=12",
        "first_start": "2024-03-04T09:00", "duration_minutes": "120", "place": "Aula KPU Provinsi",
        "organiser": agencies["kpu"].pk, "co_organiser": agencies["polda"].pk,
        "invited_agencies": [agencies["kpu"].pk, agencies["polda"].pk], "reminder_offsets": ["4320", "1440", "120"]})
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.meetings.count() == 3 and series.reminder_offsets == [4320, 1440, 120]


@pytest.mark.parametrize(("changes", "field"), [
    ({"rrule": "FREQ=MONTHLY;BYDAY=1MO"}, "rrule"),
    ({"rrule": "FREQ=MINUTELY;COUNT=9999"}, "rrule"),
    ({"place": ""}, "place"),
    ({"first_start": "kemarin"}, "first_start"),
])
def test_a_bad_series_is_refused_on_the_form_with_the_input_kept(now, client, personas, agencies, changes, field):
    data = {"title": "Rakor", "kind": "coordination", "rrule": "FREQ=WEEKLY;COUNT=4", "first_start": "2024-03-04T09:00",
            "duration_minutes": "120", "place": "Aula", "organiser": agencies["kpu"].pk, **changes}
    response = logged(client, personas["province_staff"]).post("/meetings/series/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'value="Rakor"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_meeting_evaluates_the_stages_chosen_on_the_form(now, client, personas, agencies, election):
    from tests.factories import stage

    phase = stage(election, "4", date(2024, 1, 1), date(2024, 2, 10), name="Distribusi logistik")
    response = logged(client, personas["province_police"]).post("/meetings/new/", {
        "title": "Rakor distribusi", "kind": "coordination", "starts_at": "2024-02-20T09:00",
        "ends_at": "2024-02-20T11:00", "place": "Mapolda", "organiser": agencies["polda"].pk, "stages": [phase.pk]})
    assert response.status_code == 302
    assert list(Meeting.objects.get().stages.all()) == [phase]


def test_a_meeting_ending_before_it_starts_is_a_form_error(now, client, personas, agencies):
    response = logged(client, personas["province_police"]).post("/meetings/new/", {
        "title": "Rakor pengamanan", "kind": "coordination", "starts_at": "2024-02-20T10:00",
        "ends_at": "2024-02-20T09:00", "place": "Mapolda", "organiser": agencies["polda"].pk})
    assert response.status_code == 400 and response.context["form"].errors["ends_at"]
    assert not Meeting.objects.exists()


def test_an_observer_cannot_schedule(client, personas):
    assert logged(client, personas["observer"]).get("/meetings/new/").status_code == 403


def test_the_police_reply_from_the_page_and_the_organiser_postpones(monthly, client, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    police = logged(client, personas["province_police"])
    page = police.get(f"/meetings/{march.pk}/")
    assert 'data-testid="reply-form"' in page.content.decode()
    invitation = page.context["my_invitation"]
    assert police.post(f"/meetings/{march.pk}/invitations/{invitation.pk}/reply/",
                       {"response": "attending"}).status_code == 302
    assert march.invitations.get(pk=invitation.pk).response == "attending"
    bad = police.post(f"/meetings/{march.pk}/step/postpone/", {"starts_at": "2024-03-06T09:00",
                                                               "ends_at": "2024-03-06T08:00", "reason": "Pleno"})
    assert bad.status_code == 400 and bad.context["postpone_form"].errors
    good = police.post(f"/meetings/{march.pk}/step/postpone/", {"starts_at": "2024-03-06T09:00",
                                                                "ends_at": "2024-03-06T11:00", "reason": "Pleno"})
    assert good.status_code == 302
    assert Meeting.objects.get(pk=march.pk).starts_at == wita(2024, 3, 6)


def test_a_samarinda_office_does_not_find_the_provinces_meeting(monthly, client, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    page = logged(client, personas["samarinda_operator"])
    assert page.get(f"/meetings/{march.pk}/").status_code == 404
    assert page.post(f"/meetings/{march.pk}/step/cancel/", {"reason": "x"}).status_code == 404
    assert march.title not in page.get("/meetings/").content.decode()


def test_minutes_written_and_approved_by_both_through_the_pages(monthly, client, personas, agencies):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    staff = logged(client, personas["province_staff"])
    with clock.travel_to(wita(2024, 3, 4, 11)):
        assert staff.post(f"/meetings/{march.pk}/step/hold/").status_code == 302
        assert staff.post(f"/meetings/{march.pk}/minutes/", {"action": "start"}).status_code == 302
        form = {"action": "save", "chair_name": "Ketua KPU Provinsi", "opening": "Dibuka 09.05 WITA",
                "decisions": "Tim berangkat H-1.", "closing": "",
                "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0", "entries-0-topic": "Verifikasi faktual",
                "entries-0-speaker": "Kabag Ops", "entries-0-discussion": "Jarak ke Long Apari.",
                "obstacles-TOTAL_FORMS": "1", "obstacles-INITIAL_FORMS": "0",
                "obstacles-0-description": "Jarak tempuh", "obstacles-0-proposed_solution": "Berangkat H-1"}
        assert staff.post(f"/meetings/{march.pk}/minutes/", form).status_code == 302
        assert staff.post(f"/meetings/{march.pk}/minutes/", {"action": "submit"}).status_code == 302
        assert staff.post(f"/meetings/{march.pk}/minutes/", {"action": "approve"}).status_code == 302
        twice = staff.post(f"/meetings/{march.pk}/minutes/", {"action": "approve"})
        assert twice.status_code == 409
        police = logged(client, personas["province_police"])
        assert police.post(f"/meetings/{march.pk}/minutes/", {"action": "approve"}).status_code == 302
        minutes = Minutes.objects.get(meeting=march)
        assert minutes.is_locked and minutes.obstacles.get().proposed_solution == "Berangkat H-1"
        staff = logged(client, personas["province_staff"])
        locked = staff.post(f"/meetings/{march.pk}/minutes/", {**form, "decisions": "Lain"})
        assert locked.status_code == 409
        assert Minutes.objects.get(pk=minutes.pk).decisions == "Tim berangkat H-1."
        amended = staff.post(f"/meetings/{march.pk}/minutes/", {"action": "amend", "part": "decisions",
                                                                "text": "Tim berangkat H-2.", "reason": "Koreksi"})
        assert amended.status_code == 302 and minutes.amendments.get().after == "Tim berangkat H-2."


def test_attendance_is_taken_once_the_meeting_started(monthly, client, personas, agencies):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    staff = logged(client, personas["province_staff"])
    rows = {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-0-agency": agencies["polda"].pk,
            "rows-0-name": "AKBP Rahmat", "rows-0-position": "Kabag Ops", "rows-0-present": "on",
            "rows-1-agency": agencies["kpu"].pk, "rows-1-name": "Siti", "rows-1-position": "Kasubbag"}
    early = staff.post(f"/meetings/{march.pk}/attendance/", rows)
    assert early.status_code == 409 and not march.attendance.exists()
    with clock.travel_to(wita(2024, 3, 4, 10)):
        assert staff.post(f"/meetings/{march.pk}/attendance/", rows).status_code == 302
    assert sorted(march.attendance.values_list("name", "present")) == [("AKBP Rahmat", True), ("Siti", False)]


def test_the_calendar_and_the_follow_up_lists(monthly, client, personas, agencies):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    with clock.travel_to(wita(2024, 3, 4, 11)):
        services.meeting_hold(actor=personas["province_staff"], meeting=march)
        services.action_item_create(actor=personas["province_staff"], meeting=march, title="Jadwal ulang verfak",
                                    owner_agency=agencies["polda"], due_on=date(2024, 3, 20))
    police = logged(client, personas["province_police"])
    page = police.get("/meetings/calendar/?month=2024-03").content.decode()
    assert "Jadwal ulang verfak" in page and march.title in page
    assert police.get("/meetings/calendar/?month=garbage").status_code == 200
    assert "Jadwal ulang verfak" in police.get("/meetings/follow-ups/").content.decode()
    with clock.travel_to(wita(2024, 3, 25)):
        overdue = police.get("/meetings/follow-ups/overdue/").content.decode()
    assert 'data-testid="overdue-polda-kaltim"' in overdue


def test_the_personal_feed_parses_as_a_calendar_and_stops_when_revoked(monthly, client, personas, agencies):
    police = logged(client, personas["province_police"])
    assert police.post("/meetings/feed/change/", {"action": "create"}).status_code == 302
    page = police.get("/meetings/feed/")
    url = page.context["key"]
    assert url
    client.logout()
    response = client.get(f"/meetings/feed/{url}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 3 and {str(e["summary"]) for e in events} == {monthly.title}
    assert all(str(e["url"]).startswith("http") for e in events)
    logged(client, personas["province_police"]).post("/meetings/feed/change/", {"action": "revoke"})
    client.logout()
    assert client.get(f"/meetings/feed/{url}.ics").status_code == 404
    assert client.get("/meetings/feed/forged-key.ics").status_code == 404


def test_the_organisers_edit_the_agenda_nested_and_in_order(monthly, client, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    staff = logged(client, personas["province_staff"])
    for title in ("Pembukaan", "Evaluasi distribusi logistik"):
        response = staff.post(f"/meetings/{march.pk}/agenda/", {"title": title, "duration_minutes": "15"})
        assert response.status_code == 302
    main = march.agenda.get(title="Evaluasi distribusi logistik")
    assert staff.post(f"/meetings/{march.pk}/agenda/", {"title": "Mahakam Ulu", "parent": main.pk,
                                                        "presenter": "Polres Mahulu"}).status_code == 302
    assert staff.post(f"/meetings/{march.pk}/agenda/", {"action": "up", "item": main.pk}).status_code == 302
    tops = list(march.agenda.filter(parent=None).order_by("position").values_list("title", flat=True))
    assert tops == ["Evaluasi distribusi logistik", "Pembukaan"]
    assert march.agenda.get(title="Mahakam Ulu").parent == main
    bad = staff.post(f"/meetings/{march.pk}/agenda/", {"title": " "})
    assert bad.status_code == 400
    assert logged(client, personas["observer"]).post(f"/meetings/{march.pk}/agenda/",
                                                     {"title": "x"}).status_code == 403
    assert march.agenda.count() == 3


def test_a_follow_up_recorded_moved_and_noted_from_the_pages(monthly, client, personas, agencies):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    staff = logged(client, personas["province_staff"])
    response = staff.post(f"/meetings/{march.pk}/follow-ups/new/", {
        "title": "Kapal cadangan ke Long Apari", "owner_agency": agencies["polda"].pk, "due_on": "2024-03-20"})
    assert response.status_code == 302
    action = march.action_items.get()
    police = logged(client, personas["province_police"])
    assert police.post(f"/meetings/follow-ups/{action.pk}/", {"action": "progress",
                                                              "note": "Kapal disewa"}).status_code == 302
    dropped = police.post(f"/meetings/follow-ups/{action.pk}/", {"action": "move", "to_status": "dropped"})
    assert dropped.status_code == 400 and dropped.context["move_form"].errors
    assert police.post(f"/meetings/follow-ups/{action.pk}/", {"action": "move",
                                                              "to_status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.progress.get().note == "Kapal disewa"
    other = logged(client, personas["samarinda_operator"])
    assert other.get(f"/meetings/follow-ups/{action.pk}/").status_code == 404
