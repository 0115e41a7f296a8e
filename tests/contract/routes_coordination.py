"""coordination's pages (coordination/urls.py) and API (coordination/api/urls.py).

The owning region of every object below is Samarinda. Out of scope reads as 404, the same
as missing.
"""

from io import BytesIO

from coordination import services

from .harness import ANON, KPU_WRITERS, OTHER, api, expect, page, scoped_api, scoped_page, writer_api


def tps_import_csv():
    return {"election": "pemilu-2024",
            "file": BytesIO(b"village_code,number,voters\n64.72.01.1001,9,10\n")}


def import_outcome(ok, anon):
    return expect(403, **{ANON: anon, **{p: ok for p in KPU_WRITERS}})


# --- regions, polling stations, agencies, people and tokens ------------------------------

ROUTES = {
    "coordination:region-root": [("get", lambda c: "/regions/", None, page(302))],
    "coordination:region-detail": [
        ("get", lambda c: "/regions/64.72.01/", None, scoped_page()),
        ("get", lambda c: "/regions/64.72.01.1001/", None, scoped_page()),
        ("get", lambda c: "/regions/64.99/", None, page(404)),
    ],
    "coordination:polling-station-list": [
        ("get", lambda c: "/polling-stations/?region=64.72", None, page()),
        # A damaged cursor, or an old page number, shows the first page with a message.
        ("get", lambda c: "/polling-stations/?region=64.72&cursor=damaged", None, page()),
        ("get", lambda c: "/polling-stations/?page=7", None, page()),
    ],
    "coordination:polling-station-detail": [
        ("get", lambda c: f"/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_page()),
    ],
    "coordination:polling-station-import": [
        ("get", lambda c: "/polling-stations/import/", None,
         page(403, samarinda_operator=200, balikpapan_operator=200, province_staff=200, secretariat=200)),
    ],
    "coordination:agency-list": [("get", lambda c: "/agencies/", None, page())],
    "coordination:agency-detail": [
        ("get", lambda c: "/agencies/kpu-samarinda/", None, scoped_page()),
        ("get", lambda c: "/agencies/kpu-kaltim/", None, page()),
    ],
    "coordination:profile": [("get", lambda c: "/profile/", None, page())],
    "coordination:api-token-revoke": [
        # Samarinda operator's token: only its holder may revoke it on this page.
        ("post", lambda c: f"/profile/tokens/{c['token'].pk}/revoke/", None,
         expect(404, **{ANON: 302, "samarinda_operator": 302})),
    ],
    "auth-token": [
        ("post", lambda c: "/api/v1/auth/token/", lambda c: {"username": "nobody", "password": "x"}, expect(400)),
    ],
    "me": [("get", lambda c: "/api/v1/me/", None, api())],
    "region-list": [("get", lambda c: "/api/v1/regions/?code_prefix=64.72", None, api())],
    "region-detail": [
        ("get", lambda c: "/api/v1/regions/64.72.01.1001/", None, scoped_api()),
        ("get", lambda c: "/api/v1/regions/64.72/", None, scoped_api()),
    ],
    "polling-station-list": [
        ("get", lambda c: "/api/v1/polling-stations/?region=64.72", None, api()),
        # Read by cursor: a damaged one, or a page number past the first, is a 400.
        ("get", lambda c: "/api/v1/polling-stations/?region=64.72&cursor=damaged", None, api(400)),
        ("get", lambda c: "/api/v1/polling-stations/?page=2", None, api(400)),
    ],
    "polling-station-detail": [
        ("get", lambda c: f"/api/v1/polling-stations/{c['stations']['samarinda'].pk}/", None, scoped_api()),
    ],
    "polling-station-import-csv": [
        # The Balikpapan operator may import, but a Samarinda village is unknown to it: 400.
        ("post", lambda c: "/api/v1/polling-stations/import/", lambda c: tps_import_csv(),
         {**import_outcome(200, 401), OTHER: 400}),
    ],
    "agency-list": [("get", lambda c: "/api/v1/agencies/", None, api())],
    "agency-detail": [
        ("get", lambda c: "/api/v1/agencies/kpu-samarinda/", None, scoped_api()),
        ("get", lambda c: "/api/v1/agencies/polda-kaltim/", None, api()),
    ],
    "api-token-list": [("get", lambda c: "/api/v1/tokens/", None, api())],
    "api-token-detail": [
        ("get", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=200)),
        ("delete", lambda c: f"/api/v1/tokens/{c['token'].pk}/", None, api(404, samarinda_operator=204)),
    ],
}

# --- agreements, elections, risks and the personnel plan -------------------------------


def writer_page(**overrides):
    """A form posted on a Samarinda page: writers are sent on after the write, the observer
    is refused, Balikpapan's operator does not find the object."""
    return page(302, **{"observer": 403, OTHER: 404, **overrides})


ROUTES.update({
    "coordination:agreement-list": [("get", lambda c: "/agreements/", None, page())],
    "coordination:agreement-detail": [
        ("get", lambda c: f"/agreements/{c['agreement'].pk}/", None, page()),
        ("get", lambda c: f"/agreements/{c['local_agreement'].pk}/", None, scoped_page()),
        ("post", lambda c: f"/agreements/{c['local_agreement'].pk}/",
         lambda c: {"action": "transition", "to_status": "expired"}, scoped_page(default=403, secretariat=302)),
    ],
    "coordination:clause-detail": [
        ("get", lambda c: f"/clauses/{c['clause'].pk}/", None, scoped_page()),
        ("post", lambda c: f"/clauses/{c['clause'].pk}/",
         lambda c: {"occurred_on": "2024-02-01", "description": "Rakor", "region": "64.72"}, writer_page()),
    ],
    # Stored files: only through these views, with the object's scope (out of scope = 404).
    "coordination:agreement-document": [
        ("get", lambda c: f"/agreements/{c['local_agreement'].pk}/document/", None, scoped_page()),
        ("get", lambda c: f"/agreements/{c['agreement'].pk}/document/", None, page(404)),  # none stored
    ],
    "coordination:addendum-document": [
        ("get", lambda c: f"/addenda/{c['addendum'].pk}/document/", None, page()),  # the province's
    ],
    "coordination:evidence-attachment": [
        ("get", lambda c: f"/evidence/{c['evidence'].pk}/attachment/", None, scoped_page()),
    ],
    "coordination:election-timeline": [("get", lambda c: "/elections/pemilu-2024/", None, page())],
    "coordination:stage-detail": [("get", lambda c: f"/stages/{c['stage'].pk}/", None, page())],
    "coordination:risk-list": [("get", lambda c: "/risks/?region=64.72", None, page())],
    "coordination:risk-create": [("get", lambda c: "/risks/new/", None, page(observer=403))],
    "coordination:risk-matrix": [("get", lambda c: "/risks/matrix/", None, page())],
    "coordination:risk-heat-map": [("get", lambda c: "/risks/heat-map/", None, page())],
    "coordination:risk-map": [("get", lambda c: "/risks/map/", None, page())],
    "coordination:risk-map-data": [("get", lambda c: "/risks/map.geojson", None, page())],
    "coordination:risk-detail": [
        ("get", lambda c: f"/risks/{c['risk'].pk}/", None, scoped_page()),
        ("post", lambda c: f"/risks/{c['risk'].pk}/",
         lambda c: {"action": "review", "likelihood": 1, "impact": 2, "note": "Aman"}, writer_page()),
        ("post", lambda c: f"/risks/{c['risk'].pk}/",
         lambda c: {"action": "transition", "to_status": "mitigating"}, writer_page()),
    ],
    "coordination:tps-class-list": [("get", lambda c: "/tps-classes/", None, page())],
    "coordination:tps-class-import": [("get", lambda c: "/tps-classes/import/", None, page(observer=403))],
    # A sample file holds no one's data: every signed-in persona may download it.
    "coordination:csv-import-sample": [
        ("get", lambda c: "/imports/polling-stations/sample.csv", None, page()),
        ("get", lambda c: "/imports/tps-classes/sample.csv", None, page()),
        ("get", lambda c: "/imports/regions/sample.csv", None, page()),
        ("get", lambda c: "/imports/stages/sample.csv", None, page()),
        ("get", lambda c: "/imports/agencies/sample.csv", None, page(404)),
    ],
    "coordination:ikp-list": [("get", lambda c: "/ikp/", None, page())],
    "coordination:personnel-plan": [("get", lambda c: "/personnel-plan/", None, page())],
    "agreement-list": [("get", lambda c: "/api/v1/agreements/", None, api())],
    "agreement-detail": [
        ("get", lambda c: f"/api/v1/agreements/{c['agreement'].pk}/", None, api()),
        ("get", lambda c: f"/api/v1/agreements/{c['local_agreement'].pk}/", None, scoped_api()),
    ],
    "agreement-transition": [
        # The Samarinda agreement is the secretariat's to move: the province's secretariat
        # may, everyone else who can see it is refused.
        ("post", lambda c: f"/api/v1/agreements/{c['local_agreement'].pk}/transition/",
         lambda c: {"to_status": "expired"}, scoped_api(default=403, secretariat=200)),
    ],
    "agreement-status-changes": [
        ("get", lambda c: f"/api/v1/agreements/{c['local_agreement'].pk}/status-changes/", None, scoped_api()),
    ],
    "clause-list": [("get", lambda c: "/api/v1/clauses/", None, api())],
    "clause-detail": [("get", lambda c: f"/api/v1/clauses/{c['clause'].pk}/", None, scoped_api())],
    "clause-evidence": [
        ("get", lambda c: f"/api/v1/clauses/{c['clause'].pk}/evidence/", None, scoped_api()),
        ("post", lambda c: f"/api/v1/clauses/{c['clause'].pk}/evidence/",
         lambda c: {"occurred_on": "2024-02-01", "description": "Rakor", "region": "64.72"}, writer_api(201)),
    ],
    "election-list": [("get", lambda c: "/api/v1/elections/", None, api())],
    "election-detail": [("get", lambda c: "/api/v1/elections/pemilu-2024/", None, api())],
    "election-current": [("get", lambda c: "/api/v1/elections/pemilu-2024/current/", None, api())],
    "stage-list": [("get", lambda c: "/api/v1/stages/", None, api())],
    "stage-detail": [("get", lambda c: f"/api/v1/stages/{c['stage'].pk}/", None, api())],
    "risk-list": [
        ("get", lambda c: "/api/v1/risks/", None, api()),
        ("post", lambda c: "/api/v1/risks/", lambda c: {"stage": c["stage"].pk, "region": "64.72", "title": "x",
                                                        "category": "security", "likelihood": 2, "impact": 2},
         writer_api(201)),
    ],
    "risk-detail": [
        ("get", lambda c: f"/api/v1/risks/{c['risk'].pk}/", None, scoped_api()),
        ("patch", lambda c: f"/api/v1/risks/{c['risk'].pk}/", lambda c: {"title": "Diperbarui"}, writer_api()),
    ],
    "risk-transition": [("post", lambda c: f"/api/v1/risks/{c['risk'].pk}/transition/",
                         lambda c: {"to_status": "mitigating"}, writer_api())],
    "risk-reviews": [
        ("get", lambda c: f"/api/v1/risks/{c['risk'].pk}/reviews/", None, scoped_api()),
        ("post", lambda c: f"/api/v1/risks/{c['risk'].pk}/reviews/",
         lambda c: {"likelihood": 1, "impact": 2, "note": "Aman"}, writer_api(201)),
    ],
    "risk-export": [("get", lambda c: "/api/v1/risks/export/", None, api())],
    "ikp-score-list": [("get", lambda c: "/api/v1/ikp-scores/", None, api())],
    "ikp-score-detail": [("get", lambda c: f"/api/v1/ikp-scores/{c['ikp'].pk}/", None, api())],
    "tps-class-list": [("get", lambda c: "/api/v1/tps-classes/", None, api())],
    "tps-class-detail": [("get", lambda c: f"/api/v1/tps-classes/{c['tps_class'].pk}/", None, scoped_api())],
    "tps-class-import-csv": [
        ("post", lambda c: "/api/v1/tps-classes/import/", lambda c: {
            "election": "pemilu-2024",
            "file": BytesIO(b"village_code,number,polri_class\n64.72.01.1001,1,sangat_rawan\n")},
         writer_api(200, **{OTHER: 400})),
    ],
    "security-pattern-list": [("get", lambda c: "/api/v1/security-patterns/", None, api())],
    "security-pattern-detail": [("get", lambda c: f"/api/v1/security-patterns/{c['pattern'].pk}/", None, api())],
    "personnel-plan": [("get", lambda c: "/api/v1/personnel-plan/", None, api())],
    "personnel-plan-export": [("get", lambda c: "/api/v1/personnel-plan/export/", None, api())],
})

# --- the caller's notifications ---------------------------------------------------------
# One notification, the Samarinda operator's: nobody else sees it (404, the same as missing).

MINE = {"samarinda_operator": 200}

ROUTES.update({
    "coordination:notification-list": [("get", lambda c: "/notifications/", None, page())],
    "coordination:notification-read": [
        ("post", lambda c: f"/notifications/{c['notification'].pk}/read/", None,
         expect(404, **{ANON: 302, "samarinda_operator": 302})),
    ],
    "coordination:notification-read-all": [("post", lambda c: "/notifications/read-all/", None, expect(302))],
    "notification-list": [("get", lambda c: "/api/v1/notifications/", None, api())],
    "notification-detail": [("get", lambda c: f"/api/v1/notifications/{c['notification'].pk}/", None,
                             api(404, **MINE))],
    "notification-read": [("post", lambda c: f"/api/v1/notifications/{c['notification'].pk}/read/", None,
                           api(404, **MINE))],
    "notification-read-all": [("post", lambda c: "/api/v1/notifications/read-all/", None, api())],
})

HISTORY_EXEMPT = {
    "auth-token": "exchanges a username and password for a token; refused here (400) anyway",
    # Reading a notification is the person's own bookkeeping on a row that is its own
    # record (read_at): coordination/models/notifications.py keeps no history table for it.
    "coordination:notification-read": "marks the caller's own notification read (read_at); no history table",
    "coordination:notification-read-all": "marks the caller's own notifications read (read_at); no history table",
    "notification-read": "marks the caller's own notification read (read_at); no history table",
    "notification-read-all": "marks the caller's own notifications read (read_at); no history table",
}


def world(stations, personas):
    """One of everything these routes read, owned by Samarinda unless said."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coordination.models import (
        Addendum,
        Agency,
        Agreement,
        Clause,
        IkpScore,
        Region,
        SecurityPattern,
        TpsVulnerability,
    )
    from tests.factories import pdf_bytes, risk, stage

    token, _ = services.api_token_create(actor=personas["samarinda_operator"], name="script")
    election = stations["samarinda"].election
    kaltim, samarinda = Region.objects.get(code="64"), Region.objects.get(code="64.72")
    voting = stage(election, "9", date(2024, 2, 14), date(2024, 3, 20))
    agreement = Agreement.objects.create(code="pks", title="PKS", region=kaltim, signed_on=date(2023, 3, 13),
                                         term_start=date(2023, 3, 13), status="active")
    local = Agreement.objects.create(code="pks-smr", title="PKS Samarinda", region=samarinda,
                                     signed_on=date(2023, 6, 1), term_start=date(2023, 6, 1), status="active")
    clause = Clause.objects.create(agreement=local, number=1, title="Rapat", text="...", category="evaluation_meetings",
                                   expectation_kind="every_days", evidence_kind="meeting", expectation_value=30)
    local = services.agreement_attach_document(actor=personas["secretariat"], agreement=local,
                                               upload=SimpleUploadedFile("scan.pdf", pdf_bytes()))
    evidence = services.clause_evidence_record(
        actor=personas["samarinda_operator"], clause=clause, occurred_on=date(2024, 2, 1), description="Rakor",
        region=samarinda, attachment=SimpleUploadedFile("notulen.pdf", pdf_bytes()))
    addendum = Addendum.objects.create(agreement=agreement, number="1", title="Addendum", signed_on=date(2023, 9, 1),
                                       document=default_storage.save("agreements/addenda/a1.pdf",
                                                                     SimpleUploadedFile("a1.pdf", pdf_bytes())))
    return {
        "stations": stations, "token": token,
        "agreement": agreement, "local_agreement": local, "clause": clause, "stage": voting,
        "evidence": evidence, "addendum": addendum,
        "risk": risk(voting, samarinda, title="Politik uang"),
        "ikp": IkpScore.objects.create(region=kaltim, election=election, score=Decimal("77.04"), category="tinggi",
                                       published_on=date(2022, 12, 20), source="https://example.test/ikp"),
        "tps_class": TpsVulnerability.objects.create(polling_station=stations["samarinda"], polri_class="rawan",
                                                     assessed_on=date(2024, 2, 5)),
        "pattern": SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4,
                                                  valid_from=date(2023, 10, 17)),
        "polda": Agency.objects.get(code="polda-kaltim"),
        "notification": services.notification_enqueue(
            recipient=personas["samarinda_operator"], kind="test", dedupe_key="contract:1",
            template=lambda context: ("Rapat evaluasi", "Besok pukul 09.00"), url=f"/clauses/{clause.pk}/"),
    }
