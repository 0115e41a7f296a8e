"""Query bounds of joint trainings, stakeholder facilitation and peace declarations:
pages, API lists and GET actions, and admin changelists (see test_query_bounds.py).

Every row is Samarinda's, made through the services by KPU Samarinda's operator (or
Polresta's officer), so each grows what the Samarinda personas and the scoped
secretariat of Samarinda ("regional_clerk") see."""

from datetime import timedelta

from coordination.models import Agency, PeaceDeclaration, StakeholderFacilitation, Training, User
from coordination.services import activities as services
from kpu_polda.base import clock
from tests.platform.growers import grow_agencies

SCOPED_SECRETARIAT = "regional_clerk"  # tests/platform/test_query_bounds.py


def _parties():
    return (User.objects.get(username="samarinda_operator"), Agency.objects.get(code="kpu-samarinda"),
            Agency.objects.get(code="polres-samarinda"))


def _training(tree, title, starts):
    operator, kpu, police = _parties()
    return services.training_create(actor=operator, title=title, organiser=kpu, co_organiser=police,
                                    area=tree["samarinda"], starts_at=starts, ends_at=starts + timedelta(hours=4),
                                    place="Aula KPU Samarinda")


def grow_trainings(tree, election, start, count):
    """Trainings in Samarinda and one of its kecamatan, every other one held."""
    operator, kpu, police = _parties()
    now = clock.now()
    for index in range(start, start + count):
        starts = now + timedelta(days=index + 1) * (-1 if index % 2 else 1)
        row = services.training_create(actor=operator, title=f"Bimtek {index}", organiser=kpu, co_organiser=police,
                                       area=tree["sam_kec"] if index % 3 else tree["samarinda"], starts_at=starts,
                                       ends_at=starts + timedelta(hours=3), place="Aula")
        if index % 2:
            services.training_hold(actor=operator, training=row, evaluation_score=70 + index % 30)


def _bounds_training(tree):
    return Training.objects.filter(title="bounds training").first() or _training(
        tree, "bounds training", clock.now() - timedelta(hours=1))


def grow_participants(tree, election, start, count):
    """Participants of the training of ``world``, from both agencies."""
    operator, kpu, police = _parties()
    training = _bounds_training(tree)
    for index in range(start, start + count):
        services.training_participant_add(actor=operator, training=training, agency=kpu if index % 2 else police,
                                          name=f"Peserta {index}", position="Staf")


def grow_materials(tree, election, start, count):
    operator, _kpu, _police = _parties()
    training = _bounds_training(tree)
    for index in range(start, start + count):
        services.training_material_add(actor=operator, training=training, title=f"Modul {index}",
                                       link=f"https://jdih.kpu.go.id/{index}")


def grow_training_parts(tree, election, start, count):
    """Participants, materials and status changes of the training of ``world``."""
    grow_participants(tree, election, start, count)
    grow_materials(tree, election, start, count)


def grow_facilitations(tree, election, start, count):
    police = User.objects.get(username="samarinda_police")
    _operator, kpu, polresta = _parties()
    for index in range(start, start + count):
        services.facilitation_create(actor=police, title=f"Dialog {index}", facilitator=polresta, kpu_office=kpu,
                                     area=tree["sam_kec"] if index % 2 else tree["samarinda"],
                                     held_at=clock.now() - timedelta(days=index + 1), place="Aula Polresta",
                                     stakeholders="Tokoh agama, tim kampanye")


def _bounds_facilitation(tree):
    row = StakeholderFacilitation.objects.filter(title="bounds facilitation").first()
    if row is None:
        _operator, kpu, polresta = _parties()
        row = services.facilitation_create(actor=User.objects.get(username="samarinda_police"),
                                           title="bounds facilitation", facilitator=polresta, kpu_office=kpu,
                                           area=tree["samarinda"], held_at=clock.now() - timedelta(days=1),
                                           place="Aula Polresta", stakeholders="Tokoh adat")
    return row


def grow_facilitation_history(tree, election, start, count):
    """Changes to the facilitation of ``world``: its page shows the latest."""
    row = _bounds_facilitation(tree)
    for index in range(start, start + count):
        services.facilitation_update(actor=User.objects.get(username="samarinda_police"), facilitation=row,
                                     outcome=f"Kesepakatan {index}")


def grow_declarations(tree, election, start, count):
    operator, _kpu, _police = _parties()
    for index in range(start, start + count):
        services.declaration_create(actor=operator, title=f"Deklarasi {index}", event="Apel",
                                    signed_on=clock.today() - timedelta(days=index + 1), place="Lapangan",
                                    area=tree["sam_kec"] if index % 2 else tree["samarinda"],
                                    signatories=[{"party": "PKB", "representative": "Ketua DPC"},
                                                 {"party": "PKS", "representative": "Ketua DPD"}])


def _bounds_declaration(tree):
    operator, _kpu, _police = _parties()
    return PeaceDeclaration.objects.filter(title="bounds declaration").first() or services.declaration_create(
        actor=operator, title="bounds declaration", event="Apel", signed_on=clock.today(), place="Lapangan",
        area=tree["samarinda"])


def grow_signatories(tree, election, start, count):
    """The signatories of the declaration of ``world``: all ``start + count`` of them."""
    operator, _kpu, _police = _parties()
    services.declaration_signatories_set(
        actor=operator, declaration=_bounds_declaration(tree),
        signatories=[{"party": f"Partai {n}", "representative": f"Ketua {n}"} for n in range(start + count)])


def world(tree, election):
    return {"activity_training": _bounds_training(tree), "activity_facilitation": _bounds_facilitation(tree),
            "activity_declaration": _bounds_declaration(tree)}


def _participants_shown(response):
    return sum(len(group.participants) for group in response.context["groups"])


CASES = [
    ("/trainings/", grow_trainings, "samarinda_operator", 10),
    ("/trainings/?status=held&region=64.72", grow_trainings, "samarinda_police", 10),
    ("/trainings/new/", grow_agencies, "samarinda_operator", 10, lambda r: None),
    ("/trainings/{activity_training}/", grow_training_parts, "samarinda_operator", 14, _participants_shown),
    ("/trainings/{activity_training}/", grow_materials, "samarinda_operator", 14,
     lambda r: len(r.context["materials"])),
    ("/trainings/{activity_training}/edit/", grow_agencies, "samarinda_operator", 10, lambda r: None),
    ("/facilitations/", grow_facilitations, "samarinda_operator", 10),
    ("/facilitations/new/", grow_agencies, "samarinda_police", 10, lambda r: None),
    ("/facilitations/{activity_facilitation}/", grow_facilitation_history, "samarinda_police", 10,
     lambda r: None),
    ("/facilitations/{activity_facilitation}/edit/", grow_agencies, "samarinda_police", 10, lambda r: None),
    ("/declarations/", grow_declarations, "samarinda_operator", 10),
    ("/declarations/new/", grow_agencies, "samarinda_operator", 10, lambda r: None),
    ("/declarations/{activity_declaration}/", grow_signatories, "samarinda_operator", 11,
     lambda r: len(r.context["signatories"])),
    ("/declarations/{activity_declaration}/edit/", grow_signatories, "samarinda_operator", 10,
     lambda r: len(r.context["form"]["signatories"].value().splitlines())),
    ("/api/v1/trainings/", grow_trainings, "samarinda_operator", 8),
    ("/api/v1/trainings/{activity_training}/participants/", grow_participants, "samarinda_operator", 9),
    ("/api/v1/trainings/{activity_training}/materials/", grow_materials, "samarinda_operator", 9),
    ("/api/v1/stakeholder-facilitations/", grow_facilitations, "samarinda_operator", 8),
    ("/api/v1/peace-declarations/", grow_declarations, "samarinda_operator", 9),
    ("/admin/coordination/training/", grow_trainings, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/stakeholderfacilitation/", grow_facilitations, SCOPED_SECRETARIAT, 14),
    ("/admin/coordination/peacedeclaration/", grow_declarations, SCOPED_SECRETARIAT, 14),
]

NO_ROWS = {
    "coordination:training-hold": "POST only",
    "coordination:training-cancel": "POST only",
    "coordination:training-score": "POST only",
    "coordination:training-participant-add": "POST only",
    "coordination:training-participant-remove": "POST only",
    "coordination:training-attendance": "POST only",
    "coordination:training-material-add": "POST only",
    "coordination:training-material-download": "one stored file of one material",
    "coordination:declaration-document": "one stored file of one declaration",
    "coordination:declaration-document-upload": "POST only",
}
