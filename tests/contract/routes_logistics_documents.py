"""logistics' documents (logistics/urls.py, group "documents"): the berita acara serah
terima of an escort, as a print page and as a PDF.

The escorts below are Samarinda's: every persona whose scope holds Samarinda reads the
record (the observer too: it is a record of the region), Balikpapan's operator does not
find it. Before the hand-over there is no record: 404 for everyone.
"""

from .harness import page, scoped_page

ROUTES = {
    "logistics:berita-acara": [
        ("get", lambda c: f"/logistics/escorts/{c['handed_over'].pk}/berita-acara/", None, scoped_page()),
        ("get", lambda c: f"/logistics/escorts/{c['closed'].pk}/berita-acara/", None, scoped_page()),
        ("get", lambda c: f"/logistics/escorts/{c['arrived'].pk}/berita-acara/", None, page(404)),
        ("get", lambda c: "/logistics/escorts/999999/berita-acara/", None, page(404)),
    ],
    "logistics:berita-acara-pdf": [
        ("get", lambda c: f"/logistics/escorts/{c['handed_over'].pk}/berita-acara.pdf", None, scoped_page()),
        ("get", lambda c: f"/logistics/escorts/{c['arrived'].pk}/berita-acara.pdf", None, page(404)),
    ],
}


def world(stations, personas):
    """A Samarinda escort handed over, one closed, one arrived (not yet handed over)."""
    from tests.factories import escort_request

    def escort(status):
        return escort_request(election=stations["samarinda"].election, destination=stations["samarinda"],
                              kpu=personas["samarinda_operator"], police=personas["samarinda_police"], status=status)

    return {"handed_over": escort("handed_over"), "closed": escort("closed"), "arrived": escort("arrived")}
