"""The secretariat's admin for meetings: scoped like the pages, status, approvals and locks
never fields, every write through the services, a refusal told and nothing saved, the
history shown."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings

from coordination.choices import Role
from coordination.models import Notification
from kpu_polda.base import clock
from meetings import services
from meetings.choices import REMINDER_KIND
from meetings.models import ActionItem, ActionProgress, Invitation, Meeting
from tests.factories import UserFactory

from .conftest import wita

pytestmark = pytest.mark.django_db

PROVINCE_TITLE = "Rapat evaluasi bulanan KPU-Polda Kaltim"
SAMARINDA_TITLE = "Rakor pengamanan tahapan Kota Samarinda"


class _FormFields(HTMLParser):
    """The fields a browser would post from a page: inputs, checked boxes, selected options
    and textareas (an admin change form with its inlines' management forms)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self._add(name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def form_of(client, url, **changes):
    """What the page at ``url`` posts, with ``changes`` applied (None drops a field)."""
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    data = {name: [value.removeprefix("\n") for value in values] for name, values in parser.data.items()}
    data = {name: values if len(values) > 1 else values[0] for name, values in data.items()}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client):
    """The admin in English, so the refusals read as the services write them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def clerk(agencies):
    """A secretariat account of KPU Samarinda: staff, scoped to 64.72, not a superuser."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


@pytest.fixture
def samarinda_meeting(now, agencies, personas):
    return services.meeting_create(actor=personas["samarinda_operator"], title=SAMARINDA_TITLE,
                                   organiser=agencies["kpu_samarinda"], co_organiser=agencies["polresta"],
                                   starts_at=wita(2024, 2, 20), ends_at=wita(2024, 2, 20, 11),
                                   place="Kantor KPU Kota Samarinda", invited_agencies=[agencies["polresta"]])


@pytest.fixture
def world(monthly, samarinda_meeting, personas, agencies):
    """A row in every list: March's meeting held, with its minutes, attendance and a follow-up."""
    staff = personas["province_staff"]
    with clock.travel_to(wita(2024, 3, 4, 12)):
        march = services.meeting_hold(actor=staff, meeting=monthly.meetings.get(starts_at=wita(2024, 3, 4)))
        minutes = services.minutes_start(actor=staff, meeting=march, chair_name="Ketua KPU Provinsi Kaltim")
        services.attendance_record(actor=staff, meeting=march, rows=[
            {"agency": agencies["polda"], "name": "AKBP Rahmat", "position": "Kabag Ops"}])
        action = services.action_item_create(actor=staff, meeting=march, title="Jadwal ulang verifikasi faktual",
                                             owner_agency=agencies["polda"], due_on=date(2024, 3, 25))
    return {"meetingseries": monthly, "meeting": march, "minutes": minutes, "actionitem": action,
            "attendance": march.attendance.get(), "april": monthly.meetings.get(starts_at=wita(2024, 4, 1))}


def url(row, view="change"):
    return f"/admin/meetings/{row._meta.model_name}/{row.pk}/{view}/"


@pytest.mark.parametrize("model", ["meetingseries", "meeting", "actionitem", "minutes", "attendance"])
def test_every_list_change_and_history_page_renders_for_the_secretariat(model, world, personas, admin_client):
    row = world[model]
    admin_client.force_login(personas["secretariat"])
    listing = admin_client.get(f"/admin/meetings/{model}/")
    assert listing.status_code == 200 and listing.context["cl"].result_count >= 1
    assert str(row) in listing.content.decode()
    assert admin_client.get(f"/admin/meetings/{model}/?q=Kaltim").status_code == 200
    change = admin_client.get(url(row))
    assert change.status_code == 200 and str(row) in change.content.decode()
    assert admin_client.get(url(row, "history")).status_code == 200


def test_the_samarinda_secretariat_does_not_see_the_provinces_meetings(world, samarinda_meeting, clerk,
                                                                       admin_client):
    admin_client.force_login(clerk)
    listing = admin_client.get("/admin/meetings/meeting/").content.decode()
    assert SAMARINDA_TITLE in listing and PROVINCE_TITLE not in listing
    for model in ("meetingseries", "actionitem", "minutes", "attendance"):
        page = admin_client.get(f"/admin/meetings/{model}/")
        assert page.status_code == 200 and page.context["cl"].result_count == 0, model
    march = world["meeting"]
    assert admin_client.get(url(march)).status_code == 302  # the admin's "does not exist" redirect
    assert admin_client.get(url(march, "history")).status_code == 404
    assert admin_client.get(url(world["minutes"], "history")).status_code == 404
    assert 'name="title"' in admin_client.get(url(samarinda_meeting)).content.decode()


def test_the_admin_is_for_the_secretariat_only(world, personas, admin_client):
    operator = personas["samarinda_operator"]
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    admin_client.force_login(operator)
    assert admin_client.get("/admin/meetings/meeting/").status_code == 403


def test_status_and_schedule_are_never_fields_and_a_held_meeting_is_a_record(world, personas, admin_client):
    admin_client.force_login(personas["secretariat"])
    april = admin_client.get(url(world["april"])).content.decode()
    assert 'name="title"' in april and 'name="notulis"' in april and 'name="invitations-TOTAL_FORMS"' in april
    for field in ("status", "schedule_version", "starts_at_0", "ends_at_0", "organiser", "held_at"):
        assert f'name="{field}"' not in april, field
    march = world["meeting"]
    held = admin_client.get(url(march)).content.decode()
    assert 'name="title"' not in held and 'name="_save"' not in held
    assert "Scheduled" in held and "Held" in held  # the status trail inline
    assert admin_client.post(url(march), {"title": "Lain"}).status_code == 403
    assert Meeting.objects.get(pk=march.pk).title == PROVINCE_TITLE


def test_a_meeting_is_edited_through_the_service_and_its_history_shows_the_change(world, personas, admin_client):
    april, secretariat = world["april"], personas["secretariat"]
    admin_client.force_login(secretariat)
    data = form_of(admin_client, url(april), title="Rapat evaluasi April", place="Mapolda Kaltim, Balikpapan",
                   notulis=str(personas["province_staff"].pk))
    response = admin_client.post(url(april), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    april.refresh_from_db()
    assert (april.title, april.place, april.notulis) == ("Rapat evaluasi April", "Mapolda Kaltim, Balikpapan",
                                                         personas["province_staff"])
    assert april.history.first().history_user == secretariat
    history = admin_client.get(url(april, "history")).content.decode()
    assert PROVINCE_TITLE in history and "Rapat evaluasi April" in history and "Mapolda Kaltim" in history
    assert secretariat.username in history


def test_a_meeting_is_scheduled_through_the_service(now, agencies, personas, admin_client):
    admin_client.force_login(personas["secretariat"])
    add = "/admin/meetings/meeting/add/"
    fields = {"title": "Rakor persiapan pemungutan suara", "kind": "coordination", "starts_at_0": "2024-02-26",
              "starts_at_1": "09:00:00", "ends_at_0": "2024-02-26", "ends_at_1": "11:00:00",
              "place": "Aula KPU Provinsi", "organiser": str(agencies["kpu"].pk),
              "co_organiser": str(agencies["polda"].pk), "reminder_offsets": "[1440]",
              "invitations-TOTAL_FORMS": "1", "invitations-0-agency": str(agencies["polda"].pk)}
    wrong = admin_client.post(add, form_of(admin_client, add, **{**fields, "ends_at_1": "08:00:00"}))
    assert wrong.status_code == 200 and "ends_at" in wrong.context["adminform"].form.errors  # shown on the form
    assert not Meeting.objects.filter(title=fields["title"]).exists()
    response = admin_client.post(add, form_of(admin_client, add, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    meeting = Meeting.objects.get(title=fields["title"])
    assert (meeting.area_code, meeting.starts_at, meeting.reminder_offsets) == ("64", wita(2024, 2, 26), [1440])
    assert list(meeting.invitations.values_list("agency__code", flat=True)) == ["polda-kaltim"]
    assert meeting.history.first().history_user == personas["secretariat"]
    reminded = Notification.objects.filter(kind=REMINDER_KIND, dedupe_key__startswith=f"meeting:{meeting.pk}:")
    assert personas["province_police"] in {n.recipient for n in reminded}


def test_a_refused_invitation_is_told_and_the_whole_save_undone(world, personas, agencies, admin_client):
    april = world["april"]
    admin_client.force_login(personas["secretariat"])
    invited = Invitation.objects.filter(meeting=april).count()
    # A named person of KPU Samarinda invited for Polda: invitation_add refuses it.
    data = form_of(admin_client, url(april), title="Judul yang tidak tersimpan", **{
        "invitations-TOTAL_FORMS": "3", "invitations-2-agency": str(agencies["polda"].pk),
        "invitations-2-person": str(personas["samarinda_operator"].pk)})
    response = admin_client.post(url(april), data, follow=True)
    assert response.status_code == 200
    assert "The person works for another agency." in [str(m) for m in response.context["messages"]]
    assert "was changed successfully" not in response.content.decode()
    april.refresh_from_db()
    assert april.title == PROVINCE_TITLE and Invitation.objects.filter(meeting=april).count() == invited


def test_a_progress_note_is_added_through_the_service(world, personas, admin_client):
    action = world["actionitem"]
    admin_client.force_login(personas["secretariat"])
    data = form_of(admin_client, url(action), **{"progress-TOTAL_FORMS": "1",
                                                  "progress-0-note": "Jadwal baru disepakati dengan Polres Mahulu"})
    assert admin_client.post(url(action), data).status_code == 302
    note = ActionProgress.objects.get(action=action)
    assert (note.author, note.note) == (personas["secretariat"], "Jadwal baru disepakati dengan Polres Mahulu")
    page = admin_client.get(url(action)).content.decode()
    assert "Jadwal baru disepakati" in page and 'name="progress-0-note"' not in page  # written notes stay
    assert 'name="status"' not in page


def test_open_minutes_are_edited_through_the_service(world, personas, admin_client):
    minutes = world["minutes"]
    with clock.travel_to(wita(2024, 3, 4, 14)):
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, decisions="Rapat sepakat.")
        services.minutes_submit(actor=personas["province_staff"], minutes=minutes)
        services.minutes_approve(actor=personas["province_police"], minutes=minutes)
    admin_client.force_login(personas["secretariat"])
    data = form_of(admin_client, url(minutes), decisions="Rapat sepakat menjadwalkan ulang verifikasi faktual.",
                   **{"entries-TOTAL_FORMS": "1", "entries-0-topic": "Verifikasi faktual",
                      "entries-0-speaker": "Kabag Ops Polda", "entries-0-discussion": "Jarak tempuh 6-7 jam."})
    with clock.travel_to(wita(2024, 3, 5)):  # the day after the meeting and its approval
        response = admin_client.post(url(minutes), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    minutes.refresh_from_db()
    assert minutes.decisions.startswith("Rapat sepakat menjadwalkan")
    assert [(e.topic, e.speaker) for e in minutes.entries.all()] == [("Verifikasi faktual", "Kabag Ops Polda")]
    # Edited after the police approved: that approval was for another text.
    assert minutes.police_approved_at is None and not minutes.is_locked
    assert minutes.history.first().history_user == personas["secretariat"]


def test_locked_minutes_cannot_be_changed_in_the_admin(world, personas, admin_client):
    minutes = world["minutes"]
    with clock.travel_to(wita(2024, 3, 4, 14)):
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, decisions="Rapat sepakat.",
                                entries=[{"topic": "Verifikasi faktual", "discussion": "Jarak tempuh 6-7 jam."}])
        services.minutes_submit(actor=personas["province_staff"], minutes=minutes)
        for approver in ("province_staff", "province_police"):
            minutes = services.minutes_approve(actor=personas[approver], minutes=minutes)
        services.minutes_amend(actor=personas["province_staff"], minutes=minutes, reason="Salah ketik",
                               decisions="Rapat sepakat bulat.")
    assert minutes.is_locked
    admin_client.force_login(personas["secretariat"])
    page = admin_client.get(url(minutes))
    text = page.content.decode()
    assert page.status_code == 200 and "Rapat sepakat bulat." in text and "Salah ketik" in text  # the amendment
    for field in ("decisions", "chair_name", "_save", "entries-0-topic"):
        assert f'name="{field}"' not in text, field
    assert admin_client.post(url(minutes), {"decisions": "Diubah lewat admin"}).status_code == 403
    minutes.refresh_from_db()
    assert minutes.decisions == "Rapat sepakat bulat."
    assert admin_client.get(url(minutes, "history")).status_code == 200


def test_an_obstacle_a_follow_up_stands_on_is_kept_once_and_not_changed(world, personas, admin_client):
    minutes, action = world["minutes"], world["actionitem"]
    with clock.travel_to(wita(2024, 3, 4, 14)):
        services.minutes_update(actor=personas["province_staff"], minutes=minutes, obstacles=[
            {"description": "Jarak tempuh ke desa terpencil", "proposed_solution": "Berangkat H-1"}])
    standing = minutes.obstacles.get()
    ActionItem.objects.filter(pk=action.pk).update(obstacle=standing)
    admin_client.force_login(personas["secretariat"])
    with clock.travel_to(wita(2024, 3, 5)):
        changed = form_of(admin_client, url(minutes), **{"obstacles-0-description": "Diubah lewat admin"})
        response = admin_client.post(url(minutes), changed, follow=True)
        assert "An obstacle a follow-up stands on stays as it is." in [str(m) for m in response.context["messages"]]
        assert list(minutes.obstacles.values_list("pk", "description")) == [
            (standing.pk, "Jarak tempuh ke desa terpencil")]
        added = form_of(admin_client, url(minutes), **{
            "obstacles-TOTAL_FORMS": "2", "obstacles-1-description": "Sinyal seluler lemah",
            "obstacles-1-proposed_solution": "Radio HT Polres"})
        assert admin_client.post(url(minutes), added).status_code == 302
    assert sorted(minutes.obstacles.values_list("description", flat=True)) == [
        "Jarak tempuh ke desa terpencil", "Sinyal seluler lemah"]
    assert minutes.obstacles.get(action_items=action).pk == standing.pk


def test_a_past_version_is_shown_and_never_saved_back(world, personas, admin_client):
    """Reverting is off: simple-history's version view would otherwise save a POST as it is."""
    admin_client.force_login(personas["secretariat"])
    for row in (world["meetingseries"], world["april"], world["minutes"], world["attendance"]):
        version = row.history.earliest("history_date").history_id
        page = f"/admin/meetings/{row._meta.model_name}/{row.pk}/history/{version}/"
        assert admin_client.get(page).status_code == 200
        assert admin_client.post(page, form_of(admin_client, page, title="Diputar balik")).status_code == 403
    assert Meeting.objects.get(pk=world["april"].pk).title == PROVINCE_TITLE
