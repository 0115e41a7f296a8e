"""Background imports (kpu_polda/imports): the upload page and API, the job page, its
progress card and the list. The job is KPU Samarinda's TPS import: everyone whose region
holds Samarinda follows it, Balikpapan's operator does not find it (404). Starting a TPS
import is for KPU offices and the secretariat (403 for the others)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .harness import ANON, KPU_WRITERS, OTHER, api, expect, page, scoped_api, scoped_page

CSV = b"village_code,number,voters\n64.72.01.1001,9,10\n"


def upload():
    return SimpleUploadedFile("tps.csv", CSV, content_type="text/csv")


def starters(ok, anon):
    return expect(403, **{ANON: anon, OTHER: ok, **{p: ok for p in KPU_WRITERS}})


ROUTES = {
    "imports:job-list": [("get", lambda c: "/imports/", None, page())],
    "imports:new": [
        ("get", lambda c: "/imports/new/polling_stations/", None, starters(200, 302)),
        ("get", lambda c: "/imports/new/nope/", None, page(404)),
        # The target is busy with the world's queued job: 409 for whoever may start one.
        ("post", lambda c: "/imports/new/polling_stations/",
         lambda c: {"election": c["election"].pk, "file": upload()}, starters(409, 302)),
    ],
    "imports:job": [("get", lambda c: f"/imports/{c['job'].pk}/", None, scoped_page())],
    "imports:job-progress": [("get", lambda c: f"/imports/{c['job'].pk}/progress/", None, scoped_page())],
    "import-job-list": [
        ("get", lambda c: "/api/v1/imports/", None, api()),
        ("post", lambda c: "/api/v1/imports/",
         lambda c: {"kind": "polling_stations", "election": c["election"].code, "file": upload()},
         starters(409, 401)),
    ],
    "import-job-detail": [("get", lambda c: f"/api/v1/imports/{c['job'].pk}/", None, scoped_api())],
}


def world(stations, personas):
    from kpu_polda.imports import services

    station = stations["samarinda"]
    job = services.import_start(actor=personas["samarinda_operator"], kind="polling_stations", upload=upload(),
                                election=station.election, queue=False)
    return {"job": job, "election": station.election}
