"""The meeting's printed documents: the notulen (its print page and PDF) and the daftar
hadir; what they say, in Indonesian, and who may read them (and when)."""

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from coordination.models import User
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope
from meetings import services
from meetings.selectors.documents import (
    BLANK_ROWS,
    EXTRA_ROWS,
    daftar_hadir_for,
    day_and_date,
    notulen_for,
    time_range,
)

from .conftest import wita

pytestmark = pytest.mark.django_db

DATE_WORDS = "Senin tanggal empat bulan Maret tahun dua ribu dua puluh empat"
TIMES = "pukul 09.00 s.d. 11.00 WITA"
CHAIR = "Rudi Gunawan, Ketua KPU Provinsi Kalimantan Timur"
OBSTACLE = "Jarak tempuh verifikasi faktual ke desa terpencil"
SOLUTION = "Tim berangkat H-1 dengan pengawalan Polres Mahakam Ulu"
FOLLOW_UP = "Jadwal ulang pengawalan ke Long Apari"


def test_dates_and_times_read_as_indonesian_documents_write_them():
    assert day_and_date(date(2024, 3, 4)) == "Senin, 4 Maret 2024"
    assert day_and_date(date(2024, 11, 27)) == "Rabu, 27 November 2024"
    assert time_range(wita(2024, 3, 4, 9), wita(2024, 3, 4, 11, 30)) == "pukul 09.00 s.d. 11.30 WITA"
    assert time_range(wita(2024, 3, 4, 20), wita(2024, 3, 5, 1)) == (
        "pukul 20.00 WITA s.d. 5 Maret 2024 pukul 01.00 WITA")
    # Moments are stored in UTC and read in WITA: 23.30 UTC on the 3rd is 07.30 on the 4th.
    utc = UTC
    assert time_range(datetime(2024, 3, 3, 23, 30, tzinfo=utc), datetime(2024, 3, 4, 1, tzinfo=utc)) == (
        "pukul 07.30 s.d. 09.00 WITA")


@pytest.fixture
def named(personas):
    """The people of the province with their names, as the documents print them."""
    for username, first, last in (("province_staff", "Rina", "Marlina"), ("province_police", "Rahmat", "Hidayat")):
        User.objects.filter(username=username).update(first_name=first, last_name=last)
        personas[username].refresh_from_db()
    return personas


@pytest.fixture
def held(monthly, named, agencies):
    """The March meeting (Monday 4 March 2024, 09.00-11.00 WITA), with two agenda items
    (one under the other), held, its attendance taken and its minutes written and submitted."""
    march = monthly.meetings.get(starts_at=wita(2024, 3, 4))
    march = services.meeting_update(actor=named["province_police"], meeting=march, notulis=named["province_staff"])
    top = services.agenda_item_add(actor=named["province_staff"], meeting=march, title="Evaluasi verifikasi faktual",
                                   presenter="Kabag Ops Polda")
    services.agenda_item_add(actor=named["province_staff"], meeting=march, title="Wilayah Mahakam Ulu", parent=top)
    with clock.travel_to(wita(2024, 3, 4, 11)):
        march = services.meeting_hold(actor=named["province_staff"], meeting=march)
    with clock.travel_to(wita(2024, 3, 4, 12)):
        services.attendance_record(actor=named["province_staff"], meeting=march, rows=[
            {"agency": agencies["polda"], "name": "AKBP Rahmat Hidayat", "position": "Kabag Ops"},
            {"agency": agencies["kpu"], "person": named["province_staff"], "position": "Kasubbag Teknis"},
            {"agency": agencies["kpu"], "name": "Ahmad Yani", "position": "Anggota KPU"},
            {"agency": agencies["polda"], "name": "Iptu Budi", "position": "Panit", "present": False},
        ])
        minutes = services.minutes_start(actor=named["province_staff"], meeting=march, chair_name=CHAIR)
        minutes = services.minutes_update(
            actor=named["province_staff"], minutes=minutes, opening="Rapat dibuka pukul 09.05 WITA.",
            decisions="Pengawalan tim verifikasi faktual ke Mahakam Ulu dijadwalkan ulang.",
            closing="Rapat ditutup pukul 10.55 WITA.",
            entries=[{"topic": "Verifikasi faktual", "speaker": "Kabag Ops Polda",
                      "discussion": "Jarak tempuh ke Long Apari 6-7 jam lewat sungai."},
                     {"topic": "Logistik", "speaker": "Kasubbag Teknis KPU", "discussion": "Kotak suara siap."}],
            obstacles=[{"description": OBSTACLE, "proposed_solution": SOLUTION}])
        minutes = services.minutes_submit(actor=named["province_staff"], minutes=minutes)
    with clock.travel_to(wita(2024, 3, 4, 13)):
        services.action_item_create(
            actor=named["province_staff"], meeting=march, title=FOLLOW_UP, owner_agency=agencies["polda"],
            owner=named["province_police"], due_on=date(2024, 3, 25), obstacle=minutes.obstacles.get())
    return march


@pytest.fixture
def locked(held, named):
    """The March minutes approved by both parties on 5 March, then amended on 6 March."""
    minutes = held.minutes
    with clock.travel_to(wita(2024, 3, 5, 10)):
        for who in ("province_staff", "province_police"):
            minutes = services.minutes_approve(actor=named[who], minutes=minutes)
    with clock.travel_to(wita(2024, 3, 6, 8, 15)):
        services.minutes_amend(actor=named["province_staff"], minutes=minutes, reason="Salah ketik tanggal",
                               decisions="Pengawalan dijadwalkan ulang ke 11 Maret 2024.")
    return held


def test_the_notulen_names_the_meeting_its_people_obstacles_and_follow_ups(held, named):
    document = notulen_for(named["province_staff"], held.pk)
    heading = document.heading
    assert heading.agencies == ["KPU-KALTIM", "POLDA-KALTIM"]
    assert heading.day_date == "Senin, 4 Maret 2024"
    assert heading.date_words == f"Pada hari ini {DATE_WORDS}"
    assert heading.time_range == TIMES
    assert heading.place == "Aula KPU Provinsi Kalimantan Timur, Samarinda"
    assert [(line.label, line.title, line.depth) for line in heading.agenda] == [
        ("1", "Evaluasi verifikasi faktual", 0), ("a", "Wilayah Mahakam Ulu", 1)]
    assert (document.chair, document.notulis) == (CHAIR, "Rina Marlina")
    assert [(row.topic, row.speaker) for row in document.discussions] == [
        ("Verifikasi faktual", "Kabag Ops Polda"), ("Logistik", "Kasubbag Teknis KPU")]
    assert [(row.number, row.description, row.solution) for row in document.obstacles] == [(1, OBSTACLE, SOLUTION)]
    assert [(f.title, f.agency, f.person, f.due, f.obstacle_number) for f in document.follow_ups] == [
        (FOLLOW_UP, "POLDA-KALTIM", "Rahmat Hidayat", "25 Maret 2024", 1)]
    # The absent are not counted; the organiser's people come first.
    assert document.attended == 3
    assert [(p.agency, p.count) for p in document.participants] == [("KPU-KALTIM", 2), ("POLDA-KALTIM", 1)]
    assert not document.locked and document.approvals == [] and document.amendments == []
    assert document.filename == f"notula-rapat-{held.pk}-2024-03-04.pdf"


def test_the_print_page_reads_as_a_notulen(held, named, login):
    response = login(named["province_police"]).get(f"/meetings/{held.pk}/minutes/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "size: A4" in html and "@media print" in html
    for text in ("NOTULA RAPAT", "KPU-KALTIM", "POLDA-KALTIM", "Senin, 4 Maret 2024", DATE_WORDS, TIMES,
                 "Aula KPU Provinsi Kalimantan Timur", "Evaluasi verifikasi faktual", "Wilayah Mahakam Ulu", CHAIR,
                 "Rina Marlina", "Pembicara: Kabag Ops Polda", "Jarak tempuh ke Long Apari", OBSTACLE,
                 f"Usulan solusi: {SOLUTION}", FOLLOW_UP, "POLDA-KALTIM (Rahmat Hidayat)", "25 Maret 2024",
                 "(kendala 1)", "3 orang", "daftar hadir terlampir", "Rapat ditutup pukul 10.55 WITA.",
                 "Pimpinan Rapat", "Notulis", f"/meetings/{held.pk}/minutes.pdf",
                 f"/meetings/{held.pk}/attendance/print/"):
        assert text in html, text
    # Not yet approved by both parties: marked as a draft, with no approvals to show.
    assert 'data-testid="notulen-draft"' in html and "Untuk KPU" not in html


def test_locked_minutes_show_who_approved_and_the_amendments(locked, named, login):
    html = login(named["province_staff"]).get(f"/meetings/{locked.pk}/minutes/print/").content.decode()
    assert 'data-testid="notulen-draft"' not in html
    for text in ("Untuk KPU: Rina Marlina, 5 Maret 2024 pukul 10.00 WITA",
                 "Untuk Polri: Rahmat Hidayat, 5 Maret 2024 pukul 10.00 WITA",
                 "Perubahan setelah persetujuan", "Keputusan/kesimpulan", "6 Maret 2024 pukul 08.15 WITA",
                 "oleh Rina Marlina", "Semula: Pengawalan tim verifikasi faktual ke Mahakam Ulu dijadwalkan ulang.",
                 "Menjadi: Pengawalan dijadwalkan ulang ke 11 Maret 2024.", "Alasan: Salah ketik tanggal"):
        assert text in html, text
    # The body reads as amended.
    decisions = html[html.index('data-testid="notulen-decisions"'):]
    assert decisions.index("ke 11 Maret 2024") < decisions.index("</p>")


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_pdf_is_a_download_with_the_notulen_and_its_attendance(locked, named, login):
    response = login(named["province_police"]).get(f"/meetings/{locked.pk}/minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="notula-rapat-{locked.pk}-2024-03-04.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    for expected in ("NOTULA RAPAT", "Hari/tanggal : Senin, 4 Maret 2024", DATE_WORDS, TIMES, CHAIR,
                     "Notulis : Rina Marlina", "Pembicara: Kabag Ops Polda", OBSTACLE, f"Usulan solusi: {SOLUTION}",
                     FOLLOW_UP, "Rahmat Hidayat", "25 Maret 2024", "Untuk KPU: Rina Marlina",
                     "Untuk Polri: Rahmat Hidayat", "Alasan: Salah ketik tanggal",
                     "LAMPIRAN: DAFTAR HADIR", "AKBP Rahmat Hidayat", "Kasubbag Teknis", "Tanda tangan"):
        assert expected in text, expected
    assert "KONSEP" not in text and "Iptu Budi" not in text


def test_a_draft_pdf_says_so(held, named, login):
    text = pdf_text(login(named["province_staff"]).get(f"/meetings/{held.pk}/minutes.pdf").content)
    assert "KONSEP - belum disetujui oleh kedua pihak" in text and "Untuk KPU" not in text


def test_a_name_outside_latin1_does_not_break_the_pdf(held, named, login):
    with clock.travel_to(wita(2024, 3, 4, 14)):
        services.minutes_update(actor=named["province_staff"], minutes=held.minutes, chair_name="Bṳdi → 王")
    response = login(named["province_staff"]).get(f"/meetings/{held.pk}/minutes.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "Budi - ?" in pdf_text(response.content)


def test_the_daftar_hadir_groups_the_present_per_agency(held, named, login):
    document = daftar_hadir_for(named["province_staff"], held.pk)
    assert [(g.agency, [(r.number, r.name, r.position) for r in g.rows]) for g in document.groups] == [
        ("KPU-KALTIM", [(1, "Ahmad Yani", "Anggota KPU"), (2, "Rina Marlina", "Kasubbag Teknis")]),
        ("POLDA-KALTIM", [(3, "AKBP Rahmat Hidayat", "Kabag Ops")]),
    ]
    assert document.blank_numbers == list(range(4, 4 + EXTRA_ROWS))
    html = login(named["province_staff"]).get(f"/meetings/{held.pk}/attendance/print/").content.decode()
    for text in ("DAFTAR HADIR", "KPU-KALTIM", "Senin, 4 Maret 2024", TIMES, "Aula KPU Provinsi",
                 "1. Evaluasi verifikasi faktual", "<th>Nama</th><th>Jabatan</th><th>Instansi</th>", "Tanda tangan",
                 "AKBP Rahmat Hidayat"):
        assert text in html, text
    assert html.count('data-testid="daftar-hadir-agency"') == 2
    assert html.count('data-testid="daftar-hadir-row"') == 3
    assert html.count('data-testid="daftar-hadir-blank"') == EXTRA_ROWS
    # The blank lines are for whoever was not listed, under a heading of their own.
    assert html.index("Peserta lain") < html.index('data-testid="daftar-hadir-blank"')
    assert "Iptu Budi" not in html


def test_the_daftar_hadir_prints_before_the_meeting_with_lines_to_sign(monthly, named, login):
    april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
    response = login(named["province_police"]).get(f"/meetings/{april.pk}/attendance/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "DAFTAR HADIR" in html and "Senin, 1 April 2024" in html and TIMES in html
    assert html.count('data-testid="daftar-hadir-blank"') == BLANK_ROWS == 15
    assert 'data-testid="daftar-hadir-row"' not in html and "Peserta lain" not in html


def test_no_notulen_before_the_minutes_are_written(monthly, named, login):
    april = monthly.meetings.get(starts_at=wita(2024, 4, 1))
    with pytest.raises(OutOfScope):
        notulen_for(named["province_staff"], april.pk)
    client = login(named["province_staff"])
    assert client.get(f"/meetings/{april.pk}/minutes/print/").status_code == 404
    assert client.get(f"/meetings/{april.pk}/minutes.pdf").status_code == 404


def test_the_document_stays_indonesian_in_an_english_page(held, named, client):
    client.force_login(named["province_staff"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/meetings/{held.pk}/minutes/print/").content.decode()
    assert '<html lang="en">' in html and "Back to the minutes" in html
    assert "NOTULA RAPAT" in html and "Hari/tanggal" in html and DATE_WORDS in html


def test_another_scope_does_not_find_the_documents(held, named, login, personas):
    with pytest.raises(OutOfScope):
        notulen_for(personas["samarinda_operator"], held.pk)
    with pytest.raises(OutOfScope):
        daftar_hadir_for(personas["samarinda_operator"], held.pk)
    client = login(personas["samarinda_operator"])
    for path in ("minutes/print/", "minutes.pdf", "attendance/print/"):
        assert client.get(f"/meetings/{held.pk}/{path}").status_code == 404, path


def test_anonymous_visitors_are_sent_to_log_in(held, client):
    for path in ("minutes/print/", "minutes.pdf", "attendance/print/"):
        response = client.get(f"/meetings/{held.pk}/{path}")
        assert response.status_code == 302 and "login" in response["Location"], path



def test_before_the_attendance_is_taken_the_notulen_names_the_invited(held, named, login):
    with clock.travel_to(wita(2024, 3, 4, 14)):
        services.attendance_record(actor=named["province_staff"], meeting=held, rows=[])
    document = notulen_for(named["province_staff"], held.pk)
    assert document.attended == 0 and document.attendance == []
    assert document.participants_text == "undangan KPU-KALTIM, POLDA-KALTIM; daftar hadir terlampir"
    text = pdf_text(login(named["province_staff"]).get(f"/meetings/{held.pk}/minutes.pdf").content)
    assert "Peserta : undangan KPU-KALTIM, POLDA-KALTIM" in text and "LAMPIRAN" not in text
