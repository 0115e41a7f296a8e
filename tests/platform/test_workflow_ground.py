"""The ground every workflow stands on: the one transition service, the scoped write
viewset, the admin through services, and agreements with a status trail."""

from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from coordination import services
from coordination.choices import Role
from coordination.models import Agreement, AgreementStatusChange, RiskAssessment, RiskStatusChange
from kpu_polda.base.drf import exception_handler
from kpu_polda.base.exceptions import PermissionDenied, TransitionNotAllowed
from tests.factories import UserFactory


@pytest.fixture
def agreement(tree, agencies):
    row = Agreement.objects.create(code="pks", title="PKS KPU-Polda", region=tree["kaltim"],
                                   signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13))
    row.parties.set([agencies["kpu"], agencies["polda"]])
    return row


@pytest.fixture
def clerk(agencies):
    """A secretariat account of KPU Samarinda with admin access: scoped, not a superuser."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


def test_agreement_transition_writes_its_trail_and_history(agreement, personas):
    actor = personas["secretariat"]
    moved = services.agreement_transition(actor=actor, agreement=agreement, to_status="active", reason="Ditandatangani")
    assert moved.status == "active"
    change = AgreementStatusChange.objects.get(agreement=agreement)
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        "draft", "active", actor, "Ditandatangani")
    record = agreement.history.latest("history_id")
    assert (record.status, record.history_user, record.history_change_reason) == ("active", actor, "Ditandatangani")
    assert change.history.get().history_user == actor


def test_refused_transition_writes_nothing(agreement, personas):
    actor = personas["secretariat"]
    before = agreement.history.count()
    with pytest.raises(TransitionNotAllowed):
        services.agreement_transition(actor=actor, agreement=agreement, to_status="expired")
    with pytest.raises(PermissionDenied):
        services.agreement_transition(actor=personas["province_staff"], agreement=agreement, to_status="active")
    services.agreement_transition(actor=actor, agreement=agreement, to_status="active")
    with pytest.raises(ValidationError) as refused:
        services.agreement_transition(actor=actor, agreement=agreement, to_status="terminated")
    assert "reason" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert AgreementStatusChange.objects.count() == 1 and agreement.history.count() == before + 1


def test_after_commit_work_runs_only_once_the_move_is_committed(agreement, personas,
                                                                django_capture_on_commit_callbacks):
    from kpu_polda.base.transitions import transition

    seen = []
    with django_capture_on_commit_callbacks() as callbacks:
        transition(services.AGREEMENT_WORKFLOW, agreement, actor=personas["secretariat"], to_status="active",
                   after_commit=[lambda row, change: seen.append((row.status, change.to_status))])
        assert seen == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert seen == [("active", "active")]


def test_demo_style_closed_risk_has_the_changes_that_closed_it(stages, tree, personas):
    from tests.factories import risk

    actor = personas["samarinda_operator"]
    closed = risk(stages["campaign"], tree["samarinda"], status="closed", actor=actor)
    trail = list(RiskStatusChange.objects.filter(risk=closed).values_list("from_status", "to_status", "changed_by"))
    assert trail == [("open", "closed", actor.pk)]
    assert {r.history_user for r in RiskAssessment.history.filter(id=closed.pk)} == {actor}


def test_agreement_transition_api(agreement, personas, api_for):
    url = f"/api/v1/agreements/{agreement.pk}/transition/"
    assert api_for(personas["province_staff"]).post(url, {"to_status": "active"}, format="json").status_code == 403
    secretariat = api_for(personas["secretariat"])
    response = secretariat.post(url, {"to_status": "active"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    refused = secretariat.post(url, {"to_status": "draft"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "transition_not_allowed"
    missing = secretariat.post(url, {"to_status": "terminated"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    trail = secretariat.get(f"/api/v1/agreements/{agreement.pk}/status-changes/").json()
    assert [(row["from_status"], row["to_status"], row["changed_by"]) for row in trail["results"]] == [
        ("draft", "active", "secretariat")]


def test_agreement_page_moves_the_status_and_keeps_a_refusal_on_the_form(agreement, personas, client):
    client.force_login(personas["secretariat"])
    page = client.get(f"/agreements/{agreement.pk}/").content.decode()
    assert 'data-testid="transition-form"' in page
    assert client.post(f"/agreements/{agreement.pk}/", {"action": "transition", "to_status": "active"}).status_code \
        == 302
    agreement.refresh_from_db()
    assert agreement.status == "active"
    refused = client.post(f"/agreements/{agreement.pk}/", {"action": "transition", "to_status": "terminated",
                                                          "reason": ""})
    assert refused.status_code == 400 and agreement.status_changes.count() == 1
    client.force_login(personas["province_staff"])
    assert client.post(f"/agreements/{agreement.pk}/", {"action": "transition", "to_status": "expired"}).status_code \
        == 403


def test_risk_api_offers_no_put_and_no_delete(risks, personas, api_for):
    client = api_for(personas["samarinda_operator"])
    url = f"/api/v1/risks/{risks['samarinda'].pk}/"
    assert client.put(url, {"title": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert RiskAssessment.objects.filter(pk=risks["samarinda"].pk).exists()


def test_api_write_answers_the_row_as_the_caller_sees_it(risks, personas, api_for, stages):
    client = api_for(personas["samarinda_operator"])
    created = client.post("/api/v1/risks/", {"stage": stages["campaign"].pk, "region": "64.72.01", "title": "Baru",
                                             "category": "security", "likelihood": 2, "impact": 3}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["score"], body["level"], body["election"]) == (6, "medium", "pemilu-2024")
    assert RiskAssessment.objects.get(pk=body["id"]).history.get().history_user == personas["samarinda_operator"]


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "0"])
def test_a_write_to_a_malformed_or_missing_id_is_a_404(risks, personas, api_for, pk):
    client = api_for(personas["samarinda_operator"])
    review = client.post(f"/api/v1/risks/{pk}/reviews/", {"likelihood": 1, "impact": 1, "note": "x"}, format="json")
    move = client.post(f"/api/v1/risks/{pk}/transition/", {"to_status": "mitigating"}, format="json")
    assert (review.status_code, move.status_code) == (404, 404)


def test_a_write_locks_through_the_scope_in_one_read(risks, personas, api_for):
    """The service's locked read is the only lookup of the row, and it is scoped: another
    region's risk is missing (404) and nothing is written."""
    client = api_for(personas["samarinda_operator"])
    foreign = risks["balikpapan"]
    assert client.post(f"/api/v1/risks/{foreign.pk}/reviews/", {"likelihood": 1, "impact": 1, "note": "x"},
                       format="json").status_code == 404
    assert client.post(f"/api/v1/risks/{foreign.pk}/transition/", {"to_status": "mitigating"},
                       format="json").status_code == 404
    foreign.refresh_from_db()
    assert (foreign.likelihood, foreign.status, foreign.reviews.count()) == (5, "open", 0)
    with CaptureQueriesContext(connection) as queries:
        assert client.post(f"/api/v1/risks/{risks['samarinda'].pk}/reviews/",
                           {"likelihood": 1, "impact": 2, "note": "dicek"}, format="json").status_code == 201
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # the locked read; the review and its history; the risk and its history
    assert [sql.split()[0] for sql in statements] == ["SELECT", "INSERT", "INSERT", "UPDATE", "INSERT"], statements
    assert "FOR UPDATE" in statements[0] or connection.vendor == "sqlite"  # SQLite locks the whole database


def test_protected_delete_is_a_conflict_not_a_server_error():
    response = exception_handler(ProtectedError("still referenced", set()), {})
    assert response.status_code == 409 and response.data["code"] == "protected"


def test_a_listing_viewset_without_a_filterset_is_refused():
    from coordination.models import Region
    from kpu_polda.base.viewsets import ScopedReadOnlyViewSet

    with pytest.raises(ImproperlyConfigured):
        type("Unfiltered", (ScopedReadOnlyViewSet,), {"queryset": Region.objects.all(), "__module__": __name__})


def test_admin_cannot_move_an_agreement_status(agreement, personas, client):
    secretariat = personas["secretariat"]
    services.agreement_transition(actor=secretariat, agreement=agreement, to_status="active")
    services.agreement_transition(actor=secretariat, agreement=agreement, to_status="terminated", reason="Dicabut")
    secretariat.is_superuser = True
    secretariat.save(update_fields=["is_superuser"])
    client.force_login(secretariat)
    form = client.get(f"/admin/coordination/agreement/{agreement.pk}/change/").content.decode()
    assert 'name="status"' not in form
    client.post("/admin/coordination/agreement/", {"action": "move_to_active", "_selected_action": [agreement.pk]})
    agreement.refresh_from_db()
    assert agreement.status == "terminated"
    assert agreement.status_changes.count() == 2


def test_admin_action_moves_an_agreement_through_the_service(agreement, personas, client):
    secretariat = personas["secretariat"]
    secretariat.is_superuser = True
    secretariat.save(update_fields=["is_superuser"])
    client.force_login(secretariat)
    response = client.post("/admin/coordination/agreement/", {"action": "move_to_active",
                                                              "_selected_action": [agreement.pk]})
    assert response.status_code == 302
    change = AgreementStatusChange.objects.get(agreement=agreement)
    assert (change.to_status, change.changed_by) == ("active", secretariat)


def test_admin_many_to_many_and_inline_choices_are_scoped(clerk, agencies, client):
    client.force_login(clerk)
    form = client.get("/admin/coordination/agreement/add/").content.decode()
    # The parties' choices and the clause inline's responsible party: Samarinda's own and
    # the province's above it, never Balikpapan's.
    assert f'value="{agencies["kpu_samarinda"].pk}"' in form
    assert f'value="{agencies["kpu_balikpapan"].pk}"' not in form
    assert f'value="{agencies["polres_balikpapan"].pk}"' not in form


def test_admin_records_a_risk_through_the_service(clerk, stages, tree, client):
    client.force_login(clerk)
    response = client.post("/admin/coordination/riskassessment/add/", {
        "stage": stages["campaign"].pk, "region": tree["samarinda"].pk, "category": "security", "title": "Lewat admin",
        "description": "", "likelihood": 2, "impact": 2, "mitigation": "", "owner": "", "due_on": "",
        "reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0, "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    risk = RiskAssessment.objects.get(title="Lewat admin")
    assert risk.status == "open" and risk.history.get().history_user == clerk
    outside = client.post("/admin/coordination/riskassessment/add/", {
        "stage": stages["campaign"].pk, "region": tree["balikpapan"].pk, "category": "security", "title": "Di luar",
        "likelihood": 2, "impact": 2, "reviews-TOTAL_FORMS": 0, "reviews-INITIAL_FORMS": 0,
        "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
    })
    assert outside.status_code == 200 and not RiskAssessment.objects.filter(title="Di luar").exists()
