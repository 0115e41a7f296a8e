"""The berita acara serah terima: the date in words, the record's content, the print page
with its QR code and the PDF download, and who may read it (and when)."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope
from logistics import services
from logistics.pdf import latin1
from logistics.selectors import berita_acara_for, date_in_words

pytestmark = pytest.mark.django_db

WITA = timezone.get_fixed_timezone(8 * 60)
MORNING = datetime(2024, 2, 13, 7, 0, tzinfo=WITA)
HANDED = datetime(2024, 2, 13, 14, 30, tzinfo=WITA)
SENTENCE = "Pada hari ini Selasa tanggal tiga belas bulan Februari tahun dua ribu dua puluh empat"


def test_date_in_words_reads_as_a_berita_acara_opens():
    assert date_in_words(date(2024, 2, 13)) == SENTENCE
    assert date_in_words(date(2024, 11, 27)) == (
        "Pada hari ini Rabu tanggal dua puluh tujuh bulan November tahun dua ribu dua puluh empat")
    assert date_in_words(date(2025, 1, 1)).startswith("Pada hari ini Rabu tanggal satu bulan Januari tahun dua ribu")


def test_pdf_text_is_folded_to_what_core_fonts_draw():
    assert latin1("Gudang → TPS · 1") == "Gudang - TPS - 1"
    assert latin1("Ṣiti Ämin") == "Siti Ämin"


@pytest.fixture
def handed(make_escort, personas):
    """An escort handed over on Tuesday 13 February 2024 at 14.30 WITA, signed by name and role."""
    with clock.travel_to(MORNING):
        escort = make_escort("arrived", planned_departure=MORNING + timedelta(hours=1))
    counts = {item.pk: item.quantity for item in escort.items.all()}
    with clock.travel_to(HANDED - timedelta(minutes=5)):
        services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                                 counts=counts, seals_intact=True, seals_seen="S-001 S-002",
                                 signer_name="Iptu Budi Santoso", acting_as="Komandan pengawalan")
    with clock.travel_to(HANDED):
        done = services.custody_confirm(actor=personas["samarinda_operator"], escort=escort,
                                        action="handover-receipt", counts=counts, seals_intact=True,
                                        seals_seen="S-001 S-002", signer_name="Siti Aminah",
                                        acting_as="Ketua KPPS", witnesses="Ahmad Yani, Rina Marlina")
    assert done.handed_over
    return done.escort


def test_the_record_names_both_parties_the_goods_and_the_moment(handed, personas):
    document = berita_acara_for(personas["samarinda_operator"], handed.pk)
    assert document.number == f"BA/{handed.number}" and document.number.startswith("BA/ESC/64.72/2024/")
    assert document.date_words == SENTENCE
    assert document.time_words == "pukul 14.30 WITA"
    assert (document.first.name, document.first.acting_as) == ("Iptu Budi Santoso", "Komandan pengawalan")
    assert document.first.agency == personas["samarinda_police"].agency.name
    assert (document.first.commander_name, document.first.commander_nrp) == ("Iptu Budi Santoso", "85010123")
    assert (document.second.name, document.second.acting_as) == ("Siti Aminah", "Ketua KPPS")
    assert document.second.agency == personas["samarinda_operator"].agency.name
    assert [(i.kind, i.counted, i.unit, i.seals) for i in document.items] == [
        ("ballot_president", 204, "lembar", []), ("ballot_box", 5, "buah", ["S-001", "S-002"])]
    assert document.witnesses == ["Ahmad Yani", "Rina Marlina"]
    assert document.place == handed.destination_name
    assert document.discrepancies == []
    assert document.filename == f"BA-{handed.number.replace('/', '-')}.pdf"


def test_open_discrepancies_are_noted(make_escort, personas):
    escort = make_escort("arrived")
    items = list(escort.items.all())
    fewer = {items[0].pk: items[0].quantity - 4, items[1].pk: items[1].quantity}
    for actor, action in [(personas["samarinda_police"], "handover-escort"),
                          (personas["samarinda_operator"], "handover-receipt")]:
        services.custody_confirm(actor=actor, escort=escort, action=action, counts=fewer, seals_intact=True,
                                 seals_seen="S-001 S-002")
    document = berita_acara_for(personas["samarinda_police"], escort.pk)
    assert document.items[0].counted == 200 and document.items[0].sent == 204
    assert [(d.expected, d.counted) for d in document.discrepancies] == [(204, 200)]


def test_the_print_page_is_a4_with_the_qr_code(handed, login, personas):
    response = login(personas["samarinda_police"]).get(f"/logistics/escorts/{handed.pk}/berita-acara/")
    assert response.status_code == 200
    html = response.content.decode()
    qr = html[html.index('data-testid="berita-acara-qr"'):]
    assert qr.index("<svg") < qr.index("</svg>") and 'class="segno"' in qr
    assert "size: A4" in html and "@media print" in html
    for text in (f"BA/{handed.number}", "PIHAK PERTAMA", "PIHAK KEDUA", SENTENCE, "pukul 14.30 WITA",
                 "Ahmad Yani", "Siti Aminah", "85010123", f"/logistics/escorts/{handed.pk}/berita-acara.pdf"):
        assert text in html, text


def test_the_pdf_is_a_download_with_the_record(handed, login, personas):
    response = login(personas["samarinda_operator"]).get(f"/logistics/escorts/{handed.pk}/berita-acara.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    name = f"BA-{handed.number.replace('/', '-')}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in (f"BA/{handed.number}", "PIHAK PERTAMA", "PIHAK KEDUA", SENTENCE, "pukul 14.30 WITA",
                     "Iptu Budi Santoso", "Siti Aminah", "Ahmad Yani", "S-001, S-002"):
        assert expected in text, expected
    assert any(page.images for page in reader.pages)  # the QR code


def test_a_name_outside_latin1_does_not_break_the_pdf(make_escort, personas, login):
    escort = make_escort("arrived")
    counts = {item.pk: item.quantity for item in escort.items.all()}
    services.custody_confirm(actor=personas["samarinda_police"], escort=escort, action="handover-escort",
                             counts=counts, seals_intact=True, seals_seen="S-001 S-002", signer_name="Bṳdi → 王")
    services.custody_confirm(actor=personas["samarinda_operator"], escort=escort, action="handover-receipt",
                             counts=counts, seals_intact=True, seals_seen="S-001 S-002")
    response = login(personas["samarinda_operator"]).get(f"/logistics/escorts/{escort.pk}/berita-acara.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_closed_escort_keeps_its_record(make_escort, personas):
    escort = make_escort("closed")
    assert berita_acara_for(personas["province_staff"], escort.pk).number == f"BA/{escort.number}"


def test_another_region_does_not_find_the_record(handed, login, personas):
    with pytest.raises(OutOfScope):
        berita_acara_for(personas["balikpapan_operator"], handed.pk)
    client = login(personas["balikpapan_operator"])
    assert client.get(f"/logistics/escorts/{handed.pk}/berita-acara/").status_code == 404
    assert client.get(f"/logistics/escorts/{handed.pk}/berita-acara.pdf").status_code == 404


@pytest.mark.parametrize("status", ["submitted", "assigned", "departed", "arrived", "cancelled"])
def test_no_record_before_the_hand_over(make_escort, login, personas, status):
    escort = make_escort(status)
    client = login(personas["samarinda_operator"])
    assert client.get(f"/logistics/escorts/{escort.pk}/berita-acara/").status_code == 404
    assert client.get(f"/logistics/escorts/{escort.pk}/berita-acara.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(handed, client):
    response = client.get(f"/logistics/escorts/{handed.pk}/berita-acara.pdf")
    assert response.status_code == 302 and "login" in response["Location"]
