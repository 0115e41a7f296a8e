"""Query bounds of the escort pages and the officers' field page (see
tests/platform/test_query_bounds.py for the format)."""

from coordination.models import PollingStation, User
from tests.factories import escort_request
from tests.platform.growers import grow_stages


def _escort(tree, election, status="submitted", **extra):
    station = PollingStation.objects.get(election=election, village=tree["sam_kel"], number=1)
    return escort_request(election=election, destination=station,
                          kpu=User.objects.get(username="samarinda_operator"),
                          police=User.objects.get(username="samarinda_police"), status=status, **extra)


def grow_escorts(tree, election, start, count):
    for _ in range(count):
        _escort(tree, election)


def grow_road_escorts(tree, election, start, count):
    """Escorts on the road (the field page lists them whatever their date): arrived ones,
    half with the officer's hand-over already confirmed, and under-way ones."""
    from logistics import services

    police = User.objects.get(username="samarinda_police")
    for index in range(start, start + count):
        escort = _escort(tree, election, "arrived" if index % 3 else "departed")
        if index % 3 == 1:
            items = list(escort.items.all())
            services.custody_confirm(actor=police, escort=escort, action="handover-escort",
                                     counts={item.pk: item.quantity for item in items}, seals_intact=True,
                                     seals_seen="S-001 S-002")


def grow_escort_events(tree, election, start, count):
    """Confirmations on the one escort of ``world``: moved on its way first, then checkpoints."""
    from logistics import services
    from logistics.models import EscortRequest
    from tests.factories import ASSIGNMENT

    escort = EscortRequest.objects.get(notes="bounds")
    police = User.objects.get(username="samarinda_police")
    if escort.status == "submitted":
        escort = services.escort_decide(actor=police, escort=escort, action="accept")
        escort = services.escort_decide(actor=police, escort=escort, action="assign", **ASSIGNMENT)
        escort = services.custody_confirm(actor=police, escort=escort, action="depart").escort
        count -= 1
    for index in range(count):
        services.custody_confirm(actor=police, escort=escort, action="checkpoint", note=f"Pos {start + index}")


def world(tree, election):
    return {"escort_page": _escort(tree, election, notes="bounds")}


CASES = [
    ("/logistics/escorts/", grow_escorts, "samarinda_operator", 12),
    ("/logistics/escorts/?status=submitted&region=64.72", grow_escorts, "samarinda_police", 12),
    ("/logistics/field/", grow_road_escorts, "samarinda_police", 12),
    ("/logistics/escorts/{escort_page}/", grow_escort_events, "samarinda_operator", 16,
     lambda r: len(r.context["chain"])),
    ("/logistics/escorts/{escort_page}/", grow_escort_events, "samarinda_police", 16,
     lambda r: len(r.context["chain"])),
    # The request form's stage picker lists the elections' stages.
    ("/logistics/escorts/new/", grow_stages, "samarinda_operator", 12, lambda r: None),
]

NO_ROWS = {
    "logistics:custody-photo": "one stored file of one custody event",
    "logistics:escort-step": "POST only",
    "logistics:discrepancy-resolve": "POST only",
    "logistics:escort-confirm": "one escort's confirmation form: a field per item of the request, read in one query",
}
