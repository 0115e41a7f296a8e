"""Indonesian throughout on Indonesian pages: history says labels, not stored values."""

import json
from pathlib import Path

from coordination import services

DATA = Path(__file__).resolve().parents[2] / "data"


def test_history_shows_labels_names_and_reasons_in_indonesian(personas, risks, agencies, client):
    risk, actor = risks["samarinda"], personas["secretariat"]
    services.risk_transition(actor=actor, risk=risk, to_status="mitigating")  # no reason given
    services.risk_update(actor=actor, risk=risk, category="weather", owner=agencies["kpu_samarinda"])
    client.force_login(personas["samarinda_operator"])
    history = client.get(f"/risks/{risk.pk}/").content.decode().split('data-testid="history"')[1]
    assert "Terbuka → Dimitigasi" in history
    assert "Keamanan dan kekerasan → Cuaca dan bencana" in history
    assert f"— → {agencies['kpu_samarinda']}" in history
    assert "mitigating" not in history and "weather" not in history and "WITA" in history
    assert risk.history.order_by("-history_id")[1].history_change_reason == ""  # nothing English stored


def test_history_shows_booleans_as_ya_tidak(personas, stations, client):
    from tests.test_helpers import csv_upload

    station = stations["samarinda"]
    services.polling_station_import_csv(actor=personas["samarinda_operator"], election=station.election,
                                        stream=csv_upload("64.72.01.1001,1,250,true",
                                                          header="village_code,number,voters,is_remote"))
    client.force_login(personas["samarinda_operator"])
    body = client.get(f"/polling-stations/{station.pk}/").content.decode()
    assert "Tidak → Ya" in body


def test_admin_names_the_system_and_shows_history_in_indonesian(secretariat, risks, client):
    risk = risks["samarinda"]
    services.risk_transition(actor=secretariat, risk=risk, to_status="mitigating")
    risk.history.filter(history_change_reason="").update(history_change_reason="open -> mitigating")  # as stored before
    client.force_login(secretariat)
    index = client.get("/admin/").content.decode()
    assert "Koordinasi pengamanan Pemilu dan Pemilihan · KPU–Polda Kaltim" in index
    assert "kpu_polda" not in index
    page = client.get(f"/admin/coordination/riskassessment/{risk.pk}/history/").content.decode()
    assert "Tanggal/waktu" in page and "Alasan perubahan" in page and "WITA" in page
    assert "Terbuka → Dimitigasi" in page and "open -&gt; mitigating" not in page
    change = client.get(f"/admin/coordination/riskassessment/{risk.pk}/change/").content.decode()
    assert "Dimitigasi" in change and "WITA" in change


def test_token_form_errors_are_indonesian(personas, client):
    client.force_login(personas["samarinda_operator"])
    empty = client.post("/profile/", {"name": "", "expires_in_days": "999"}).content.decode()
    assert "Bidang ini harus diisi." in empty and "Pastikan nilai ini lebih kecil dari atau sama dengan 366." in empty
    client.post("/profile/", {"name": "skrip-tps"})
    taken = client.post("/profile/", {"name": "skrip-tps"}).content.decode()
    assert "Anda sudah memiliki token aktif bernama" in taken


def test_shipped_notes_are_indonesian():
    agreement = json.loads((DATA / "agreements" / "kaltim-2023.json").read_text(encoding="utf-8"))
    notes = [agreement["illustrative_note"], agreement["parent"]["illustrative_note"]]
    assert all(note.startswith("Teks pasal") and "illustrative" not in note for note in notes)
