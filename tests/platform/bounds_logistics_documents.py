"""Query bounds of logistics' documents: the berita acara lists the goods handed over, so
its page and its PDF are measured at N and 2N items of one handed-over escort."""

from io import BytesIO


def _ba_escort():
    from logistics.models import EscortRequest

    return EscortRequest.objects.get(plan_key=None, notes="bounds: berita acara")


def grow_ba_items(tree, election, start, count):
    """Items of the world's handed-over escort (added behind the frozen goods' back: only
    their number matters here)."""
    from logistics.models import EscortItem

    escort = _ba_escort()
    EscortItem.objects.bulk_create([EscortItem(escort=escort, kind="ink", quantity=index + 1, unit="botol",
                                               seal_numbers=f"T-{index:03d}") for index in range(start, start + count)])


def _items_on_page(response):
    return len(response.context["document"].items)


def _items_in_pdf(response):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(response.content))
    return sum((page.extract_text() or "").count("botol") for page in reader.pages)


# The session, the user and their scope, the escort, its hand-over events, items and open
# discrepancies; the page adds the bell's unread count.
CASES = [
    ("/logistics/escorts/{ba_escort}/berita-acara/", grow_ba_items, "samarinda_operator", 11, _items_on_page),
    ("/logistics/escorts/{ba_escort}/berita-acara.pdf", grow_ba_items, "samarinda_police", 10, _items_in_pdf),
]

NO_ROWS: dict[str, str] = {}


def world(tree, election):
    """One Samarinda escort handed over (built once per test, through the real services)."""
    from coordination.models import PollingStation, User
    from logistics.models import EscortRequest
    from tests.factories import escort_request

    found = EscortRequest.objects.filter(notes="bounds: berita acara").first()
    if found is None:
        found = escort_request(election=election, destination=PollingStation.objects.get(
            election=election, village=tree["sam_kel"], number=1), kpu=User.objects.get(username="samarinda_operator"),
            police=User.objects.get(username="samarinda_police"), status="handed_over", notes="bounds: berita acara")
    return {"ba_escort": found}
