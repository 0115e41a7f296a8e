from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from coordination import selectors, services
from coordination.models import Agreement, Clause, ClauseEvidence
from kpu_polda.base import clock
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied
from tests.factories import pdf_bytes

WITA = timezone.get_fixed_timezone(8 * 60)
PDF = pdf_bytes()


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=WITA)


@pytest.fixture
def agreement(tree, agencies):
    agreement = Agreement.objects.create(code="pks", title="PKS KPU-Polda Kaltim", region=tree["kaltim"],
                                         signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13),
                                         term_end=date(2024, 12, 31), status="active")
    agreement.parties.set([agencies["kpu"], agencies["polda"]])
    return agreement


@pytest.fixture
def clauses(agreement):
    def clause(number, **values):
        return Clause.objects.create(agreement=agreement, number=number, title=f"Pasal {number}", text="...",
                                     category="other", **values)

    return {
        "meetings": clause(3, expectation_kind="every_days", evidence_kind="meeting", expectation_value=30),
        "escort": clause(8, expectation_kind="within_hours", evidence_kind="escort", expectation_value=24),
        "training": clause(7, expectation_kind="per_stage", evidence_kind="training", expectation_value=1),
        "purpose": clause(1),
    }


def evidence(clause, day, region, **extra):
    return ClauseEvidence.objects.create(clause=clause, kind=clause.evidence_kind, occurred_on=day, region=region,
                                         description="kegiatan", **extra)


def health(clause):
    return selectors.clause_row(clause).health


def test_every_days_moves_from_met_to_at_risk_to_breached(clauses, tree):
    meetings = clauses["meetings"]
    evidence(meetings, date(2024, 1, 10), tree["kaltim"])
    with clock.travel_to(at(2024, 1, 20)):  # due 9 Feb, warning from 2 Feb
        result = health(meetings)
        assert (result.status, result.changes_on) == ("met", date(2024, 2, 2))
    with clock.travel_to(at(2024, 2, 5)):
        result = health(meetings)
        assert (result.status, result.changes_on) == ("at_risk", date(2024, 2, 10))
    with clock.travel_to(at(2024, 2, 10)):
        result = health(meetings)
        assert result.status == "breached" and "9" in result.reason
    evidence(meetings, date(2024, 2, 10), tree["sam_kec"])  # a meeting anywhere in the province counts
    with clock.travel_to(at(2024, 2, 10)):
        assert health(meetings).status == "met"


def test_every_days_runs_from_the_term_start_when_nothing_is_recorded(clauses):
    with clock.travel_to(at(2023, 3, 20)):
        assert health(clauses["meetings"]).status == "met"
    with clock.travel_to(at(2023, 4, 13)):
        assert health(clauses["meetings"]).status == "breached"


def test_within_hours(clauses, tree):
    escort = clauses["escort"]
    with clock.travel_to(at(2024, 2, 1)), translation.override("en"):
        assert health(escort).reason == "No requests yet."
    evidence(escort, date(2024, 2, 1), tree["kaltim"], requested_at=at(2024, 2, 1, 8), fulfilled_at=at(2024, 2, 1, 20))
    waiting = evidence(escort, date(2024, 2, 8), tree["kaltim"], requested_at=at(2024, 2, 8, 7))
    with clock.travel_to(at(2024, 2, 8, 12)):
        result = health(escort)
        assert (result.status, result.changes_on) == ("at_risk", date(2024, 2, 9))
    with clock.travel_to(at(2024, 2, 9, 8)):
        assert health(escort).status == "breached"
    waiting.fulfilled_at = at(2024, 2, 8, 10)
    waiting.save(update_fields=["fulfilled_at"])
    with clock.travel_to(at(2024, 2, 9, 8)):
        assert health(escort).status == "met"
    evidence(escort, date(2024, 2, 9), tree["kaltim"], requested_at=at(2024, 2, 9, 8), fulfilled_at=at(2024, 2, 10, 9))
    with clock.travel_to(at(2024, 2, 11)), translation.override("en"):
        result = health(escort)
        assert result.status == "breached" and result.reason.startswith("1 of 3")


def test_per_stage(clauses, stages, tree):
    training = clauses["training"]
    with clock.travel_to(at(2024, 2, 1)):  # campaign under way, nothing yet
        result = health(training)
        assert (result.status, result.changes_on) == ("at_risk", date(2024, 2, 11))
    evidence(training, date(2024, 1, 5), tree["kaltim"], stage=stages["campaign"])
    with clock.travel_to(at(2024, 2, 1)):
        assert (health(training).status, health(training).changes_on) == ("met", date(2024, 2, 11))
    with clock.travel_to(at(2024, 2, 14)):  # quiet period ended with no training
        result = health(training)
        assert result.status == "breached" and "Masa tenang" in result.reason


def test_no_expectation_or_agreement_not_in_force(clauses, agreement):
    assert health(clauses["purpose"]).status == "not_monitored"
    agreement.status = "terminated"
    agreement.save(update_fields=["status"])
    assert health(clauses["meetings"]).status == "not_monitored"


def test_agreement_page_summarises_every_clause(personas, clauses, client):
    client.force_login(personas["samarinda_operator"])  # a regional user sees the province's agreement
    with clock.travel_to(at(2023, 3, 20)):
        body = client.get(f"/agreements/{clauses['meetings'].agreement_id}/").content.decode()
    assert body.count('class="badge health-') == 4 + 2  # one per clause, two summary badges (met, not monitored)
    assert 'data-status="not_monitored">1' in body and 'data-status="met">' in body


def test_recording_evidence_by_hand(personas, clauses, tree, client):
    meetings = clauses["meetings"]
    services.clause_evidence_record(actor=personas["samarinda_police"], clause=meetings, occurred_on=date(2024, 2, 1),
                                    description="Rakor di Polresta", region=tree["samarinda"])
    with pytest.raises(OutOfScope):
        services.clause_evidence_record(actor=personas["samarinda_police"], clause=meetings,
                                        occurred_on=date(2024, 2, 1), description="x", region=tree["balikpapan"])
    with pytest.raises(PermissionDenied):
        services.clause_evidence_record(actor=personas["observer"], clause=meetings, occurred_on=date(2024, 2, 1),
                                        description="x", region=tree["kaltim"])
    with pytest.raises(ValidationError):
        services.clause_evidence_record(actor=personas["secretariat"], clause=meetings, occurred_on=date(2024, 2, 1),
                                        description="x", region=tree["kaltim"],
                                        attachment=SimpleUploadedFile("a.pdf", b"not a pdf at all"))
    assert ClauseEvidence.objects.count() == 1

    client.force_login(personas["samarinda_operator"])
    response = client.post(f"/clauses/{meetings.pk}/", {"occurred_on": "2024-02-02", "description": "Rakor",
                                                       "region": "64.72", "attachment": BytesIO(PDF)})
    assert response.status_code == 302
    response = client.post(f"/clauses/{meetings.pk}/", {"occurred_on": "2024-02-02", "description": "Rakor BPN",
                                                       "region": "64.71"})
    assert response.status_code == 400 and 'value="64.71"' in response.content.decode()
    assert ClauseEvidence.objects.count() == 2
    # Balikpapan's operator does not see Samarinda's evidence on the same clause.
    client.force_login(personas["balikpapan_operator"])
    assert "Rakor di Polresta" not in client.get(f"/clauses/{meetings.pk}/").content.decode()


def test_api_clause_health_and_evidence(api_for, personas, clauses, tree):
    client = api_for(personas["samarinda_operator"])
    with clock.travel_to(at(2023, 3, 20)):
        rows = client.get("/api/v1/clauses/", {"agreement": clauses["meetings"].agreement_id}).json()["results"]
    assert {row["number"]: row["health"]["status"] for row in rows} == {1: "not_monitored", 3: "met", 7: "met",
                                                                         8: "met"}
    created = client.post(f"/api/v1/clauses/{clauses['escort'].pk}/evidence/", {
        "occurred_on": "2024-02-08", "description": "Pengawalan ke PPK", "region": "64.72",
        "requested_at": "2024-02-08T07:00+08:00", "fulfilled_at": "2024-02-08T06:00+08:00"}, format="json")
    assert created.status_code == 400 and "fulfilled_at" in created.json()["errors"]
    created = client.post(f"/api/v1/clauses/{clauses['escort'].pk}/evidence/", {
        "occurred_on": "2024-02-08", "description": "Pengawalan ke PPK", "region": "64.72",
        "requested_at": "2024-02-08T07:00+08:00"}, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "escort"
    assert client.get(f"/api/v1/clauses/{clauses['escort'].pk}/evidence/").json()["count"] == 1
    detail = client.get(f"/api/v1/agreements/{clauses['escort'].agreement_id}/").json()
    assert sum(detail["health_summary"].values()) == 4


def test_linked_activity_keeps_its_evidence_in_step(clauses, tree, personas):
    from tests.linked_activity import services as activities

    actor, other = personas["samarinda_operator"], personas["province_staff"]
    activity = activities.joint_training_record(actor=actor, title="Latihan sispamkota", held_on=date(2024, 1, 20),
                                                region=tree["samarinda"], clause=clauses["training"])
    row = ClauseEvidence.objects.get(clause=clauses["training"])
    assert (row.kind, row.occurred_on, row.description, row.source) == ("training", date(2024, 1, 20),
                                                                        "Latihan sispamkota", activity)
    assert [(r.history_type, r.history_user) for r in row.history.all()] == [("+", actor)]
    activity = activities.joint_training_update(actor=other, training=activity, held_on=date(2024, 1, 25))
    assert ClauseEvidence.objects.get().occurred_on == date(2024, 1, 25)
    assert row.history.latest("history_id").history_user == other
    # A change that leaves the facts as they were writes no evidence history.
    before = row.history.count()
    activities.joint_training_update(actor=actor, training=activity, held_on=date(2024, 1, 25))
    assert row.history.count() == before
    activity = activities.joint_training_update(actor=actor, training=activity, clause=None)
    assert not ClauseEvidence.objects.exists()
    assert row.history.latest("history_id").history_type == "-"
    activity = activities.joint_training_update(actor=actor, training=activity, clause=clauses["training"])
    activities.joint_training_delete(actor=other, training=activity)
    assert not ClauseEvidence.objects.exists()


def test_saving_an_activity_outside_its_service_writes_no_evidence(clauses, tree):
    """No signal mirrors activities: only the activity's service, naming its actor, does."""
    from tests.linked_activity.models import JointTraining

    JointTraining.objects.create(title="Latihan", held_on=date(2024, 1, 20), region=tree["samarinda"],
                                 clause=clauses["training"])
    assert not ClauseEvidence.objects.exists()


def test_agreement_document_must_be_a_pdf(personas, agreement, client):
    client.force_login(personas["secretariat"])
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/agreements/{agreement.pk}/", {"document": fake})
    assert response.status_code == 400 and 'data-testid="document-error"' in response.content.decode()
    agreement.refresh_from_db()
    assert not agreement.document
    good = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/agreements/{agreement.pk}/", {"document": good}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.document.name.endswith(".pdf")
    client.force_login(personas["province_staff"])
    again = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert client.post(f"/agreements/{agreement.pk}/", {"document": again}).status_code == 403


def test_agreement_transitions(personas, agreement):
    from kpu_polda.base.exceptions import TransitionNotAllowed

    services.agreement_transition(actor=personas["secretariat"], agreement=agreement, to_status="expired")
    with pytest.raises(TransitionNotAllowed):
        services.agreement_transition(actor=personas["secretariat"], agreement=agreement, to_status="draft")
    with pytest.raises(PermissionDenied):
        services.agreement_transition(actor=personas["province_staff"], agreement=agreement, to_status="active")


def test_demo_agreement_loads_with_the_five_forms_of_cooperation(tree, agencies):
    agreement = services.agreement_load_json(actor=services.system_actor())
    assert agreement.signed_on == date(2023, 3, 13) and agreement.parent.signed_on == date(2022, 12, 29)
    categories = set(agreement.clauses.values_list("category", flat=True))
    assert {"evaluation_meetings", "stakeholder_facilitation", "police_facilities", "information_exchange",
            "capacity_building", "escort"} <= categories
    assert all(agreement.clauses.values_list("is_illustrative", flat=True))
    assert services.agreement_load_json(actor=services.system_actor()) == agreement
    assert Agreement.objects.count() == 2
    assert timedelta(days=0) <= agreement.term_end - agreement.term_start


def test_bulk_sync_writes_a_fixed_number_of_statements(clauses, tree, personas, django_assert_max_num_queries):
    from tests.linked_activity.models import JointTraining

    actor = personas["samarinda_operator"]
    trainings = [JointTraining.objects.create(title=f"Latihan {n}", held_on=date(2024, 1, n + 1),
                                              region=tree["samarinda"], clause=clauses["training"]) for n in range(12)]
    with django_assert_max_num_queries(12):
        rows = services.clause_evidence_sync_many(sources=trainings, actor=actor)
    assert len(rows) == 12 and ClauseEvidence.objects.filter(clause=clauses["training"]).count() == 12
    assert {r.history_user for r in ClauseEvidence.history.all()} == {actor}
    trainings[0].held_on = date(2024, 2, 1)
    trainings[1].clause = None
    rows = services.clause_evidence_sync_many(sources=trainings, actor=personas["province_staff"])
    assert len(rows) == 11 and ClauseEvidence.objects.count() == 11
    moved = ClauseEvidence.objects.get(source_id=trainings[0].pk)
    assert moved.occurred_on == date(2024, 2, 1) and moved.history.latest("history_id").history_user == \
        personas["province_staff"]
    # Nothing changed: nothing written.
    before = ClauseEvidence.history.count()
    services.clause_evidence_sync_many(sources=trainings, actor=actor)
    assert ClauseEvidence.history.count() == before
