"""The officers' phone page: today's escorts (WITA, the app's clock) in their region, each
with the one next step, and a bounded number of queries however many have arrived."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpu_polda.base import clock
from logistics import services

pytestmark = pytest.mark.django_db

# 13 Feb 2024 10:00 WITA: the app's clock in these tests.
NOW = datetime(2024, 2, 13, 2, 0, tzinfo=UTC)


@pytest.fixture
def pinned():
    with clock.travel_to(NOW):
        yield


def at(hour_utc: int, day: int = 13, minute: int = 0) -> datetime:
    return datetime(2024, 2, day, hour_utc, minute, tzinfo=UTC)


def cards(client):
    response = client.get("/logistics/field/")
    assert response.status_code == 200
    return response, {card["escort"].pk: card for card in response.context["cards"]}


def test_today_in_wita_and_what_is_on_the_road(client, make_escort, personas, stations, pinned):
    early = make_escort("submitted", planned_departure=at(16, day=12, minute=30))  # 00:30 WITA on the 13th
    late_yesterday = make_escort("submitted", planned_departure=at(15, day=12, minute=30))  # 23:30 WITA, 12th
    tomorrow = make_escort("assigned", planned_departure=at(17, day=13))  # 01:00 WITA on the 14th
    rejected = make_escort("rejected", planned_departure=at(3))
    under_way = make_escort("departed", planned_departure=at(3, day=10))  # left days ago, still on the road
    balikpapan = services.escort_request_create(
        actor=personas["balikpapan_operator"], election=stations["balikpapan"].election, origin_kind="warehouse",
        origin_name="Gudang", origin_region=stations["balikpapan"].village.parent.parent, destination_kind="tps",
        destination_tps=stations["balikpapan"], planned_departure=at(3), planned_arrival=at(5),
        items=[{"kind": "ink", "quantity": 2}])
    client.force_login(personas["samarinda_police"])
    response, shown = cards(client)
    assert early.pk in shown and under_way.pk in shown
    assert not {late_yesterday.pk, tomorrow.pk, rejected.pk, balikpapan.pk} & set(shown)
    assert response.context["page"].paginator.count == 2
    assert "Selasa" in response.content.decode() or "Tuesday" in response.content.decode()


def test_one_next_action_per_escort_from_the_table(client, make_escort, personas, pinned):
    rows = {status: make_escort(status, planned_departure=at(3)) for status in
            ("submitted", "accepted", "assigned", "departed", "arrived", "handed_over")}
    client.force_login(personas["samarinda_police"])
    response, shown = cards(client)
    actions = {status: (shown[row.pk]["step"].action if shown[row.pk]["step"] else None)
               for status, row in rows.items()}
    assert actions == {"submitted": "accept", "accepted": "assign", "assigned": "depart",
                       "departed": "arrive", "arrived": "handover-escort", "handed_over": None}
    page = response.content.decode()
    assert page.count('data-testid="next-action"') == 5
    assert f'/logistics/escorts/{rows["assigned"].pk}/confirm/depart/?back=field' in page
    # The KPU custodian sees the receipt as the arrived escort's action.
    client.force_login(personas["samarinda_operator"])
    _, shown = cards(client)
    assert shown[rows["arrived"].pk]["step"].action == "handover-receipt"
    assert shown[rows["handed_over"].pk]["step"].action == "close"


def test_after_its_hand_over_the_officer_waits_for_the_receipt(client, make_escort, personas, pinned):
    escort = make_escort("arrived", planned_departure=at(3))
    items = list(escort.items.all())
    services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                             counts={item.pk: item.quantity for item in items}, seals_intact=True,
                             seals_seen="S-001 S-002")
    client.force_login(personas["samarinda_police"])
    response, shown = cards(client)
    assert shown[escort.pk]["step"] is None and shown[escort.pk]["waiting"]
    assert 'data-testid="next-action"' not in response.content.decode()


def test_when_the_receipt_differs_the_officer_may_confirm_again(client, make_escort, personas, pinned):
    escort = make_escort("arrived", planned_departure=at(3))
    items = list(escort.items.all())
    counts = {item.pk: item.quantity for item in items}
    services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                             counts=counts, seals_intact=True, seals_seen="S-001 S-002")
    services.custody_confirm(actor=personas["samarinda_operator"], escort=escort, action="handover-receipt",
                             counts={**counts, items[0].pk: 0}, seals_intact=True, seals_seen="S-001 S-002")
    client.force_login(personas["samarinda_police"])
    _, shown = cards(client)
    assert shown[escort.pk]["step"].action == "handover-escort" and not shown[escort.pk]["waiting"]


def test_accept_from_the_field_page_comes_back_to_it(client, make_escort, personas, pinned):
    escort = make_escort("submitted", planned_departure=at(3))
    client.force_login(personas["samarinda_police"])
    response = client.post(f"/logistics/escorts/{escort.pk}/step/accept/", {"back": "field"})
    assert response.status_code == 302 and response["Location"] == "/logistics/field/"
    escort.refresh_from_db()
    assert escort.status == "accepted"
    _, shown = cards(client)
    assert shown[escort.pk]["step"].action == "assign"


def test_arrived_escorts_cost_no_query_each(client, make_escort, personas, pinned):
    client.force_login(personas["samarinda_police"])
    make_escort("arrived", planned_departure=at(3))
    client.get("/logistics/field/")  # warm the session and the scope
    with CaptureQueriesContext(connection) as one:
        client.get("/logistics/field/")
    for _ in range(3):
        make_escort("arrived", planned_departure=at(3))
    with CaptureQueriesContext(connection) as four:
        response = client.get("/logistics/field/")
    assert len(response.context["cards"]) == 4
    assert len(one) == len(four)


def test_nothing_today(client, personas, pinned):
    client.force_login(personas["samarinda_police"])
    response = client.get("/logistics/field/")
    assert 'data-testid="field-empty"' in response.content.decode()
    assert 'data-testid="field-link"' in response.content.decode()  # the police's menu entry
