""""Needs my action" for the forms of cooperation: information to acknowledge or answer,
bookings to decide, each with its link and the button that does it from the dashboard."""

import re

import pytest
from django.utils import translation

from kpu_polda.dashboard.inbox import inbox_for
from tests.coordination.exchange_factories import entry

pytestmark = pytest.mark.django_db


def _items(user, key):
    with translation.override("en"):
        return next((section.items for section in inbox_for(user).sections if section.key == key), [])


def _inbox_panel(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    start = html.index('data-testid="panel-inbox"')
    return html[start:html.index("</section>", start)]


def test_an_entry_is_acknowledged_from_the_inbox_and_the_request_then_waits_for_its_answer(
        agencies, personas, client):
    row = entry(agencies, personas, classification="confidential", subject="Data KPPS")
    panel = _inbox_panel(client, personas["samarinda_police"])
    assert "Acknowledge the information request" in panel and "Data KPPS" in panel
    assert f'href="/exchanges/{row.pk}/"' in panel
    action = re.search(rf'action="(/exchanges/{row.pk}/acknowledge/)"', panel).group(1)
    response = client.post(action, {"next": "/"})
    assert response.status_code == 302 and response.url == "/"
    row.refresh_from_db()
    assert row.status == "acknowledged" and row.acknowledged_by == personas["samarinda_police"]
    [item] = _items(personas["samarinda_police"], "exchanges")
    assert item.what == "Answer the information request" and item.button is None
    # The sender, another office, Bawaslu: nothing waits on them, and the subject of a
    # confidential entry is not shown to them.
    for persona in ("samarinda_operator", "balikpapan_operator", "observer"):
        assert _items(personas[persona], "exchanges") == []
        assert "Data KPPS" not in _inbox_panel(client, personas[persona])


def test_a_booking_is_approved_from_the_owners_inbox(tree, agencies, personas, client):
    from tests.coordination.facility_factories import booking, facility

    hall = facility(tree, agencies, personas, owner="polresta", name="Aula Polresta Samarinda")
    row = booking(hall, agencies, personas)
    panel = _inbox_panel(client, personas["samarinda_police"])
    assert "Decide on the facility booking" in panel and "Aula Polresta Samarinda" in panel
    assert f'href="/bookings/{row.pk}/"' in panel
    action = re.search(rf'action="(/bookings/{row.pk}/approve/)"', panel).group(1)
    response = client.post(action, {"next": "/"})
    assert response.status_code == 302 and response.url == "/"
    row.refresh_from_db()
    assert row.status == "approved" and row.decided_by == personas["samarinda_police"]
    assert _items(personas["samarinda_police"], "bookings") == []
    # The requester and the owner of another facility decide nothing here.
    for persona in ("samarinda_operator", "province_police", "balikpapan_operator"):
        assert _items(personas[persona], "bookings") == []
