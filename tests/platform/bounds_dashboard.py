"""Query bounds of the dashboard (test_query_bounds.py): the home page with every panel,
one panel's refresh, and the inbox in the API, as a police officer, a KPU office and the
province. The grower adds what every panel and the inbox read, through the services:
escorts in each status, risks, meetings with follow-ups due, information requests and
facility bookings of the Polda hall (the exchange and facility bounds' own growers)."""

from datetime import timedelta

STATUSES = ["submitted", "accepted", "assigned", "departed", "arrived", "handed_over", "closed"]


def _people():
    from coordination.models import User

    return {u.username: u for u in User.objects.filter(username__in=[
        "samarinda_operator", "samarinda_police", "province_staff"])}


def grow_dashboard(tree, election, start, count):
    from django.utils import timezone

    from coordination.models import Agency
    from meetings import services as meetings
    from tests.factories import escort_request, risk
    from tests.platform.bounds_coordination_exchange import grow_exchanges
    from tests.platform.bounds_coordination_facilities import grow_bookings
    from tests.platform.growers import world

    grow_exchanges(tree, election, start, count)
    grow_bookings(tree, election, start, count)
    rows = world(tree, election)
    people = _people()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["kpu-samarinda", "polres-samarinda"])}
    for index in range(start, start + count):
        escort_request(election=election, destination=rows["station"], kpu=people["samarinda_operator"],
                       police=people["samarinda_police"], status=STATUSES[index % len(STATUSES)])
        risk(rows["stage"], tree["samarinda"], title=f"Risiko dasbor {index}", likelihood=1 + index % 5,
             impact=1 + (index // 5) % 5)
        begins = timezone.now() + timedelta(days=1 + index % 10)
        meeting = meetings.meeting_create(
            actor=people["samarinda_operator"], title=f"Rakor {index}", organiser=agencies["kpu-samarinda"],
            co_organiser=agencies["polres-samarinda"], starts_at=begins, ends_at=begins + timedelta(hours=2),
            place="Kantor KPU Samarinda")
        meetings.action_item_create(actor=people["samarinda_operator"], meeting=meeting, title=f"Tindak {index}",
                                    owner_agency=agencies["polres-samarinda"],
                                    due_on=timezone.localdate() + timedelta(days=index % 3))


CASES = [
    # Panels show figures and a few rows each, not lists: nothing to count as rows shown.
    ("/", grow_dashboard, "samarinda_police", 30, lambda r: None),
    ("/", grow_dashboard, "province_police", 30, lambda r: None),
    ("/", grow_dashboard, "samarinda_operator", 30, lambda r: None),
    ("/", grow_dashboard, "province_staff", 30, lambda r: None),
    ("/dashboard/panels/inbox/", grow_dashboard, "samarinda_police", 13, lambda r: None),
    # The inbox lists at most SECTION_LIMIT items a section: the rows shown stop growing.
    ("/api/v1/inbox/", grow_dashboard, "samarinda_police", 12, lambda r: None),
]

NO_ROWS = {}
