"""The secretariat's admin of trainings, facilitations and declarations: scoped lists,
saves through the services (with history naming the clerk), a read-only status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coordination.choices import Role
from coordination.models import DeclarationSignatory, PeaceDeclaration, Training, TrainingParticipant
from kpu_polda.base import clock
from tests.coordination.activity_factories import declaration, facilitation, training
from tests.factories import UserFactory


@pytest.fixture
def clerk(agencies):
    """A secretariat of KPU Samarinda: staff, scoped to 64.72."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


def inline(prefix, rows=(), total=None):
    data = {f"{prefix}-TOTAL_FORMS": str(total if total is not None else len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_lists_are_scoped(client, clerk, agencies, personas):
    training(agencies, personas, title="Bimtek Samarinda")
    training(agencies, personas, where="province", title="Bimtek provinsi")
    facilitation(agencies, personas)
    client.force_login(clerk)
    listing = client.get("/admin/coordination/training/")
    assert listing.status_code == 200 and listing.context["cl"].result_count == 2
    assert client.get("/admin/coordination/stakeholderfacilitation/").context["cl"].result_count == 1
    client.force_login(personas["balikpapan_operator"])
    assert client.get("/admin/coordination/training/").status_code == 302  # not staff: to the admin login


def test_a_training_is_added_with_its_participants_through_the_services(client, clerk, agencies, personas):
    client.force_login(clerk)
    # A morning, so the end (two hours on) falls on the same day whenever the test runs.
    starts = timezone.localtime(clock.now() + timedelta(days=4)).replace(hour=9, minute=0, second=0, microsecond=0)
    data = {"title": "Bimtek admin", "kind": "bimtek", "organiser": agencies["kpu_samarinda"].pk,
            "co_organiser": agencies["polresta"].pk, "area": Training._meta.get_field("area").related_model
            .objects.get(code="64.72").pk, "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": starts.strftime("%H:%M:%S"), "ends_at_0": starts.strftime("%Y-%m-%d"),
            "ends_at_1": (starts + timedelta(hours=2)).strftime("%H:%M:%S"), "place": "Aula", "description": "",
            **inline("participants", [{"name": "Staf logistik", "agency": agencies["kpu_samarinda"].pk,
                                       "position": ""}]),
            **inline("materials"), **inline("status_changes")}
    response = client.post("/admin/coordination/training/add/", data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    row = Training.objects.get(title="Bimtek admin")
    assert row.status == "planned" and row.history.get().history_user == clerk
    participant = TrainingParticipant.objects.get(training=row)
    assert participant.name == "Staf logistik" and participant.history.get().history_user == clerk
    page = client.get(f"/admin/coordination/training/{row.pk}/change/").content.decode()
    assert 'name="status"' not in page  # the workflow moves it, not this form


def test_a_declarations_signatories_are_set_in_order(client, clerk, personas):
    row = declaration(personas, signatories=[])
    client.force_login(clerk)
    data = {"title": row.title, "event": row.event, "signed_on": row.signed_on.isoformat(), "place": row.place,
            "area": row.area_id, "summary": "", "source": "",
            **inline("signatories", [{"order": "2", "party": "PKS", "representative": "Ketua DPD PKS"},
                                     {"order": "1", "party": "PKB", "representative": "Ketua DPC PKB"}])}
    response = client.post(f"/admin/coordination/peacedeclaration/{row.pk}/change/", data)
    assert response.status_code == 302
    assert list(DeclarationSignatory.objects.filter(declaration=row).order_by("order")
                .values_list("party", flat=True)) == ["PKB", "PKS"]
    assert DeclarationSignatory.history.filter(history_user=clerk).count() == 2
    other = declaration(personas, where="province", title="Deklarasi provinsi")
    # Above the clerk's region: readable, not theirs to change.
    assert client.post(f"/admin/coordination/peacedeclaration/{other.pk}/change/", data).status_code == 403
    assert PeaceDeclaration.objects.get(pk=other.pk).title == "Deklarasi provinsi"
