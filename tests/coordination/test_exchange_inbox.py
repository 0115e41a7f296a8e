"""What the dashboard reads of the register: what waits on a person's agency, what is
late (the one overdue rule), and the panel's figures in one query."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.models import InformationExchange
from coordination.selectors import exchange as selectors
from kpu_polda.base import clock
from tests.coordination.exchange_factories import entry, late


def test_what_waits_on_the_receiving_agency_soonest_first(agencies, personas):
    later = entry(agencies, personas, subject="Lusa", due_in=5)
    sooner = entry(agencies, personas, subject="Besok", due_in=1)
    shared = entry(agencies, personas, kind="sharing", subject="Berbagi")
    to_answer = entry(agencies, personas, subject="Diakui", due_in=2, status="acknowledged")
    entry(agencies, personas, subject="Sudah dijawab", status="answered")
    entry(agencies, personas, subject="Ditarik", status="withdrawn")
    entry(agencies, personas, kind="sharing", subject="Berbagi diakui", status="acknowledged")
    assert list(selectors.exchanges_awaiting(personas["samarinda_police"])) == [sooner, to_answer, later, shared]
    # The sender, a read-only role and another agency have nothing to do here.
    assert list(selectors.exchanges_awaiting(personas["samarinda_operator"])) == []
    assert list(selectors.exchanges_awaiting(personas["observer"])) == []
    assert list(selectors.exchanges_awaiting(personas["province_police"])) == []


def test_late_is_an_open_request_past_its_date(agencies, personas):
    open_late = late(entry(agencies, personas, subject="Terlambat"))
    acknowledged_late = late(entry(agencies, personas, subject="Diakui, terlambat", status="acknowledged"))
    answered = late(entry(agencies, personas, subject="Dijawab", status="answered"))
    today = entry(agencies, personas, subject="Hari ini", due_in=0)
    shared = entry(agencies, personas, kind="sharing", subject="Berbagi")
    rows = InformationExchange.objects.all()
    assert set(rows.filter(selectors.overdue_q())) == {open_late, acknowledged_late}
    assert {row for row in rows if selectors.is_overdue(row)} == {open_late, acknowledged_late}
    assert not selectors.is_overdue(today) and not selectors.is_overdue(answered) and not selectors.is_overdue(shared)
    assert selectors.is_overdue(today, clock.today() + timedelta(days=1))


def test_the_panel_counts_in_one_query(agencies, personas):
    late(entry(agencies, personas, subject="Terlambat"))
    entry(agencies, personas, kind="sharing", subject="Berbagi")
    entry(agencies, personas, subject="Dijawab", status="answered")
    entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential")
    police = personas["samarinda_police"]
    police._scope_code = "64.72"  # as the request has it, read once with the user
    with CaptureQueriesContext(connection) as queries:
        panel = selectors.exchange_panel(police)
    assert panel == {"open": 3, "overdue": 1, "awaiting_me": 2} and len(queries) == 1
    assert selectors.exchange_panel(personas["observer"]) == {"open": 2, "overdue": 1, "awaiting_me": 0}
    assert selectors.exchange_panel(personas["balikpapan_operator"]) == {"open": 0, "overdue": 0, "awaiting_me": 0}


def test_the_dashboard_inbox_offers_the_acknowledgement_then_the_answer(agencies, personas, client):
    row = entry(agencies, personas, source="polresta", target="kpu_samarinda", subject="Permintaan data TPS")
    client.force_login(personas["samarinda_operator"])
    home = client.get("/").content.decode()
    assert "Permintaan data TPS" in home and f"/exchanges/{row.pk}/acknowledge/" in home
    assert client.post(f"/exchanges/{row.pk}/acknowledge/", {"next": "/"})["Location"] == "/"
    after = client.get("/").content.decode()  # still waiting: now for its answer, without the button
    assert "Permintaan data TPS" in after and f"/exchanges/{row.pk}/acknowledge/" not in after
