from datetime import date
from io import StringIO

from django.core.management import call_command

from coordination import services
from coordination.models import Agency, PollingStation, Region
from tests.test_helpers import csv_upload


def test_service_writes_name_their_actor(personas, election, tree):
    actor = personas["samarinda_operator"]
    services.polling_station_import_csv(actor=actor, election=election,
                                        stream=csv_upload("64.72.01.1001,1,250"))
    services.polling_station_import_csv(actor=actor, election=election,
                                        stream=csv_upload("64.72.01.1001,1,260"))
    records = PollingStation.objects.get().history.order_by("history_date")
    assert [(r.history_type, r.voters, r.history_user) for r in records] == [("+", 250, actor), ("~", 260, actor)]


def test_command_writes_name_the_system_actor(db):
    call_command("load_regions", stdout=StringIO())
    record = Region.history.filter(code="64.72").get()
    assert record.history_user.username == "system"
    assert not record.history_user.is_active


def test_object_pages_show_history(personas, stations, client):
    station = stations["samarinda"]
    services.polling_station_import_csv(actor=personas["secretariat"], election=station.election,
                                        stream=csv_upload("64.72.01.1001,1,123"))
    client.force_login(personas["samarinda_operator"])
    body = client.get(f"/polling-stations/{station.pk}/").content.decode()
    assert "250 → 123" in body and "secretariat" in body


def test_admin_history_view(personas, agencies, client):
    personas["secretariat"].is_superuser = True
    personas["secretariat"].save(update_fields=["is_superuser"])
    client.force_login(personas["secretariat"])
    agency = Agency.objects.get(code="kpu-samarinda")
    response = client.post(f"/admin/coordination/agency/{agency.pk}/change/", {
        "code": agency.code, "name": agency.name, "short_name": "KPU Kota Samarinda", "kind": agency.kind,
        "jurisdiction": agency.jurisdiction_id, "parent": agency.parent_id or "",
        "counterpart": agency.counterpart_id or "", "address": "", "phone": "", "email": "",
    })
    assert response.status_code == 302, response.content[:500]
    assert agency.history.first().history_user == personas["secretariat"]
    page = client.get(f"/admin/coordination/agency/{agency.pk}/history/")
    assert page.status_code == 200 and "KPU Kota Samarinda" in page.content.decode()


def test_a_past_version_is_shown_in_the_admin_but_never_saved(personas, stations, client):
    """simple-history's version view saves a POST even with reverting disabled: that would
    put a row back around the services (a risk's status, an agreement's clauses)."""
    from tests.factories import risk, stage

    personas["secretariat"].is_superuser = True
    personas["secretariat"].save(update_fields=["is_superuser"])
    phase = stage(stations["samarinda"].election, "9", date(2024, 2, 14), date(2024, 3, 20))
    row = risk(phase, stations["samarinda"].village.parent.parent, title="Versi lama")
    row.title = "Versi baru"
    row.save(update_fields=["title"])
    first = row.history.order_by("history_date", "history_id").first()
    client.force_login(personas["secretariat"])
    url = f"/admin/coordination/riskassessment/{row.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Versi lama", "stage": phase.pk, "region": row.region_id,
                                 "category": row.category, "likelihood": 3, "impact": 3, "status": "open"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.title == "Versi baru"


def test_the_history_manager_class_is_built_once(personas, stations):
    """obj.history builds its manager class once per model, not on every access (it is
    read for every historical record written), and still answers for that object."""
    first, second = stations["samarinda"], stations["balikpapan"]
    assert type(first.history) is type(second.history) is type(PollingStation.history)
    assert [r.pk for r in first.history.all()] == [r.pk for r in PollingStation.history.filter(id=first.pk)]
    assert first.history.count() >= 1 and first.history.first().id == first.pk
