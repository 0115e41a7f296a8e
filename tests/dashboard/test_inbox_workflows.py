""""Needs my action" for escorts and meetings: what waits on the person, with the link or
button that does it, and nothing of another office's."""

import re

import pytest
from django.utils import translation

from kpu_polda.base import clock
from kpu_polda.dashboard.inbox import inbox_for
from logistics import services as logistics
from meetings import services as meetings
from tests.meetings.conftest import wita

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _items(user, key):
    with translation.override("en"):  # a request before may have left its language active
        return next((section.items for section in inbox_for(user).sections if section.key == key), [])


def test_the_police_unit_sees_an_escort_to_accept_and_accepts_it_from_the_inbox(make_escort, personas, client):
    escort = make_escort("submitted")
    client.force_login(personas["samarinda_police"])
    html = client.get("/").content.decode()
    panel = html[html.index('data-testid="panel-inbox"'):html.index('data-testid="panel-stage"')]
    assert f'href="/logistics/escorts/{escort.pk}/"' in panel
    assert "Accept the escort request" in panel and escort.number in panel
    action = re.search(r'<form method="post" action="([^"]+)"', panel).group(1)
    assert action == f"/logistics/escorts/{escort.pk}/step/accept/"

    response = client.post(action, {"back": "home"})
    assert response.status_code == 302 and response.url == "/"
    escort.refresh_from_db()
    assert escort.status == "accepted"
    # The next step is the police's again (assign), and is a link: it needs a team.
    [item] = _items(personas["samarinda_police"], "escorts")
    assert item.what == "Assign the escort" and item.button is None
    assert item.url == f"/logistics/escorts/{escort.pk}/"


def test_each_party_sees_its_own_escort_steps_only(make_escort, personas):
    make_escort("submitted")
    departed = make_escort("departed")
    arrived = make_escort("arrived")
    police = {item.title.split(":")[0]: item.what for item in _items(personas["samarinda_police"], "escorts")}
    assert police[departed.number] == "Confirm arrival"
    assert police[arrived.number] == "Confirm the hand-over"
    kpu = _items(personas["samarinda_operator"], "escorts")
    assert [(item.title.split(":")[0], item.what) for item in kpu] == [(arrived.number, "Confirm receipt")]
    assert kpu[0].url == f"/logistics/escorts/{arrived.pk}/confirm/handover-receipt/"
    # Balikpapan's office, the province's observer: nothing of Samarinda waits on them.
    assert _items(personas["balikpapan_operator"], "escorts") == []
    assert _items(personas["observer"], "escorts") == []


def test_a_confirmed_hand_over_leaves_the_party_that_confirmed(make_escort, personas):
    arrived = make_escort("arrived")
    counts = {item.pk: item.quantity for item in arrived.items.all()}
    logistics.custody_confirm(actor=personas["samarinda_police"], escort=arrived, action="handover-escort",
                              counts=counts, seals_intact=True, seals_seen="S-001 S-002")
    assert _items(personas["samarinda_police"], "escorts") == []
    assert [item.what for item in _items(personas["samarinda_operator"], "escorts")] == ["Confirm receipt"]


def test_an_open_discrepancy_waits_on_the_kpu_office(make_escort, personas):
    arrived = make_escort("arrived")
    short = {item.pk: item.quantity - 1 for item in arrived.items.all()}
    logistics.custody_confirm(actor=personas["samarinda_operator"], escort=arrived, action="handover-receipt",
                              counts=short, seals_intact=True, seals_seen="S-001 S-002")
    items = _items(personas["samarinda_operator"], "discrepancies")
    assert items and all(item.url == f"/logistics/escorts/{arrived.pk}/#discrepancies" for item in items)
    assert _items(personas["samarinda_police"], "discrepancies") == []


def test_minutes_wait_on_each_party_until_it_approves(monthly, personas):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    with clock.travel_to(wita(2024, 3, 4, 11)):
        held = meetings.meeting_hold(actor=personas["province_staff"], meeting=march)
    with clock.travel_to(wita(2024, 3, 4, 12)):
        minutes = meetings.minutes_start(actor=personas["province_staff"], meeting=held, chair_name="Ketua")
        minutes = meetings.minutes_update(actor=personas["province_staff"], minutes=minutes,
                                          decisions="Pengawalan dijadwalkan ulang.")
        meetings.minutes_submit(actor=personas["province_staff"], minutes=minutes)
        for persona in ("province_staff", "province_police"):
            [item] = _items(personas[persona], "minutes")
            assert item.url == f"/meetings/{held.pk}/minutes/" and item.title == held.title
        meetings.minutes_approve(actor=personas["province_police"], minutes=minutes)
        assert _items(personas["province_police"], "minutes") == []
        assert len(_items(personas["province_staff"], "minutes")) == 1
        # Samarinda's office is neither organiser nor invited.
        assert _items(personas["samarinda_operator"], "minutes") == []


def test_follow_ups_show_from_three_days_before_they_are_due(now, monthly, personas, agencies):
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    soon = meetings.action_item_create(actor=personas["province_staff"], meeting=march, title="Rute alternatif",
                                       owner_agency=agencies["polda"], due_on=now.date().replace(day=7))
    meetings.action_item_create(actor=personas["province_staff"], meeting=march, title="Nanti saja",
                                owner_agency=agencies["polda"], due_on=now.date().replace(day=20))
    [item] = _items(personas["province_police"], "action_items")
    assert (item.title, item.url, item.overdue) == ("Rute alternatif", f"/meetings/follow-ups/{soon.pk}/", False)
    with clock.travel_to(wita(2024, 2, 9)):
        assert _items(personas["province_police"], "action_items")[0].overdue is True
    assert _items(personas["province_staff"], "action_items") == []  # KPU Kaltim owns none


def test_an_empty_inbox_says_so(personas, client):
    client.force_login(personas["balikpapan_operator"])
    html = client.get("/").content.decode()
    assert 'data-testid="inbox-empty"' in html and "Nothing is waiting on you." in html
    assert 'data-testid="inbox-count">0<' in html


def test_the_inbox_in_the_api(make_escort, personas, api_for):
    escort = make_escort("submitted")
    body = api_for(personas["samarinda_police"]).get("/api/v1/inbox/").json()
    [section] = [s for s in body["sections"] if s["key"] == "escorts"]
    [item] = section["items"]
    assert item["url"].endswith(f"/logistics/escorts/{escort.pk}/") and item["url"].startswith("http")
    assert item["button"]["url"] == f"/logistics/escorts/{escort.pk}/step/accept/"
    assert item["due"] == escort.planned_departure.isoformat()
    assert api_for(personas["balikpapan_operator"]).get("/api/v1/inbox/").json() == \
        {"count": 0, "more": False, "sections": []}
    assert api_for(None).get("/api/v1/inbox/").status_code in {401, 403}


def test_late_escorts_are_marked_by_the_one_lateness_rule(make_escort, personas):
    from datetime import timedelta

    from django.utils import timezone

    late = make_escort("assigned", planned_departure=timezone.now() - timedelta(hours=2))
    on_time = make_escort("assigned")
    under_way = make_escort("departed", planned_departure=timezone.now() - timedelta(hours=8))  # arrival 5 h ago
    marks = {item.title.split(":")[0]: item.overdue for item in _items(personas["samarinda_police"], "escorts")}
    assert marks == {late.number: True, on_time.number: False, under_way.number: True}
