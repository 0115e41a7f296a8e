"""Query bounds of the information exchange register: its pages, API list and GET actions,
and admin changelists (see test_query_bounds.py).

Every entry is Samarinda's, between KPU Samarinda and Polresta Samarinda, made through the
services by their personas, so each grows what the Samarinda personas and the scoped
secretariat of Samarinda ("regional_clerk") see: every classification, both kinds, some
acknowledged, answered or late, some with a file."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Agency, InformationExchange, User
from coordination.services import exchange as services
from kpu_polda.base import clock
from tests.factories import pdf_bytes
from tests.platform.growers import grow_agencies

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py
CLASSIFICATIONS = ["public", "limited", "confidential"]


def _people():
    return (User.objects.get(username="samarinda_operator"), User.objects.get(username="samarinda_police"),
            Agency.objects.select_related("jurisdiction").get(code="kpu-samarinda"),
            Agency.objects.select_related("jurisdiction").get(code="polres-samarinda"))


def _pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def grow_exchanges(tree, election, start, count):
    operator, police, kpu, polresta = _people()
    for index in range(start, start + count):
        classification = CLASSIFICATIONS[index % 3]
        sharing = index % 4 == 3
        sender, source, target, receiver = (operator, kpu, polresta, police) if index % 2 else \
            (police, polresta, kpu, operator)
        row = services.exchange_create(
            actor=sender, kind="sharing" if sharing else "request", from_agency=source, to_agency=target,
            subject=f"Data {index}", purpose="Koordinasi", classification=classification,
            legal_basis="UU 7/2017" if classification != "public" else "", content="Daftar" if sharing else "",
            response_due_on=None if sharing else clock.today() + timedelta(days=index % 5),
            attachment=_pdf(f"surat-{index}.pdf") if index % 3 == 1 else None)
        if index % 5 == 1:
            services.exchange_acknowledge(actor=receiver, exchange=row)
        elif index % 5 == 2 and not sharing:
            services.exchange_answer(actor=receiver, exchange=row, answer="Terlampir")
        elif index % 5 == 3:
            InformationExchange.objects.filter(pk=row.pk).update(response_due_on=clock.today() - timedelta(days=1))


def _secret(tree):
    row = InformationExchange.objects.filter(subject="bounds secret").first()
    if row is None:
        _operator, police, kpu, polresta = _people()
        row = services.exchange_create(actor=police, kind="request", from_agency=polresta, to_agency=kpu,
                                       subject="bounds secret", purpose="Koordinasi", classification="confidential",
                                       legal_basis="UU 27/2022", response_due_on=clock.today())
    return row


def grow_attachments(tree, election, start, count):
    _operator, police, _kpu, _polresta = _people()
    row = _secret(tree)
    for index in range(start, start + count):
        services.exchange_attach(actor=police, exchange=row, file=_pdf(f"lampiran-{index}.pdf"))


def grow_accesses(tree, election, start, count):
    """Looks at the confidential entry of ``world``, and refused attempts on it."""
    row = _secret(tree)
    viewers = [User.objects.get(username=name) for name in ("samarinda_operator", "secretariat",
                                                            "balikpapan_operator")]
    for index in range(start, start + count):
        viewer = viewers[index % 3]
        services.exchange_access_record(viewer=viewer, exchange=row, channel=["page", "api", "file"][index % 3],
                                        outcome="refused" if viewer.username == "balikpapan_operator" else "shown")


def world(tree, election):
    return {"exchange_secret": _secret(tree)}


CASES = [
    ("/exchanges/", grow_exchanges, "samarinda_operator", 10),
    ("/exchanges/?classification=confidential&overdue=false&open=true", grow_exchanges, "samarinda_police", 10),
    ("/exchanges/new/", grow_agencies, "samarinda_operator", 10, lambda r: None),
    ("/exchanges/{exchange_secret}/", grow_attachments, "samarinda_police", 16,
     lambda r: len(r.context["attachments"])),
    ("/exchanges/{exchange_secret}/", grow_accesses, "samarinda_police", 16, lambda r: len(r.context["accesses"])),
    ("/api/v1/exchanges/", grow_exchanges, "samarinda_operator", 9),
    ("/api/v1/exchanges/?kind=request&overdue=true", grow_exchanges, "samarinda_police", 9),
    ("/api/v1/exchanges/{exchange_secret}/accesses/", grow_accesses, "samarinda_police", 9),
    ("/admin/coordination/informationexchange/", grow_exchanges, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/exchangeaccess/", grow_accesses, SCOPED_SECRETARIAT, 14),
]

NO_ROWS = {
    "coordination:exchange-acknowledge": "POST only",
    "coordination:exchange-answer": "POST only",
    "coordination:exchange-withdraw": "POST only",
    "coordination:exchange-attach": "POST only",
    "coordination:exchange-attachment": "one stored file of one entry",
}
