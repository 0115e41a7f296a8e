"""The information exchange register: its pages (coordination/views/exchange.py) and API
(coordination/api/exchange.py).

The world: a confidential request of Polresta Samarinda to KPU Samarinda (with a file),
seen by the two agencies and the secretariat only, every other persona reading it as
missing (404); public requests of KPU Samarinda to Polresta Samarinda, one sent and one
acknowledged, seen by everyone whose scope holds Samarinda (Balikpapan's operator does
not find them); and the province's public request of Polda to KPU Kaltim, seen by all.
The receiver (Polresta, or KPU Samarinda for the confidential one) acknowledges and
answers, the sender withdraws, either attaches files, the secretariat may do each; a
persona who sees an entry but is not its party is refused (403). Pages post forms; API
rows post multipart, as the test client does.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from .harness import OTHER, api, page, scoped_api, scoped_page

PARTIES = {"samarinda_operator", "samarinda_police", "secretariat"}  # of the confidential request


def secret_page(ok=200, **overrides):
    return page(404, **{**{p: ok for p in PARTIES}, **overrides})


def secret_api(ok=200, **overrides):
    return api(404, **{**{p: ok for p in PARTIES}, **overrides})


def receiver_page(ok=302, **overrides):
    """A step of Polresta on a Samarinda entry: Polresta and the secretariat; the others
    who see it are refused; Balikpapan does not find it."""
    return page(403, **{"samarinda_police": ok, "secretariat": ok, OTHER: 404, **overrides})


def receiver_api(ok=200, **overrides):
    return api(403, **{"samarinda_police": ok, "secretariat": ok, OTHER: 404, **overrides})


def pdf():
    from tests.factories import pdf_bytes

    return SimpleUploadedFile("surat.pdf", pdf_bytes(), content_type="application/pdf")


def due(c) -> str:
    return (c["today"] + timedelta(days=3)).isoformat()


def entry_form(c):
    return {"kind": "request", "from_agency": c["agencies"]["kpu-samarinda"].pk,
            "to_agency": c["agencies"]["polres-samarinda"].pk, "subject": "Data kerawanan TPS",
            "purpose": "Pola pengamanan", "legal_basis": "", "classification": "public", "response_due_on": due(c),
            "content": "", "attachment_title": ""}


def entry_api(c):
    return {"kind": "request", "from_agency": "kpu-samarinda", "to_agency": "polres-samarinda",
            "subject": "Data kerawanan TPS", "purpose": "Pola pengamanan", "response_due_on": due(c)}


def e(c, name, action=""):
    return f"/exchanges/{c[name].pk}/" + (f"{action}/" if action else "")


def ea(c, name, action=""):
    return f"/api/v1/exchanges/{c[name].pk}/" + (f"{action}/" if action else "")


ROUTES = {
    # --- pages ----------------------------------------------------------------------------------
    "coordination:exchange-list": [
        ("get", lambda c: "/exchanges/", None, page()),
        ("get", lambda c: "/exchanges/?kind=request&classification=public&status=sent&overdue=false&open=true"
                          "&from_agency=kpu-samarinda&q=data", None, page()),
    ],
    "coordination:exchange-create": [
        ("get", lambda c: "/exchanges/new/", None, page(observer=403)),
        # Only KPU Samarinda's own operator and the secretariat may send as KPU Samarinda:
        # for everyone else the form offers no such sender (a form error).
        ("post", lambda c: "/exchanges/new/", entry_form,
         page(400, samarinda_operator=302, secretariat=302, observer=403)),
    ],
    "coordination:exchange-detail": [
        ("get", lambda c: e(c, "secret"), None, secret_page()),
        ("get", lambda c: e(c, "request"), None, scoped_page()),
        ("get", lambda c: e(c, "province"), None, page()),
        ("get", lambda c: "/exchanges/999999/", None, page(404)),
    ],
    "coordination:exchange-acknowledge": [
        ("post", lambda c: e(c, "secret", "acknowledge"), lambda c: {"next": "/"},
         secret_page(302, samarinda_police=403)),
        ("post", lambda c: e(c, "request", "acknowledge"), None, receiver_page()),
        ("post", lambda c: e(c, "acknowledged", "acknowledge"), None, receiver_page(409)),
    ],
    "coordination:exchange-answer": [
        ("post", lambda c: e(c, "request", "answer"), lambda c: {"answer": "Rencana terlampir"}, receiver_page()),
    ],
    "coordination:exchange-withdraw": [
        ("post", lambda c: e(c, "request", "withdraw"), lambda c: {"reason": "Sudah dibahas di rapat"},
         page(403, samarinda_operator=302, secretariat=302, **{OTHER: 404})),
    ],
    "coordination:exchange-attach": [
        ("post", lambda c: e(c, "secret", "attachments"), lambda c: {"file": pdf(), "title": "Surat"},
         secret_page(302)),
    ],
    "coordination:exchange-attachment": [
        ("get", lambda c: f"/exchange-attachments/{c['attachment'].pk}/", None, secret_page()),
        ("get", lambda c: "/exchange-attachments/999999/", None, page(404)),
    ],
    # --- API ------------------------------------------------------------------------------------
    "exchange-list": [
        ("get", lambda c: "/api/v1/exchanges/", None, api()),
        ("get", lambda c: "/api/v1/exchanges/?kind=request&classification=confidential&to_agency=kpu-samarinda"
                          "&overdue=true", None, api()),
        # Balikpapan's operator knows neither agency (400); the others are no KPU Samarinda writer (403).
        ("post", lambda c: "/api/v1/exchanges/", entry_api,
         api(403, samarinda_operator=201, secretariat=201, **{OTHER: 400})),
    ],
    "exchange-detail": [
        ("get", lambda c: ea(c, "secret"), None, secret_api()),
        ("get", lambda c: ea(c, "request"), None, scoped_api()),
        ("get", lambda c: ea(c, "province"), None, api()),
        ("get", lambda c: "/api/v1/exchanges/999999/", None, api(404)),
    ],
    "exchange-acknowledge": [
        ("post", lambda c: ea(c, "secret", "acknowledge"), None, secret_api(samarinda_police=403)),
        ("post", lambda c: ea(c, "acknowledged", "acknowledge"), None, receiver_api(409)),
    ],
    "exchange-answer": [
        ("post", lambda c: ea(c, "request", "answer"), lambda c: {"answer": "Rencana terlampir"}, receiver_api()),
    ],
    "exchange-withdraw": [
        ("post", lambda c: ea(c, "request", "withdraw"), lambda c: {"reason": "Tidak diperlukan lagi"},
         api(403, samarinda_operator=200, secretariat=200, **{OTHER: 404})),
    ],
    "exchange-attachments": [
        ("post", lambda c: ea(c, "secret", "attachments"), lambda c: {"file": pdf()}, secret_api(201)),
    ],
    "exchange-accesses": [
        # The sending agency's and the secretariat's: the receiving agency sees the entry, not its log.
        ("get", lambda c: ea(c, "secret", "accesses"), None, secret_api(samarinda_operator=403)),
    ],
}


def world(stations, personas):
    from coordination.models import Agency
    from coordination.services import exchange as services
    from kpu_polda.base import clock

    today = clock.today()
    agencies = {agency.code: agency for agency in Agency.objects.select_related("jurisdiction")}
    kpu, police = personas["samarinda_operator"], personas["samarinda_police"]

    def make(actor, source, target, subject, **extra):
        return services.exchange_create(actor=actor, kind="request", from_agency=agencies[source],
                                        to_agency=agencies[target], subject=subject, purpose="Koordinasi",
                                        response_due_on=today + timedelta(days=4), **extra)

    secret = make(police, "polres-samarinda", "kpu-samarinda", "Data pribadi anggota KPPS",
                  classification="confidential", legal_basis="UU 27/2022 Pelindungan Data Pribadi")
    attachment = services.exchange_attach(actor=police, exchange=secret, file=pdf())
    request = make(kpu, "kpu-samarinda", "polres-samarinda", "Rencana pengamanan rekapitulasi")
    acknowledged = services.exchange_acknowledge(
        actor=police, exchange=make(kpu, "kpu-samarinda", "polres-samarinda", "Jalur distribusi logistik"))
    province = make(personas["province_police"], "polda-kaltim", "kpu-kaltim", "Jadwal distribusi logistik")
    return {"today": today, "agencies": agencies, "secret": secret, "attachment": attachment, "request": request,
            "acknowledged": acknowledged, "province": province}
