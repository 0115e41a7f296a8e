"""Query bounds of logistics' API lists and admin changelists (test_query_bounds.py).

Every escort is raised by KPU Samarinda to Samarinda's first TPS and moved by Polresta
Samarinda through the real services, so each grows what the Samarinda personas (and the
scoped secretariat, "regional_clerk") see.
"""

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py
CHAIN_NOTE = "bounds: the escort whose chain grows"


def _people_and_tps(tree, election):
    from coordination.models import PollingStation, User

    users = {u.username: u for u in User.objects.filter(username__in=["samarinda_operator", "samarinda_police"])}
    station = PollingStation.objects.get(election=election, village=tree["sam_kel"], number=1)
    return users["samarinda_operator"], users["samarinda_police"], station


def _escorts(tree, election, count, status):
    from tests.factories import escort_request

    kpu, police, station = _people_and_tps(tree, election)
    return [escort_request(election=election, destination=station, kpu=kpu, police=police, status=status)
            for _ in range(count)]


def grow_escorts(tree, election, start, count):
    """Accepted escorts: each with its goods, a status change and history."""
    _escorts(tree, election, count, "accepted")


def grow_departed(tree, election, start, count):
    """Escorts under way: each with a departure event (and an assignment)."""
    _escorts(tree, election, count, "departed")


def grow_discrepancies(tree, election, start, count):
    """Escorts that departed two ballots short: one open discrepancy each."""
    from logistics import services

    _, police, _ = _people_and_tps(tree, election)
    for escort in _escorts(tree, election, count, "assigned"):
        items = list(escort.items.all())
        services.custody_confirm(actor=police, escort=escort, action="depart",
                                 counts={items[0].pk: items[0].quantity - 2, items[1].pk: items[1].quantity})


def grow_incidents(tree, election, start, count):
    from logistics import services

    _, police, _ = _people_and_tps(tree, election)
    escort = world(tree, election)["api_chain_escort"]
    for index in range(start, start + count):
        services.custody_confirm(actor=police, escort=escort, action="incident", incident_type="delay",
                                 severity="low", note=f"Macet {index}")


def grow_chain(tree, election, start, count):
    """Checkpoints on the world's escort: its chain grows."""
    from logistics import services

    _, police, _ = _people_and_tps(tree, election)
    escort = world(tree, election)["api_chain_escort"]
    for index in range(start, start + count):
        services.custody_confirm(actor=police, escort=escort, action="checkpoint", note=f"Pos {index}")


def world(tree, election):
    """One escort under way (made once per test) whose chain the growers lengthen (its own
    key: the pages' world has an "escort")."""
    from logistics.models import EscortRequest

    escort = EscortRequest.objects.filter(notes=CHAIN_NOTE).first()
    if escort is None:
        from tests.factories import escort_request

        kpu, police, station = _people_and_tps(tree, election)
        escort = escort_request(election=election, destination=station, kpu=kpu, police=police, status="departed",
                                notes=CHAIN_NOTE)
    return {"api_chain_escort": escort}


CASES = [
    ("/api/v1/escorts/", grow_escorts, "samarinda_operator", 9),
    ("/api/v1/escorts/", grow_departed, "samarinda_police", 9),
    ("/api/v1/escorts/?status=accepted&region=64.72.01", grow_escorts, "province_staff", 9),
    # One query reads the whole chain, however long.
    ("/api/v1/escorts/{api_chain_escort}/chain/", grow_chain, "samarinda_operator", 9, lambda r: r.json()["checked"]),
    ("/api/v1/custody-events/", grow_departed, "samarinda_operator", 9),
    ("/api/v1/custody-events/?kind=incident", grow_incidents, "samarinda_police", 9),
    ("/api/v1/discrepancies/", grow_discrepancies, "samarinda_operator", 9),
    ("/admin/logistics/escortrequest/", grow_escorts, SCOPED_SECRETARIAT, 14),
    ("/admin/logistics/custodyevent/", grow_departed, SCOPED_SECRETARIAT, 14),
    ("/admin/logistics/discrepancy/", grow_discrepancies, SCOPED_SECRETARIAT, 14),
    ("/admin/logistics/escortstatuschange/", grow_escorts, SCOPED_SECRETARIAT, 14),
]

NO_ROWS: dict[str, str] = {}
