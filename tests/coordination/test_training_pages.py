"""The training pages: the list and its filters, the detail with participants by agency,
attendance, materials and trail, and the forms that keep the input when refused."""

from datetime import timedelta

import pytest

from coordination.models import Training
from coordination.services import activities as services
from kpu_polda.base import clock
from tests.coordination.activity_factories import pdf_upload, training


@pytest.fixture
def login(client, settings):
    """Pages in English (the language switch's cookie), for comparing their words."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def started(agencies, personas):
    return training(agencies, personas, starts_in=-timedelta(hours=1), title="Bimtek hari ini")


def local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_list_filters_and_scope(login, agencies, personas, started):
    training(agencies, personas, where="province", kind="simulation", title="Simulasi provinsi")
    client = login(personas["samarinda_operator"])
    page = client.get("/trainings/")
    assert page.status_code == 200 and page.context["page"].paginator.count == 2
    assert client.get("/trainings/?kind=simulation").context["page"].paginator.count == 1
    assert client.get("/trainings/?region=64.72&status=planned").context["page"].paginator.count == 1
    today = clock.today().isoformat()
    assert client.get(f"/trainings/?starts_from={today}&starts_to={today}").context["page"].paginator.count == 1
    assert client.get("/trainings/?status=nope").status_code == 200  # the filter's error, no rows
    assert "Bimtek hari ini" not in login(personas["balikpapan_operator"]).get("/trainings/").content.decode()


def test_create_keeps_the_input_when_refused(login, personas):
    client = login(personas["samarinda_operator"])
    starts = clock.now() + timedelta(days=4)
    data = {"title": "Bimtek KPPS", "kind": "bimtek", "organiser": personas["samarinda_operator"].agency_id,
            "co_organiser": personas["samarinda_police"].agency_id, "area": "64.72", "starts_at": local(starts),
            "ends_at": local(starts - timedelta(hours=2)), "place": "Aula KPU"}
    refused = client.post("/trainings/new/", data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "A training ends after it starts." in html and 'value="Bimtek KPPS"' in html
    data["ends_at"] = local(starts + timedelta(hours=3))
    done = client.post("/trainings/new/", data)
    row = Training.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/trainings/{row.pk}/"
    assert row.history.first().history_user == personas["samarinda_operator"]
    assert login(personas["observer"]).get("/trainings/new/").status_code == 403


def test_detail_groups_participants_and_records_attendance(login, agencies, personas, started):
    operator = personas["samarinda_operator"]
    services.training_participant_add(actor=operator, training=started, user=personas["samarinda_police"])
    guest = services.training_participant_add(actor=operator, training=started, agency=agencies["kpu_samarinda"],
                                              name="Staf gudang")
    client = login(personas["samarinda_police"])
    page = client.get(f"/trainings/{started.pk}/")
    assert [group.agency.pk for group in page.context["groups"]] == [agencies["kpu_samarinda"].pk,
                                                                    agencies["polresta"].pk]
    assert 'data-testid="attendance-form"' in page.content.decode()
    assert client.post(f"/trainings/{started.pk}/attendance/", {"attended": [guest.pk]}).status_code == 302
    guest.refresh_from_db()
    assert guest.attended is True
    again = client.post(f"/trainings/{started.pk}/participants/", {"username": "samarinda_police"})
    assert again.status_code == 409 and "already takes part" in again.content.decode()
    unknown = client.post(f"/trainings/{started.pk}/participants/", {"username": "balikpapan_operator"})
    assert unknown.status_code == 400 and 'value="balikpapan_operator"' in unknown.content.decode()
    assert login(personas["observer"]).post(f"/trainings/{started.pk}/attendance/", {}).status_code == 403
    assert login(personas["balikpapan_operator"]).get(f"/trainings/{started.pk}/").status_code == 404


def test_hold_with_a_score_cancel_and_the_trail(login, agencies, personas, started):
    client = login(personas["samarinda_operator"])
    refused = client.post(f"/trainings/{started.pk}/hold/", {"evaluation_score": "120"})
    assert refused.status_code == 400 and 'value="120"' in refused.content.decode()
    assert client.post(f"/trainings/{started.pk}/hold/", {"evaluation_score": "88"}).status_code == 302
    page = client.get(f"/trainings/{started.pk}/").content.decode()
    assert "88.00 / 100" in page and 'data-testid="score-form"' in page and "Planned → Held" in page
    assert client.post(f"/trainings/{started.pk}/score/", {"evaluation_score": "-3"}).status_code == 400
    later = training(agencies, personas, title="Simulasi")
    assert client.post(f"/trainings/{later.pk}/cancel/", {"reason": ""}).status_code == 400
    assert client.post(f"/trainings/{later.pk}/cancel/", {"reason": "Hujan deras"}).status_code == 302
    conflict = client.post(f"/trainings/{later.pk}/hold/", {})
    assert conflict.status_code == 409 and "cannot move from Cancelled to Held" in conflict.content.decode()


def test_materials_on_the_page(login, personas, started):
    client = login(personas["samarinda_operator"])
    added = client.post(f"/trainings/{started.pk}/materials/", {"title": "Modul", "file": pdf_upload("modul.pdf")})
    assert added.status_code == 302
    refused = client.post(f"/trainings/{started.pk}/materials/", {"title": "Kosong"})
    assert refused.status_code == 400 and "Give either a file or a link." in refused.content.decode()
    page = client.get(f"/trainings/{started.pk}/")
    material = page.context["materials"][0]
    assert f"/trainings/materials/{material.pk}/" in page.content.decode()
    assert client.get(f"/trainings/materials/{material.pk}/")["Content-Disposition"].startswith("attachment")


def test_edit_page(login, personas, started):
    client = login(personas["samarinda_police"])
    form = client.get(f"/trainings/{started.pk}/edit/")
    assert form.status_code == 200 and form.context["form"]["area"].value() == "64.72"
    data = {name: form.context["form"][name].value() or "" for name in form.context["form"].fields}
    data.update(place="Aula Polresta", starts_at=local(started.starts_at), ends_at=local(started.ends_at))
    assert client.post(f"/trainings/{started.pk}/edit/", data).status_code == 302
    assert Training.objects.get(pk=started.pk).place == "Aula Polresta"
    assert login(personas["province_staff"]).get(f"/trainings/{started.pk}/edit/").status_code == 403
