"""The meetings API: a monthly series from its creation to locked minutes and a follow-up
on the next agenda; the steps, invitations, attendance and follow-ups; bad input answered
400/409 with nothing saved; and the region scope (out of scope reads as 404)."""

from datetime import timedelta

import pytest

from coordination.models import Notification
from kpu_polda.base import clock
from meetings.choices import REMINDER_KIND
from meetings.models import ActionItem, Attendance, Invitation, Meeting, MeetingSeries, Minutes

from .conftest import NOW, wita

pytestmark = pytest.mark.django_db

SERIES = {
    "title": "Rapat evaluasi bulanan KPU-Polda Kaltim", "kind": "evaluation",
    "rrule": "FREQ=MONTHLY;BYDAY=1MO;COUNT=12", "first_start": "2024-03-04T09:00:00+08:00",
    "organiser": "kpu-kaltim", "co_organiser": "polda-kaltim",
    "place": "Aula KPU Provinsi Kalimantan Timur, Samarinda", "invited_agencies": ["kpu-kaltim", "polda-kaltim"],
}


def one_off(**extra):
    """A Samarinda meeting two days ahead, by KPU Samarinda with Polresta."""
    start = NOW + timedelta(days=2)
    return {"title": "Rakor logistik Samarinda", "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(), "organiser": "kpu-samarinda",
            "co_organiser": "polres-samarinda", "place": "Kantor KPU Kota Samarinda",
            "invited_agencies": ["polres-samarinda"], **extra}


@pytest.fixture
def clients(api_for, personas):
    return {name: api_for(user) for name, user in personas.items()}


@pytest.fixture
def series(clients, now):
    created = clients["province_staff"].post("/api/v1/meeting-series/", SERIES, format="json")
    assert created.status_code == 201, created.json()
    return created.json()


@pytest.fixture
def samarinda(clients, now):
    created = clients["samarinda_operator"].post("/api/v1/meetings/", one_off(), format="json")
    assert created.status_code == 201, created.json()
    return created.json()


def meetings_of(client, series):
    """The series' meetings as ``client`` lists them, by start."""
    return client.get(f"/api/v1/meetings/?series={series['id']}").json()["results"]


def test_a_monthly_series_from_creation_to_a_follow_up_on_the_next_agenda(clients, series, personas):
    kpu, police = clients["province_staff"], clients["province_police"]
    assert series["area"] == "64" and series["created_by"] == "province_staff"
    assert series["reminder_offsets"] == [4320, 1440, 120]
    meetings = meetings_of(kpu, series)
    # Created ahead up to the 92-day horizon: March, April and May, each with reminders planned.
    assert [m["starts_at"] for m in meetings] == ["2024-03-04T09:00:00+08:00", "2024-04-01T09:00:00+08:00",
                                                  "2024-05-06T09:00:00+08:00"]
    march, april = meetings[0], meetings[1]
    assert {i["agency"] for i in march["invitations"]} == {"kpu-kaltim", "polda-kaltim"}
    planned = Notification.objects.filter(kind=REMINDER_KIND, target_id=march["id"], cancelled_at=None)
    assert planned.filter(recipient=personas["province_police"]).count() == 3

    invitation = next(i for i in march["invitations"] if i["agency"] == "polda-kaltim")
    reply = police.post(f"/api/v1/meeting-invitations/{invitation['id']}/reply/",
                        {"response": "attending", "note": "Hadir: Kabag Ops"}, format="json")
    assert reply.status_code == 200, reply.json()
    assert reply.json()["response"] == "attending" and reply.json()["response_note"] == "Hadir: Kabag Ops"

    url = f"/api/v1/meetings/{march['id']}/"
    assert kpu.post(url + "hold/", format="json").json()["code"] == "not_started"
    with clock.travel_to(wita(2024, 3, 4, 11)):
        held = kpu.post(url + "hold/", format="json")
        assert held.status_code == 200 and held.json()["status"] == "held"
        started = kpu.post(url + "minutes/", {"chair_name": "Ketua KPU Provinsi"}, format="json")
        assert started.status_code == 201, started.json()
        assert started.json()["notulis"] == "province_staff" and not started.json()["is_locked"]
        written = kpu.patch(url + "minutes/", {
            "opening": "Rapat dibuka pukul 09.05 WITA.", "decisions": "Pengawalan dijadwalkan ulang.",
            "entries": [{"topic": "Verifikasi faktual", "speaker": "Kabag Ops Polda",
                         "discussion": "Jarak tempuh ke Long Apari 6-7 jam lewat sungai."}],
            "obstacles": [{"description": "Jarak tempuh ke desa terpencil",
                           "proposed_solution": "Tim berangkat H-1 dengan pengawalan Polres"}]}, format="json")
        assert written.status_code == 200, written.json()
        assert [o["description"] for o in written.json()["obstacles"]] == ["Jarak tempuh ke desa terpencil"]
        assert written.json()["entries"][0]["topic"] == "Verifikasi faktual"
        submitted = kpu.post(url + "minutes/submit/", format="json")
        assert submitted.status_code == 200 and submitted.json()["submitted_at"]

        approved = kpu.post(url + "minutes/approve/", format="json").json()
        assert approved["kpu_approved_by"] == "province_staff" and not approved["is_locked"]
        twice = clients["secretariat"].post(url + "minutes/approve/", format="json")
        assert twice.status_code == 409 and twice.json()["code"] == "already_approved"
        locked = police.post(url + "minutes/approve/", format="json").json()
        assert locked["police_approved_by"] == "province_police" and locked["is_locked"]

        edit = kpu.patch(url + "minutes/", {"decisions": "Diubah"}, format="json")
        assert edit.status_code == 409 and edit.json()["code"] == "minutes_locked"
        assert Minutes.objects.get(meeting_id=march["id"]).decisions == "Pengawalan dijadwalkan ulang."

        follow_up = kpu.post("/api/v1/action-items/", {
            "meeting": march["id"], "title": "Petakan jalur distribusi rawan banjir", "owner_agency": "polda-kaltim",
            "due_on": "2024-03-20"}, format="json")
        assert follow_up.status_code == 201, follow_up.json()
        assert follow_up.json()["status"] == "open" and follow_up.json()["area"] == "64"

        agenda = kpu.get(f"/api/v1/meetings/{april['id']}/agenda/").json()["results"]
        assert [(a["source"], a["action_item"]) for a in agenda] == [("action_item", follow_up.json()["id"])]
        assert police.get(url + "minutes/").json()["is_locked"] is True


def test_another_region_does_not_find_the_provinces_meeting(clients, series):
    march = meetings_of(clients["province_staff"], series)[0]
    operator = clients["samarinda_operator"]
    url = f"/api/v1/meetings/{march['id']}/"
    series_url = f"/api/v1/meeting-series/{series['id']}/"
    for path in (url, url + "agenda/", url + "attendance/", url + "minutes/", series_url):
        answer = operator.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", path
    assert operator.post(url + "cancel/", {"reason": "x"}, format="json").status_code == 404
    assert operator.patch(url, {"place": "Di tempat lain"}, format="json").status_code == 404
    assert operator.post(url + "minutes/approve/", format="json").status_code == 404
    for path in ("/api/v1/meetings/", "/api/v1/meeting-series/", "/api/v1/meeting-invitations/",
                 "/api/v1/action-items/"):
        assert operator.get(path).json()["count"] == 0, path
    invitation = march["invitations"][0]["id"]
    reply = operator.post(f"/api/v1/meeting-invitations/{invitation}/reply/", {"response": "declined"}, format="json")
    assert reply.status_code == 404
    # The meeting's id in a body reads as missing, not as someone else's.
    follow_up = operator.post("/api/v1/action-items/", {"meeting": march["id"], "title": "x",
                                                        "owner_agency": "kpu-samarinda", "due_on": "2024-03-20"},
                              format="json")
    assert follow_up.status_code == 400 and follow_up.json()["errors"].keys() == {"meeting"}


@pytest.mark.parametrize(("change", "field"), [
    ({"rrule": "FREQ=MONTHLY;BYDAY=1MO"}, "rrule"),  # never ends
    ({"rrule": "FREQ=HOURLY;COUNT=500"}, "rrule"),
    ({"rrule": "not a rule"}, "rrule"),
    # Rules dateutil parses and refuses only while walking them.
    ({"rrule": "FREQ=MINUTELY;BYSECOND=70;COUNT=2"}, "rrule"),
    ({"rrule": "FREQ=MONTHLY;BYDAY=+60MO;COUNT=2"}, "rrule"),
    ({"first_start": "1800-03-04T09:00:00+08:00"}, "first_start"),
    ({"duration_minutes": "two hours"}, "duration_minutes"),
    ({"horizon_days": 4000}, "horizon_days"),
    ({"organiser": "kpu-nowhere"}, "organiser"),
    ({"invited_agencies": "kpu-kaltim"}, "invited_agencies"),
    ({"reminder_offsets": [1]}, "reminder_offsets"),
    ({"place": "", "online_link": ""}, "place"),
    ({"colour": "blue"}, "colour"),  # an unknown field
    ({"active": False}, "active"),  # read-only
])
def test_bad_series_input_is_a_field_error_and_saves_nothing(clients, now, change, field):
    answer = clients["province_staff"].post("/api/v1/meeting-series/", {**SERIES, **change}, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["errors"], answer.json()
    assert MeetingSeries.objects.count() == 0 and Meeting.objects.count() == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"ends_at": (NOW + timedelta(days=1)).isoformat()}, "ends_at"),  # ends before it starts
    ({"starts_at": "tomorrow"}, "starts_at"),
    ({"starts_at": "2300-01-01T09:00:00+08:00"}, "starts_at"),
    ({"stages": [99999999999999999999]}, "stages"),
    ({"invited_people": ["nobody"]}, "invited_people"),
    ({"status": "held"}, "status"),
])
def test_bad_meeting_input_is_a_field_error_and_saves_nothing(clients, now, change, field):
    answer = clients["samarinda_operator"].post("/api/v1/meetings/", one_off(**change), format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()["errors"], answer.json()
    assert Meeting.objects.count() == 0 and Notification.objects.count() == 0


def test_a_body_that_is_not_an_object_and_bad_ids_are_refused(clients, samarinda):
    operator = clients["samarinda_operator"]
    assert operator.post("/api/v1/meetings/", [1, 2], format="json").status_code == 400
    assert operator.get("/api/v1/meetings/abc/").status_code == 404
    assert operator.post("/api/v1/meetings/abc/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert operator.get("/api/v1/meetings/99999999999999999999/").status_code in {400, 404}
    assert operator.post("/api/v1/meetings/99999999999999999999/hold/", format="json").status_code in {400, 404}
    body = operator.post(f"/api/v1/meetings/{samarinda['id']}/hold/", {"now": True}, format="json")
    assert body.status_code == 400 and "now" in body.json()["errors"]
    assert operator.get("/api/v1/meetings/?series=abc").status_code == 400
    assert operator.get("/api/v1/meetings/?starts_from=31-02-2024").status_code == 400


def test_organisers_edit_postpone_and_cancel_a_meeting_still_to_come(clients, samarinda, personas):
    operator, police = clients["samarinda_operator"], clients["samarinda_police"]
    url = f"/api/v1/meetings/{samarinda['id']}/"
    assert samarinda["status"] == "scheduled" and samarinda["area"] == "64.72"
    changed = police.patch(url, {"place": "Aula Polresta Samarinda", "notulis": "samarinda_police"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["place"] == "Aula Polresta Samarinda" and changed.json()["notulis"] == "samarinda_police"
    not_editable = operator.patch(url, {"starts_at": (NOW + timedelta(days=3)).isoformat()}, format="json")
    assert not_editable.status_code == 400 and "starts_at" in not_editable.json()["errors"]
    assert clients["observer"].patch(url, {"place": "x"}, format="json").status_code == 403
    # Changed with PATCH only (the attendance's PUT is its own route).
    assert operator.put(url, {"place": "x"}, format="json").status_code == 405

    start = NOW + timedelta(days=9)
    moved = operator.post(url + "postpone/", {"starts_at": start.isoformat(),
                                              "ends_at": (start + timedelta(hours=2)).isoformat(),
                                              "reason": "Bertepatan dengan apel"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == "postponed" and moved.json()["schedule_version"] == 2
    backwards = operator.post(url + "postpone/", {"starts_at": start.isoformat(), "ends_at": start.isoformat(),
                                                  "reason": "x"}, format="json")
    assert backwards.status_code == 400 and "ends_at" in backwards.json()["errors"]
    assert operator.post(url + "cancel/", {}, format="json").json()["errors"].keys() == {"reason"}
    cancelled = operator.post(url + "cancel/", {"reason": "Diganti rapat gabungan"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = operator.post(url + "cancel/", {"reason": "lagi"}, format="json")
    assert again.status_code == 409 and Meeting.objects.get(pk=samarinda["id"]).status == "cancelled"


def test_invitations_are_added_listed_and_answered(clients, samarinda, personas):
    operator = clients["samarinda_operator"]
    url = f"/api/v1/meetings/{samarinda['id']}/invite/"
    added = operator.post(url, {"agency": "polda-kaltim", "person": "province_police"}, format="json")
    assert added.status_code == 201, added.json()
    assert added.json()["person"] == "province_police" and added.json()["response"] == "pending"
    twice = operator.post(url, {"agency": "polda-kaltim", "person": "province_police"}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_invited"
    other = operator.post(url, {"agency": "kpu-kaltim", "person": "province_police"}, format="json")
    assert other.status_code == 400 and "person" in other.json()["errors"]
    assert clients["samarinda_police"].post(url, {"agency": "bawaslu-kaltim"}, format="json").status_code == 201

    # The invited person now sees the Samarinda meeting and replies; no one else may.
    mine = clients["province_police"].get(f"/api/v1/meeting-invitations/?meeting={samarinda['id']}&response=pending")
    assert mine.json()["count"] == 3
    reply_url = f"/api/v1/meeting-invitations/{added.json()['id']}/reply/"
    assert clients["samarinda_police"].post(reply_url, {"response": "attending"}, format="json").status_code == 403
    assert clients["province_police"].post(reply_url, {"response": "pending"}, format="json").status_code == 400
    replied = clients["province_police"].post(reply_url, {"response": "tentative"}, format="json")
    assert replied.status_code == 200 and replied.json()["response"] == "tentative"
    assert Invitation.objects.get(pk=added.json()["id"]).response == "tentative"


def test_attendance_is_recorded_once_the_meeting_has_started(clients, samarinda):
    operator = clients["samarinda_operator"]
    url = f"/api/v1/meetings/{samarinda['id']}/attendance/"
    rows = {"rows": [{"agency": "polres-samarinda", "person": "samarinda_police", "position": "Kasat Intelkam"},
                     {"agency": "kpu-samarinda", "name": "Siti Rahma", "position": "Kasubbag", "present": False}]}
    early = operator.put(url, rows, format="json")
    assert early.status_code == 409 and early.json()["code"] == "not_started"
    with clock.travel_to(NOW + timedelta(days=2, minutes=5)):
        wrong = operator.put(url, {"rows": [{"agency": "kpu-samarinda", "person": "samarinda_police"}]},
                             format="json")
        assert wrong.status_code == 400 and "rows[0].person" in wrong.json()["errors"]
        assert operator.put(url, {"rows": "all"}, format="json").status_code == 400
        twice = operator.put(url, {"rows": [{"agency": "polres-samarinda", "person": "samarinda_police", "name": n}
                                            for n in ("Budi", "Budi S.")]}, format="json")
        assert twice.status_code == 400 and "rows" in twice.json()["errors"]
        assert clients["observer"].put(url, rows, format="json").status_code == 403
        recorded = operator.put(url, rows, format="json")
        assert recorded.status_code == 200, recorded.json()
        rows = {(r["agency"], r["person"], r["present"]) for r in recorded.json()["results"]}
        assert rows == {("kpu-samarinda", None, False), ("polres-samarinda", "samarinda_police", True)}
    assert clients["samarinda_police"].get(url).json()["count"] == 2 == Attendance.objects.count()


def test_locked_minutes_are_amended_with_a_reason(clients, series):
    march = meetings_of(clients["province_staff"], series)[0]
    url = f"/api/v1/meetings/{march['id']}/"
    kpu = clients["province_staff"]
    assert kpu.patch(url + "minutes/", {"decisions": "x"}, format="json").json()["code"] == "no_minutes"
    with clock.travel_to(wita(2024, 3, 4, 11)):
        assert kpu.post(url + "minutes/", format="json").json()["code"] == "not_held"
        kpu.post(url + "hold/", format="json")
        kpu.post(url + "minutes/", format="json")
        assert kpu.post(url + "minutes/", format="json").json()["code"] == "minutes_exist"
        open_amend = kpu.post(url + "minutes/amend/", {"reason": "x", "decisions": "y"}, format="json")
        assert open_amend.status_code == 409 and open_amend.json()["code"] == "minutes_open"
        unknown_entry = kpu.patch(url + "minutes/", {"entries": [{"topic": "x", "discussion": "y",
                                                                  "agenda_item": 99999}]}, format="json")
        assert unknown_entry.status_code == 400 and "entries" in unknown_entry.json()["errors"]
        kpu.patch(url + "minutes/", {"decisions": "Dikawal mulai H-7."}, format="json")
        kpu.post(url + "minutes/submit/", format="json")
        kpu.post(url + "minutes/approve/", format="json")
        clients["province_police"].post(url + "minutes/approve/", format="json")
        no_reason = kpu.post(url + "minutes/amend/", {"decisions": "Dikawal mulai H-5."}, format="json")
        assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
        amended = kpu.post(url + "minutes/amend/", {"reason": "Salah ketik", "decisions": "Dikawal mulai H-5."},
                           format="json")
    assert amended.status_code == 200, amended.json()
    assert amended.json()["decisions"] == "Dikawal mulai H-5."
    assert [(a["field"], a["before"], a["made_by"]) for a in amended.json()["amendments"]] == [
        ("decisions", "Dikawal mulai H-7.", "province_staff")]


def test_follow_ups_are_moved_noted_and_filtered(clients, samarinda):
    operator, police = clients["samarinda_operator"], clients["samarinda_police"]
    body = {"meeting": samarinda["id"], "title": "Siapkan rute alternatif", "owner_agency": "polres-samarinda",
            "owner": "samarinda_police", "due_on": "2024-02-10"}
    created = operator.post("/api/v1/action-items/", body, format="json")
    assert created.status_code == 201, created.json()
    assert police.post("/api/v1/action-items/", body, format="json").status_code == 201  # a co-organiser
    assert clients["observer"].post("/api/v1/action-items/", body, format="json").status_code == 403
    wrong_owner = operator.post("/api/v1/action-items/", {**body, "owner_agency": "kpu-samarinda"}, format="json")
    assert wrong_owner.status_code == 400 and "owner" in wrong_owner.json()["errors"]
    url = f"/api/v1/action-items/{created.json()['id']}/"

    noted = police.post(url + "progress/", {"note": "Rute lewat Jl. Juanda disurvei."}, format="json")
    assert noted.status_code == 201 and noted.json()["author"] == "samarinda_police"
    assert police.post(url + "progress/", {"note": " "}, format="json").status_code == 400
    assert [n["note"] for n in operator.get(url + "progress/").json()["results"]] == ["Rute lewat Jl. Juanda disurvei."]
    assert police.post(url + "move/", {"to_status": "dropped"}, format="json").json()["errors"].keys() == {"reason"}
    assert police.post(url + "move/", {"to_status": "finished"}, format="json").status_code == 400
    assert police.post(url + "move/", {"to_status": "in_progress"}, format="json").json()["status"] == "in_progress"

    with clock.travel_to(NOW + timedelta(days=10)):
        overdue = operator.get("/api/v1/action-items/?overdue=true&owner_agency=polres-samarinda").json()
        assert overdue["count"] == 2 and overdue["results"][0]["overdue"] is True
        done = police.post(url + "move/", {"to_status": "done"}, format="json")
        assert done.status_code == 200 and done.json()["closed_at"]
        assert operator.get("/api/v1/action-items/?overdue=true").json()["count"] == 1
    again = police.post(url + "move/", {"to_status": "dropped", "reason": "x"}, format="json")
    assert again.status_code == 409
    assert operator.get("/api/v1/action-items/?status=done&due_from=2024-02-10&due_to=2024-02-10").json()["count"] == 1
    assert operator.get("/api/v1/action-items/?due_to=2024-02-09").json()["count"] == 0
    assert ActionItem.objects.filter(status="done").count() == 1


def test_lists_are_filtered(clients, series, samarinda):
    kpu = clients["province_staff"]
    assert kpu.get("/api/v1/meetings/").json()["count"] == 4
    assert kpu.get("/api/v1/meetings/?region=64.72").json()["count"] == 1
    assert kpu.get("/api/v1/meetings/?kind=evaluation").json()["count"] == 3
    assert kpu.get("/api/v1/meetings/?starts_from=2024-03-05&starts_to=2024-04-30").json()["count"] == 1
    # WITA days: 09:00 WITA on 4 March is 01:00 UTC, still 4 March.
    assert kpu.get("/api/v1/meetings/?starts_from=2024-03-04&starts_to=2024-03-04").json()["count"] == 1
    assert kpu.get("/api/v1/meetings/?status=scheduled&status=held").json()["count"] == 4
    assert kpu.get("/api/v1/meetings/?status=nonsense").status_code == 400
    assert kpu.get("/api/v1/meeting-series/?organiser=kpu-kaltim&kind=evaluation").json()["count"] == 1
    assert kpu.get("/api/v1/meeting-series/?region=64.72").json()["count"] == 0
    assert kpu.get(f"/api/v1/meeting-invitations/?meeting={samarinda['id']}").json()["count"] == 1
    # The Samarinda people see their own meeting, and not the province's they are not invited to.
    assert clients["samarinda_police"].get("/api/v1/meetings/").json()["count"] == 1
