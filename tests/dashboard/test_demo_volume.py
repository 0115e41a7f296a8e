"""The dashboard runs a fixed number of queries whatever the data size: measured on the
whole demo (seed_demo, the logistics and meetings demos) and again with ten times the
rows every panel and the inbox read, for the province's KPU staff, a KPU office and a
police unit."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpu_polda.base import clock

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("dashboard-demo-volume")]

DEMO_MORNING = timezone.make_aware(datetime(2024, 2, 8, 9, 0))
PEOPLE = ["kpu.kaltim", "kpu.samarinda", "polresta.samarinda"]


def _queries(client, user) -> int:
    client.force_login(user)
    with clock.travel_to(DEMO_MORNING), CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return len(captured)


def _copies(times: int) -> dict[str, int]:
    """Make the demo's dashboard rows ``times`` times as many, through the services."""
    from coordination.models import Agency, ElectionStage, PollingStation, RiskAssessment, User
    from logistics.models import EscortRequest
    from meetings import services as meetings
    from meetings.models import Meeting
    from tests.factories import escort_request, risk

    users = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    election = EscortRequest.objects.order_by("id").first().election
    tps = PollingStation.objects.filter(election=election, village_code__startswith="64.72.").order_by("id")[:20]
    stage = ElectionStage.objects.filter(election=election).order_by("id").first()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["kpu-samarinda", "polres-samarinda"])}
    demo = {"escorts": EscortRequest.objects.count(), "risks": RiskAssessment.objects.count(),
            "meetings": Meeting.objects.count()}
    statuses = ["submitted", "accepted", "assigned", "departed", "arrived", "handed_over"]
    for index in range(demo["escorts"] * (times - 1)):
        escort_request(election=election, destination=tps[index % len(tps)], kpu=users["kpu.samarinda"],
                       police=users["polresta.samarinda"], status=statuses[index % len(statuses)])
    for index in range(demo["risks"] * (times - 1)):
        risk(stage, tps[0].village.parent.parent, title=f"Risiko {index}", likelihood=1 + index % 5, impact=3)
    for index in range(demo["meetings"] * (times - 1)):
        begins = clock.now() + timedelta(days=1 + index % 20)
        meeting = meetings.meeting_create(
            actor=users["kpu.samarinda"], title=f"Rakor {index}", organiser=agencies["kpu-samarinda"],
            co_organiser=agencies["polres-samarinda"], starts_at=begins, ends_at=begins + timedelta(hours=1),
            place="Kantor KPU Samarinda")
        meetings.action_item_create(actor=users["kpu.samarinda"], meeting=meeting, title=f"Tindak {index}",
                                    owner_agency=agencies["polres-samarinda"],
                                    due_on=clock.today() + timedelta(days=index % 5 - 2))
    exchanges, bookings = _cooperation_copies(users, agencies, times)
    return {**demo, "exchanges": exchanges, "bookings": bookings}


def _cooperation_copies(users, agencies, times: int) -> tuple[int, int]:
    from coordination.models import Facility, FacilityBooking, InformationExchange
    from coordination.services import exchange, facilities

    demo_exchanges, demo_bookings = InformationExchange.objects.count(), FacilityBooking.objects.count()
    for index in range(demo_exchanges * (times - 1)):
        exchange.exchange_create(actor=users["kpu.samarinda"], kind="request", from_agency=agencies["kpu-samarinda"],
                                 to_agency=agencies["polres-samarinda"], subject=f"Permintaan {index}",
                                 purpose="Koordinasi", classification=["public", "confidential"][index % 2],
                                 legal_basis="UU 7/2017", response_due_on=clock.today() + timedelta(days=index % 4))
    hall = Facility.objects.filter(owner=agencies["polres-samarinda"]).order_by("id").first()
    for index in range(demo_bookings * (times - 1)):
        begins = clock.now() + timedelta(days=1 + index)
        facilities.booking_request(actor=users["kpu.samarinda"], facility=hall, starts_at=begins,
                                   ends_at=begins + timedelta(hours=3), purpose=f"Rapat {index}",
                                   requester=agencies["kpu-samarinda"])
    return demo_exchanges, demo_bookings


def test_the_dashboard_costs_the_same_at_the_demo_volume_and_ten_times_it(client):
    from coordination.models import User

    for command in ("seed_demo", "seed_logistics_demo", "seed_meetings_demo"):
        call_command(command, verbosity=0)
    users = {u.username: u for u in User.objects.filter(username__in=PEOPLE)}
    at_demo = {name: _queries(client, users[name]) for name in PEOPLE}
    with clock.travel_to(DEMO_MORNING):
        demo = _copies(10)
    from coordination.models import FacilityBooking, InformationExchange
    from logistics.models import EscortRequest

    assert EscortRequest.objects.count() == demo["escorts"] * 10
    assert demo["exchanges"] and InformationExchange.objects.count() == demo["exchanges"] * 10
    assert demo["bookings"] and FacilityBooking.objects.count() == demo["bookings"] * 10
    at_ten_times = {name: _queries(client, users[name]) for name in PEOPLE}
    assert at_demo == at_ten_times
    assert max(at_ten_times.values()) <= 30, at_ten_times
