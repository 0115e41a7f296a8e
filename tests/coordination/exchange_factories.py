"""Register entries built through their services, and the province's agreement with the
information-exchange clause they carry out."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import Clause, InformationExchange
from coordination.services import exchange as services
from kpu_polda.base import clock
from tests.factories import agreement, pdf_bytes

# Who sends from which agency (the conftest's personas and agencies).
SENDERS = {"kpu_samarinda": "samarinda_operator", "polresta": "samarinda_police", "kpu": "province_staff",
           "polda": "province_police", "kpu_balikpapan": "balikpapan_operator"}


def exchange_clause(tree) -> Clause:
    """The province's active agreement with its information-exchange clause: every
    request answered within 72 hours."""
    pks = agreement(tree["kaltim"], status="active", code="pks-informasi")
    return Clause.objects.create(agreement=pks, number=6, title="Pertukaran data dan informasi", text="...",
                                 category="information_exchange", expectation_kind="within_hours",
                                 evidence_kind="information_exchange", expectation_value=72)


def entry(agencies, personas, *, source="kpu_samarinda", target="polresta", kind="request",
          classification="public", due_in: int | None = 3, actor=None, status="sent", acknowledge_first=True,
          **extra) -> InformationExchange:
    """An entry sent by ``source`` to ``target`` (agency keys of the conftest), then moved
    to ``status`` by the receiving agency's persona (acknowledged or answered, acknowledged
    first unless ``acknowledge_first`` is false) or the sender's (withdrawn)."""
    sender = actor or personas[SENDERS[source]]
    values = {"subject": f"Permintaan {classification}", "purpose": "Koordinasi pengamanan",
              "legal_basis": "UU 7/2017" if classification != "public" else "", **extra}
    if kind == "sharing":
        values.setdefault("content", "Daftar TPS rawan")
        due = None
    else:
        due = clock.today() + timedelta(days=due_in) if due_in is not None else None
    row = services.exchange_create(actor=sender, kind=kind, from_agency=agencies[source], to_agency=agencies[target],
                                   classification=classification, response_due_on=due, **values)
    receiver = personas[SENDERS[target]] if target in SENDERS else personas["secretariat"]
    if status == "acknowledged" or (status == "answered" and acknowledge_first):
        row = services.exchange_acknowledge(actor=receiver, exchange=row)
    if status == "answered":
        row = services.exchange_answer(actor=receiver, exchange=row, answer="Terlampir")
    elif status == "withdrawn":
        row = services.exchange_withdraw(actor=sender, exchange=row, reason="Tidak diperlukan lagi")
    return row


def late(entry_row, days: int = 5) -> InformationExchange:
    """Move an entry's answer date into the past (as if it had been sent long ago): the
    service refuses such a date, so the row is set directly, for reads only."""
    InformationExchange.objects.filter(pk=entry_row.pk).update(response_due_on=clock.today() - timedelta(days=days))
    entry_row.refresh_from_db()
    return entry_row


def pdf(name="surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
