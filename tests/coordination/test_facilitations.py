"""Stakeholder facilitation: who records and sees it, what it refuses, its evidence, and
its pages and API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coordination.models import ClauseEvidence, Region, StakeholderFacilitation
from coordination.selectors import activities as selectors
from coordination.services import activities as services
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied
from tests.coordination.activity_factories import clauses, facilitation


def test_recorded_by_the_police_unit_or_the_kpu_office_and_seen_in_scope(agencies, personas):
    row = facilitation(agencies, personas)
    assert row.recorded_by == personas["samarinda_police"]
    services.facilitation_update(actor=personas["samarinda_operator"], facilitation=row, outcome="Kampanye damai")
    services.facilitation_update(actor=personas["secretariat"], facilitation=row, place="Masjid Islamic Center")
    for name in ("observer", "province_police"):
        with pytest.raises(PermissionDenied):
            services.facilitation_update(actor=personas[name], facilitation=row, outcome="x")
    with pytest.raises(OutOfScope):
        services.facilitation_update(actor=personas["balikpapan_operator"], facilitation=row, outcome="x")
    with pytest.raises(OutOfScope):
        facilitation(agencies, personas, actor=personas["balikpapan_operator"])
    assert not selectors.facilitations_for(personas["balikpapan_operator"]).exists()
    assert selectors.facilitations_for(personas["province_staff"]).get() == row
    row.refresh_from_db()
    assert (row.outcome, row.place, row.history.first().history_user) == (
        "Kampanye damai", "Masjid Islamic Center", personas["secretariat"])


def test_the_facilitator_is_police_the_office_kpu_and_the_meeting_past(agencies, personas):
    police, area = personas["samarinda_police"], Region.objects.get(code="64.72")
    values = {"title": "x", "area": area, "place": "x", "stakeholders": "Tokoh adat", "held_at": clock.now()}
    with pytest.raises(ValidationError) as caught:
        services.facilitation_create(actor=police, facilitator=agencies["kpu_samarinda"],
                                     kpu_office=agencies["polresta"], **values)
    assert {"facilitator", "kpu_office"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.facilitation_create(actor=police, facilitator=agencies["polresta"],
                                     kpu_office=agencies["kpu_samarinda"],
                                     **{**values, "held_at": clock.now() + timedelta(days=1)})
    assert "held_at" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.facilitation_create(actor=police, facilitator=agencies["polresta"],
                                     kpu_office=agencies["kpu_samarinda"], **{**values, "stakeholders": " "})
    assert "stakeholders" in caught.value.message_dict
    assert not StakeholderFacilitation.objects.exists()


def test_counts_on_the_clause_when_recorded(agencies, personas, tree):
    made = clauses(tree)
    row = facilitation(agencies, personas, title="Silaturahmi kamtibmas")
    evidence = ClauseEvidence.objects.get(clause=made["stakeholder_facilitation"])
    assert (evidence.kind, evidence.description, evidence.region.code, evidence.occurred_on) == (
        "stakeholder_facilitation", "Silaturahmi kamtibmas", "64.72",
        timezone.localdate(clock.now() - timedelta(days=2)))
    services.facilitation_update(actor=personas["samarinda_police"], facilitation=row,
                                 held_at=clock.now() - timedelta(days=9))
    assert ClauseEvidence.objects.get(pk=evidence.pk).occurred_on == timezone.localdate(clock.now() - timedelta(days=9))


def test_pages_keep_the_input_and_the_observer_reads(client, settings, agencies, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(personas["samarinda_police"])
    held = (clock.now() + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    data = {"title": "Dialog tokoh adat", "facilitator": agencies["polresta"].pk,
            "kpu_office": agencies["kpu_samarinda"].pk, "area": "64.72", "held_at": held, "place": "Balai adat",
            "stakeholders": "Tokoh adat Dayak", "outcome": ""}
    refused = client.post("/facilitations/new/", data)
    assert refused.status_code == 400
    assert "recorded once it has taken place" in refused.content.decode()
    assert "Tokoh adat Dayak" in refused.content.decode()
    data["held_at"] = (clock.now() - timedelta(days=1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    done = client.post("/facilitations/new/", data)
    row = StakeholderFacilitation.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/facilitations/{row.pk}/"
    assert client.get("/facilitations/?region=64.72&q=dayak").context["page"].paginator.count == 1
    client.force_login(personas["observer"])
    assert client.get(f"/facilitations/{row.pk}/").status_code == 200
    assert client.get(f"/facilitations/{row.pk}/edit/").status_code == 403
    assert client.get("/facilitations/new/").status_code == 403
    client.force_login(personas["balikpapan_operator"])
    assert client.get(f"/facilitations/{row.pk}/").status_code == 404


def test_api(api_for, agencies, personas):
    police = api_for(personas["samarinda_police"])
    body = {"title": "Dialog", "facilitator": "polres-samarinda", "kpu_office": "kpu-samarinda", "area": "64.72",
            "held_at": (clock.now() - timedelta(hours=3)).isoformat(), "place": "Aula",
            "stakeholders": "Tim kampanye"}
    unknown = police.post("/api/v1/stakeholder-facilitations/", {**body, "who": "x"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()["errors"]) == {"who"}
    created = police.post("/api/v1/stakeholder-facilitations/", body, format="json")
    assert created.status_code == 201 and created.json()["recorded_by"] == "samarinda_police"
    url = f"/api/v1/stakeholder-facilitations/{created.json()['id']}/"
    assert api_for(personas["observer"]).patch(url, {"outcome": "x"}, format="json").status_code == 403
    assert api_for(personas["balikpapan_operator"]).get(url).status_code == 404
    assert police.patch(url, {"outcome": "Sepakat"}, format="json").json()["outcome"] == "Sepakat"
    assert police.get("/api/v1/stakeholder-facilitations/?facilitator=polres-samarinda").json()["count"] == 1
