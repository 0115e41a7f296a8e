"""The register's entries through their services: recording (and the bad input refused
with nothing saved), who acknowledges, answers and withdraws, acknowledging twice, the
trail and history naming the actor, and the clause's evidence."""

import logging
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import (
    ClauseEvidence,
    ExchangeAttachment,
    ExchangeStatusChange,
    InformationExchange,
    Notification,
)
from coordination.services import exchange as services
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied, TransitionNotAllowed
from tests.coordination.exchange_factories import entry, exchange_clause, pdf


def create(agencies, personas, actor="samarinda_operator", **values):
    base = {"kind": "request", "from_agency": agencies["kpu_samarinda"], "to_agency": agencies["polresta"],
            "subject": "Rencana pengamanan", "purpose": "Koordinasi", "response_due_on": clock.today()}
    return services.exchange_create(actor=personas[actor], **{**base, **values})


def refused(agencies, personas, error=ValidationError, actor="samarinda_operator", **values):
    with pytest.raises(error) as caught:
        create(agencies, personas, actor=actor, **values)
    assert InformationExchange.objects.count() == 0 and Notification.objects.count() == 0
    return caught.value


def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(agencies, personas, english):
    assert refused(agencies, personas, response_due_on=None).message_dict == {
        "response_due_on": ["A request needs the date it must be answered by."]}
    assert refused(agencies, personas, response_due_on=clock.today() - timedelta(days=1)).message_dict == {
        "response_due_on": ["The answer date cannot lie in the past."]}
    assert refused(agencies, personas, to_agency=agencies["kpu_samarinda"]).message_dict == {
        "to_agency": ["The receiving agency is another agency than the sender."]}
    assert refused(agencies, personas, kind="sharing", response_due_on=None).message_dict == {
        "content": ["Write the information that is shared."]}
    assert set(refused(agencies, personas, subject="  ", purpose="").message_dict) == {"subject", "purpose"}
    assert "legal_basis" in refused(agencies, personas, classification="confidential").message_dict
    assert "classification" in refused(agencies, personas, classification="rahasia-negara").message_dict
    assert refused(agencies, personas, to_agency=agencies["polres_balikpapan"]).message_dict == {
        "to_agency": ["Unknown agency."]}  # not an agency Samarinda's operator can see
    bad_file = SimpleUploadedFile("data.pdf", b"not a pdf", content_type="application/pdf")
    assert "attachment" in refused(agencies, personas, attachment=bad_file).message_dict


def test_an_entry_is_sent_by_its_own_agency_or_the_secretariat(agencies, personas):
    refused(agencies, personas, PermissionDenied, actor="observer")
    refused(agencies, personas, PermissionDenied, actor="samarinda_police")  # not Polresta's to send as KPU
    refused(agencies, personas, PermissionDenied, actor="province_staff")
    row = create(agencies, personas, actor="secretariat", attachment=pdf(), attachment_title="Surat permintaan")
    assert (row.sent_by, row.area.code, row.status) == (personas["secretariat"], "64.72", "sent")
    assert ExchangeAttachment.objects.get(exchange=row).title == "Surat permintaan"
    assert row.history.first().history_user == personas["secretariat"]


def test_acknowledging_twice_answers_a_conflict_saves_nothing_and_is_logged(agencies, personas, caplog):
    row = entry(agencies, personas, status="acknowledged")
    acknowledged_at = row.acknowledged_at
    history = row.history.count()
    with caplog.at_level(logging.WARNING, logger="coordination.services.exchange"), pytest.raises(Conflict) as caught:
        services.exchange_acknowledge(actor=personas["secretariat"], exchange=row)
    assert caught.value.code == "already_acknowledged"
    row.refresh_from_db()
    assert (row.acknowledged_at, row.acknowledged_by) == (acknowledged_at, personas["samarinda_police"])
    assert row.history.count() == history and ExchangeStatusChange.objects.filter(exchange=row).count() == 1
    [record] = [r for r in caplog.records if r.name == "coordination.services.exchange"]
    assert record.levelname == "WARNING" and "secretariat" in record.getMessage()
    assert f"information exchange {row.pk}" in record.getMessage()


def test_the_receiver_acknowledges_and_answers_the_sender_withdraws(agencies, personas):
    row = entry(agencies, personas)
    for name in ("samarinda_operator", "province_staff", "observer"):  # they see it; it is not theirs to receive
        with pytest.raises(PermissionDenied):
            services.exchange_acknowledge(actor=personas[name], exchange=row)
    with pytest.raises(OutOfScope):
        services.exchange_acknowledge(actor=personas["balikpapan_operator"], exchange=row)
    with pytest.raises(PermissionDenied):
        services.exchange_withdraw(actor=personas["samarinda_police"], exchange=row, reason="x")
    answered = services.exchange_answer(actor=personas["samarinda_police"], exchange=row, answer=" Terlampir ")
    # Answering a sent request acknowledges it too, in one move.
    assert (answered.status, answered.answer, answered.answered_by) == ("answered", "Terlampir",
                                                                         personas["samarinda_police"])
    assert answered.acknowledged_by == personas["samarinda_police"] and answered.acknowledged_at is not None
    trail = list(ExchangeStatusChange.objects.filter(exchange=row).values_list("from_status", "to_status",
                                                                               "changed_by"))
    assert trail == [("sent", "answered", personas["samarinda_police"].pk)]
    assert InformationExchange.objects.get(pk=row.pk).history.first().history_user == personas["samarinda_police"]
    with pytest.raises(Conflict):  # answered acknowledges: a second acknowledgement is refused the same way
        services.exchange_acknowledge(actor=personas["samarinda_police"], exchange=row)
    with pytest.raises(TransitionNotAllowed):
        services.exchange_withdraw(actor=personas["samarinda_operator"], exchange=row, reason="Terlambat")
    with pytest.raises(TransitionNotAllowed):
        services.exchange_answer(actor=personas["samarinda_police"], exchange=row, answer="Lagi")


def test_answers_are_for_requests_and_withdrawals_need_a_reason(agencies, personas, english):
    shared = entry(agencies, personas, kind="sharing")
    with pytest.raises(ValidationError) as caught:
        services.exchange_answer(actor=personas["samarinda_police"], exchange=shared, answer="Terima kasih")
    assert caught.value.message_dict == {"answer": ["Information shared is acknowledged, not answered."]}
    request = entry(agencies, personas)
    with pytest.raises(ValidationError):
        services.exchange_answer(actor=personas["samarinda_police"], exchange=request, answer="   ")
    with pytest.raises(ValidationError):
        services.exchange_withdraw(actor=personas["samarinda_operator"], exchange=request, reason=" ")
    assert InformationExchange.objects.filter(status="sent").count() == 2
    withdrawn = services.exchange_withdraw(actor=personas["samarinda_operator"], exchange=request,
                                           reason="Sudah diterima lewat rapat")
    assert withdrawn.status == "withdrawn"
    with pytest.raises(TransitionNotAllowed):
        services.exchange_acknowledge(actor=personas["samarinda_police"], exchange=request)
    with pytest.raises(Conflict):
        services.exchange_attach(actor=personas["samarinda_operator"], exchange=request, file=pdf())


def test_either_party_attaches_files(agencies, personas):
    row = entry(agencies, personas, classification="limited")
    services.exchange_attach(actor=personas["samarinda_police"], exchange=row, file=pdf("jawaban.pdf"))
    services.exchange_attach(actor=personas["samarinda_operator"], exchange=row, file=pdf(), title="Surat")
    assert list(row.attachments.values_list("title", "uploaded_by__username")) == [
        ("jawaban.pdf", "samarinda_police"), ("Surat", "samarinda_operator")]
    with pytest.raises(OutOfScope):  # a limited entry is not even seen by the province's staff
        services.exchange_attach(actor=personas["province_staff"], exchange=row, file=pdf())
    with pytest.raises(ValidationError):
        services.exchange_attach(actor=personas["samarinda_police"], exchange=row,
                                 file=SimpleUploadedFile("x.exe", b"MZ"))


def test_the_clause_shows_the_entry_as_evidence(tree, agencies, personas, client):
    clause = exchange_clause(tree)
    row = entry(agencies, personas, subject="Permintaan jadwal rekapitulasi")
    evidence = ClauseEvidence.objects.get(source_id=row.pk, clause=clause)
    assert (evidence.kind, evidence.region.code, evidence.fulfilled_at) == ("information_exchange", "64.72", None)
    assert evidence.recorded_by == personas["samarinda_operator"]
    answered = services.exchange_answer(actor=personas["samarinda_police"], exchange=row, answer="Terlampir")
    evidence.refresh_from_db()
    assert evidence.fulfilled_at == answered.answered_at
    client.force_login(personas["samarinda_operator"])
    assert "Permintaan jadwal rekapitulasi" in client.get(f"/clauses/{clause.pk}/").content.decode()
    shared = entry(agencies, personas, kind="sharing", subject="Daftar TPS rawan")
    assert ClauseEvidence.objects.get(source_id=shared.pk).fulfilled_at is None
    services.exchange_acknowledge(actor=personas["samarinda_police"], exchange=shared)
    assert ClauseEvidence.objects.get(source_id=shared.pk).fulfilled_at is not None
    withdrawn = entry(agencies, personas, subject="Ditarik")
    services.exchange_withdraw(actor=personas["samarinda_operator"], exchange=withdrawn, reason="Tidak perlu")
    assert not ClauseEvidence.objects.filter(source_id=withdrawn.pk).exists()  # not a late request


def test_the_clause_page_names_no_subject_of_a_restricted_entry(tree, agencies, personas, client):
    clause = exchange_clause(tree)
    secret = entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential",
                   subject="Data pribadi anggota KPPS")
    evidence = ClauseEvidence.objects.get(source_id=secret.pk, clause=clause)
    assert "KPPS" not in evidence.description and "Polresta Samarinda" in evidence.description
    services.exchange_answer(actor=personas["samarinda_operator"], exchange=secret, answer="Ditolak: tanpa dasar")
    evidence.refresh_from_db()
    assert evidence.fulfilled_at is not None and "KPPS" not in evidence.description
    client.force_login(personas["observer"])  # Bawaslu sees the clause's evidence, not the entry
    page = client.get(f"/clauses/{clause.pk}/").content.decode()
    assert "Polresta Samarinda" in page and "KPPS" not in page
