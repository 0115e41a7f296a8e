"""Who the outbox tells about register entries, in which language, and what it says:
the receiving agency's writers of a new entry, the sender's of an answer; the content of
a restricted entry never goes into an email."""

from django.utils import translation

from coordination.choices import ExchangeKind
from coordination.models import Notification
from coordination.services import exchange as services
from coordination.services.notifications import KINDS
from tests.coordination.exchange_factories import entry
from tests.factories import UserFactory


def notes(kind):
    return {n.recipient.username: n for n in Notification.objects.filter(kind=kind).select_related("recipient")}


def test_both_kinds_are_registered_for_the_preferences_page():
    assert {services.RECEIVED, services.ANSWERED} <= set(KINDS)


def test_the_receiving_agencys_writers_are_told_of_a_new_entry_in_their_language(agencies, personas):
    personas["samarinda_police"].language = "en"
    personas["samarinda_police"].save(update_fields=["language"])
    UserFactory(username="polresta-lama", agency=agencies["polresta"], role="police_officer", is_active=False)
    UserFactory(username="polresta-pemantau", agency=agencies["polresta"], role="observer")
    colleague = UserFactory(username="polresta-piket", agency=agencies["polresta"], role="police_officer",
                            language="id")
    row = entry(agencies, personas, subject="Rencana pengamanan rekapitulasi", purpose="Penyesuaian jadwal PPK")
    told = notes(services.RECEIVED)
    assert set(told) == {"samarinda_police", "polresta-piket"}  # active writers only, not the sender's agency
    english, indonesian = told["samarinda_police"], told[colleague.username]
    assert english.language == "en" and english.subject.startswith("Request for information from KPU Samarinda")
    assert "Penyesuaian jadwal PPK" in english.body  # a public entry's purpose may travel
    with translation.override("id"):  # each in the recipient's own words (the choice label too)
        assert indonesian.language == "id"
        assert indonesian.subject.startswith(f"{ExchangeKind.REQUEST.label} ") and indonesian.subject.endswith(
            ": Rencana pengamanan rekapitulasi")
    assert english.url == f"/exchanges/{row.pk}/" and english.target_id == row.pk


def test_a_restricted_entry_is_named_but_its_content_is_not_sent(agencies, personas):
    row = entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential",
                subject="Data pribadi anggota KPPS", purpose="Nama, NIK dan alamat petugas")
    [note] = notes(services.RECEIVED).values()
    assert note.recipient == personas["samarinda_operator"]
    assert "Data pribadi anggota KPPS" in note.subject and "NIK" not in note.subject + note.body
    services.exchange_answer(actor=personas["samarinda_operator"], exchange=row,
                             answer="Data diberikan setelah surat resmi dari Kapolresta")
    [answer] = notes(services.ANSWERED).values()
    assert answer.recipient == personas["samarinda_police"]
    assert "Kapolresta" not in answer.subject + answer.body and "KPPS" in answer.subject


def test_the_sender_is_told_of_the_answer_once(agencies, personas):
    row = entry(agencies, personas, status="acknowledged")
    services.exchange_answer(actor=personas["samarinda_police"], exchange=row, answer="Rencana terlampir")
    told = notes(services.ANSWERED)
    assert set(told) == {"samarinda_operator"} and "Rencana terlampir" in told["samarinda_operator"].body
    assert Notification.objects.filter(kind=services.RECEIVED).count() == 1  # the acknowledgement tells nobody


def test_a_withdrawal_cancels_what_was_not_sent_yet(agencies, personas):
    row = entry(agencies, personas)
    services.exchange_withdraw(actor=personas["samarinda_operator"], exchange=row, reason="Salah alamat")
    assert Notification.objects.get(kind=services.RECEIVED).cancelled_at is not None
