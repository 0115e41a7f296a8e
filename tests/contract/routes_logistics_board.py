"""The escort board's pages (logistics/urls.py, group "board"): the board, its CSV and
bulk planning. Everything below is in Samarinda; out of scope reads as 404."""

from tests.factories import escort_request

from .harness import ANON, KPU_WRITERS, OTHER, expect, page, scoped_page

PLAN = {"region": "64.72", "election": "pemilu-2024"}

ROUTES = {
    "logistics:board": [
        ("get", lambda c: "/logistics/board/", None, page()),
        ("get", lambda c: "/logistics/board/?region=64.72", None, scoped_page()),
        ("get", lambda c: "/logistics/board/?region=64.99", None, page(404)),
    ],
    "logistics:board-export": [
        ("get", lambda c: "/logistics/board/export.csv?region=64.72&lang=en", None, scoped_page()),
    ],
    "logistics:board-plan": [
        # KPU offices only (the police and observers are refused), for a kab/kota in scope.
        ("get", lambda c: "/logistics/board/plan/?region=64.72", None,
         expect(403, **{ANON: 302, OTHER: 404, **{p: 200 for p in KPU_WRITERS}})),
        ("post", lambda c: "/logistics/board/plan/", lambda c: PLAN,
         expect(403, **{ANON: 302, OTHER: 404, **{p: 302 for p in KPU_WRITERS}})),
    ],
}


def world(stations, personas):
    """One escort in Samarinda, so the board has a row to count."""
    return {"escort": escort_request(election=stations["samarinda"].election, destination=stations["samarinda"],
                                     kpu=personas["samarinda_operator"], police=personas["samarinda_police"])}
