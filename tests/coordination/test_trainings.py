"""Joint trainings through their services: who sees and changes them, the workflow, the
participants and their attendance, materials, the score, and the clause's evidence."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import ClauseEvidence, Training, TrainingMaterial, TrainingParticipant, TrainingStatusChange
from coordination.selectors import activities as selectors
from coordination.services import activities as services
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, OutOfScope, PermissionDenied, TransitionNotAllowed
from tests.coordination.activity_factories import clauses, pdf_upload, training


@pytest.fixture
def samarinda(agencies, personas):
    return training(agencies, personas)


@pytest.fixture
def started(agencies, personas):
    """A Samarinda training that began an hour ago."""
    return training(agencies, personas, starts_in=-timedelta(hours=1))


def test_balikpapan_does_not_see_a_samarinda_training_the_province_sees_all(agencies, personas, samarinda):
    province = training(agencies, personas, where="province", title="Simulasi provinsi")
    seen = {name: set(selectors.trainings_for(personas[name]).values_list("pk", flat=True))
            for name in ("balikpapan_operator", "samarinda_operator", "province_staff", "observer")}
    assert seen["balikpapan_operator"] == {province.pk}  # the province's binds Balikpapan too
    assert seen["samarinda_operator"] == {samarinda.pk, province.pk}
    assert seen["province_staff"] == seen["observer"] == {samarinda.pk, province.pk}
    with pytest.raises(OutOfScope):
        selectors.training_get(personas["balikpapan_operator"], samarinda.pk)


def test_written_by_the_organising_agencies_and_the_secretariat_only(agencies, personas, samarinda):
    for name in ("samarinda_operator", "samarinda_police", "secretariat"):
        services.training_update(actor=personas[name], training=samarinda, place=f"Aula {name}")
    assert Training.objects.get(pk=samarinda.pk).history.first().history_user == personas["secretariat"]
    for name in ("observer", "province_staff", "province_police"):  # sees it, not its organiser
        with pytest.raises(PermissionDenied):
            services.training_update(actor=personas[name], training=samarinda, place="x")
    with pytest.raises(OutOfScope):
        services.training_update(actor=personas["balikpapan_operator"], training=samarinda, place="x")
    with pytest.raises(PermissionDenied):  # an agency not one's own
        training(agencies, personas, actor=personas["province_staff"])
    with pytest.raises(OutOfScope):
        training(agencies, personas, actor=personas["balikpapan_operator"])
    assert Training.objects.get(pk=samarinda.pk).place == "Aula secretariat"


def test_an_organiser_cannot_hand_the_training_to_agencies_that_are_not_theirs(agencies, personas, samarinda):
    with pytest.raises(PermissionDenied):
        services.training_update(actor=personas["samarinda_police"], training=samarinda,
                                 organiser=agencies["kpu"], co_organiser=agencies["polda"])
    assert Training.objects.get(pk=samarinda.pk).co_organiser == agencies["polresta"]


def test_hold_and_cancel_follow_the_workflow(agencies, personas, started, samarinda):
    actor = personas["samarinda_police"]
    held = services.training_hold(actor=actor, training=started, evaluation_score=Decimal("87.5"))
    assert (held.status, held.evaluation_score) == ("held", Decimal("87.5"))
    with pytest.raises(TransitionNotAllowed):
        services.training_cancel(actor=actor, training=started, reason="Terlambat")
    with pytest.raises(ValidationError):
        services.training_cancel(actor=actor, training=samarinda, reason="  ")
    services.training_cancel(actor=actor, training=samarinda, reason="Bentrok jadwal")
    with pytest.raises(TransitionNotAllowed):  # holding a cancelled training: a 409
        services.training_hold(actor=actor, training=samarinda)
    trail = list(TrainingStatusChange.objects.order_by("id").values_list("training_id", "to_status", "reason",
                                                                         "changed_by"))
    assert trail == [(started.pk, "held", "", actor.pk), (samarinda.pk, "cancelled", "Bentrok jadwal", actor.pk)]
    with pytest.raises(Conflict):  # nothing is changed on a cancelled training
        services.training_update(actor=actor, training=samarinda, place="x")


def test_a_training_is_held_once_it_has_started(personas, samarinda):
    with pytest.raises(Conflict) as caught:
        services.training_hold(actor=personas["samarinda_operator"], training=samarinda)
    assert caught.value.code == "not_started"
    assert Training.objects.get(pk=samarinda.pk).status == "planned"


@pytest.mark.parametrize("score", [-1, Decimal("100.01"), 101, "NaN", "abc"])
def test_a_score_outside_0_to_100_is_refused(personas, started, score):
    with pytest.raises(ValidationError) as caught:
        services.training_hold(actor=personas["samarinda_operator"], training=started, evaluation_score=score)
    assert "evaluation_score" in caught.value.message_dict
    assert Training.objects.get(pk=started.pk).status == "planned"


def test_the_score_is_changed_once_held_and_may_be_0_or_100(personas, started, samarinda):
    actor = personas["samarinda_operator"]
    with pytest.raises(Conflict):
        services.training_score_update(actor=actor, training=samarinda, evaluation_score=50)
    services.training_hold(actor=actor, training=started, evaluation_score=0)
    assert services.training_score_update(actor=actor, training=started, evaluation_score=100).evaluation_score == 100
    with pytest.raises(ValidationError):
        services.training_score_update(actor=actor, training=started, evaluation_score=Decimal("-0.5"))
    assert services.training_score_update(actor=actor, training=started, evaluation_score=None).evaluation_score is None


def test_a_training_ends_after_it_starts(agencies, personas):
    with pytest.raises(ValidationError) as caught:
        training(agencies, personas, hours=0)
    assert "ends_at" in caught.value.message_dict
    assert not Training.objects.exists()


def test_participants_once_per_user_of_the_agencies_one_can_see(agencies, personas, samarinda):
    actor = personas["samarinda_operator"]
    police = services.training_participant_add(actor=actor, training=samarinda, user=personas["samarinda_police"])
    assert (police.agency, police.name) == (agencies["polresta"], str(personas["samarinda_police"]))
    with pytest.raises(Conflict) as caught:
        services.training_participant_add(actor=actor, training=samarinda, user=personas["samarinda_police"])
    assert caught.value.code == "already_participant"
    services.training_participant_add(actor=actor, training=samarinda, agency=agencies["kpu_samarinda"],
                                      name="Staf logistik")
    with pytest.raises(Conflict):
        services.training_participant_add(actor=actor, training=samarinda, agency=agencies["kpu_samarinda"],
                                          name="staf LOGISTIK")
    with pytest.raises(ValidationError) as caught:  # Balikpapan's people are not Samarinda's to list
        services.training_participant_add(actor=actor, training=samarinda, user=personas["balikpapan_operator"])
    assert "agency" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.training_participant_add(actor=actor, training=samarinda, user=personas["samarinda_police"],
                                          agency=agencies["kpu_samarinda"])
    assert "user" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.training_participant_add(actor=personas["observer"], training=samarinda,
                                          agency=agencies["bawaslu"], name="Pemantau")
    assert TrainingParticipant.objects.filter(training=samarinda).count() == 2
    services.training_participant_remove(actor=actor, participant=police)
    assert list(TrainingParticipant.objects.filter(training=samarinda).values_list("name", flat=True)) == [
        "Staf logistik"]


def test_attendance_on_the_day_or_once_held(agencies, personas, samarinda, started):
    actor = personas["samarinda_operator"]
    add = services.training_participant_add
    early = add(actor=actor, training=samarinda, agency=agencies["kpu_samarinda"], name="Staf A")
    with pytest.raises(Conflict) as caught:  # three days ahead
        services.training_attendance_record(actor=actor, training=samarinda, attended=[early.pk])
    assert caught.value.code == "not_started"
    first = add(actor=actor, training=started, agency=agencies["kpu_samarinda"], name="Staf A")
    second = add(actor=actor, training=started, user=personas["samarinda_police"])
    assert services.training_attendance_record(actor=actor, training=started, attended=[first.pk]) == 2
    assert dict(TrainingParticipant.objects.filter(training=started).values_list("name", "attended")) == {
        "Staf A": True, second.name: False}
    with pytest.raises(ValidationError) as caught:  # another training's participant
        services.training_attendance_record(actor=actor, training=started, attended=[early.pk])
    assert "attended" in caught.value.message_dict
    assert services.training_attendance_record(actor=actor, training=started, attended=[first.pk]) == 0
    second.refresh_from_db()
    assert second.history.first().history_user == actor


def test_materials_a_file_of_a_known_kind_or_a_link(personas, samarinda):
    actor = personas["samarinda_police"]
    link = services.training_material_add(actor=actor, training=samarinda, title="Modul",
                                          link="https://jdih.kpu.go.id/")
    document = services.training_material_add(actor=actor, training=samarinda, title="Slide",
                                              file=pdf_upload("slide.pdf"))
    assert link.link and document.file.name.startswith("trainings/")
    fake = SimpleUploadedFile("slide.pptx", b"<html>not a deck</html>", content_type="application/zip")
    for values, field in [({"file": fake}, "file"), ({"link": "javascript:alert(1)"}, "link"), ({}, "file"),
                          ({"link": "https://a.example", "file": pdf_upload()}, "file"),
                          ({"file": SimpleUploadedFile("run.exe", b"MZ...")}, "file")]:
        with pytest.raises(ValidationError) as caught:
            services.training_material_add(actor=actor, training=samarinda, title="x", **values)
        assert field in caught.value.message_dict, values
    assert TrainingMaterial.objects.filter(training=samarinda).count() == 2


def test_evidence_appears_on_the_clause_once_held(agencies, personas, tree, started):
    made = clauses(tree)
    actor = personas["samarinda_operator"]
    planned = training(agencies, personas, starts_in=-timedelta(minutes=30), title="Simulasi TPS")
    assert planned.clause == made["capacity_building"]
    assert not ClauseEvidence.objects.filter(clause=made["capacity_building"]).exists()  # planned: no evidence yet
    services.training_hold(actor=actor, training=planned)
    evidence = ClauseEvidence.objects.get(clause=made["capacity_building"])
    assert (evidence.kind, evidence.description, evidence.region.code, evidence.recorded_by) == (
        "training", "Simulasi TPS", "64.72", actor)
    assert evidence.occurred_on == clock.today()
    services.training_update(actor=actor, training=planned, title="Simulasi pengamanan TPS")
    assert ClauseEvidence.objects.get(pk=evidence.pk).description == "Simulasi pengamanan TPS"
    # ``started`` predates the agreement's clauses: it points to none and has no evidence.
    services.training_hold(actor=actor, training=started)
    assert ClauseEvidence.objects.count() == 1


def test_upcoming_trainings_are_the_planned_ones_of_the_next_days(agencies, personas, samarinda, started):
    later = training(agencies, personas, starts_in=timedelta(days=40), title="Bimtek nanti")
    soon = training(agencies, personas, where="province", starts_in=timedelta(days=1), title="Simulasi besok")
    cancelled = training(agencies, personas, starts_in=timedelta(days=2), status="cancelled")
    assert list(selectors.upcoming_trainings(personas["samarinda_police"])) == [soon, samarinda]
    assert list(selectors.upcoming_trainings(personas["balikpapan_operator"])) == [soon]
    assert later in selectors.upcoming_trainings(personas["samarinda_police"], days=60)
    assert cancelled not in selectors.upcoming_trainings(personas["samarinda_police"], days=60)
