"""Query bounds of the escort board's pages (see test_query_bounds.py): the board counts
by GROUP BY on region-code prefixes, so its queries do not grow with the legs."""

from datetime import timedelta

from django.utils import timezone

from coordination.models import PollingStation, User
from logistics import services
from tests.platform.growers import grow_elections


def grow_legs(tree, election, start, count):
    """``count`` escorts to Samarinda's TPS, half in each kecamatan."""
    actor = User.objects.get(username="samarinda_operator")
    stations = list(PollingStation.objects.filter(election=election, village_code__startswith="64.72.")
                    .select_related("village__parent__parent").order_by("village_code", "number"))
    departure = timezone.now() + timedelta(days=2)
    for index in range(start, start + count):
        tps = stations[index % len(stations)]
        services.escort_request_create(
            actor=actor, election=election, origin_kind="warehouse", origin_name="Gudang KPU",
            origin_region=tps.village.parent.parent, destination_kind="tps", destination_tps=tps,
            planned_departure=departure, planned_arrival=departure + timedelta(hours=3),
            items=[{"kind": "ballot_dpr", "quantity": 255 + index}])


def legs_shown(response):
    return response.context["board"].total.total


CASES = [
    # +3 at a kab/kota for a KPU office: the planning form (the user's agency, elections, stages).
    ("/logistics/board/?region=64.72", grow_legs, "samarinda_operator", 18, legs_shown),
    ("/logistics/board/", grow_legs, "province_staff", 15, legs_shown),
    ("/logistics/board/?region=64.72.01", grow_legs, "samarinda_police", 16, legs_shown),
    # One line per kecamatan, however many legs: the lines do not grow.
    ("/logistics/board/export.csv?region=64.72", grow_legs, "samarinda_operator", 14, lambda r: None),
    # The planning form lists the elections (and their stages) to choose from.
    ("/logistics/board/plan/?region=64.72", grow_elections, "samarinda_operator", 11),
]

NO_ROWS = {}
