"""Joint trainings, stakeholder facilitation and peace declarations: their pages
(coordination/views/activities*.py) and API (coordination/api/activities.py).

Every row below is Samarinda's unless it says otherwise. A training of KPU Samarinda
with Polresta Samarinda is arranged by those two agencies and the secretariat; the
province's KPU and Polda staff see it but do not arrange it (403), Bawaslu's observer only
reads (403), Balikpapan's operator does not find it (404). A facilitation is recorded by
its police unit (Polresta), its KPU office (KPU Samarinda) and the secretariat. A
declaration is recorded by the KPU and police staff whose scope holds its region, and by
the secretariat: everyone but the observer (403) and Balikpapan (404). The province's
training is seen by everyone signed in. Pages post forms; API rows post multipart (as the
test client does) and patch JSON.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from .harness import OTHER, api, page, scoped_api, scoped_page, writer_api

TRAINERS = {"samarinda_operator", "samarinda_police", "secretariat"}
FACILITATORS = TRAINERS  # Polresta, KPU Samarinda and the secretariat


def arranger_api(ok=200, **overrides):
    return api(403, **{p: ok for p in TRAINERS}, **{OTHER: 404, **overrides})


def arranger_page(ok=302, **overrides):
    return page(403, **{p: ok for p in TRAINERS}, **{OTHER: 404, **overrides})


def declarer_page(ok=302, **overrides):
    return scoped_page(**{p: ok for p in ("samarinda_operator", "samarinda_police", "province_staff",
                                           "province_police", "secretariat")}, observer=403, **overrides)


def form_open(**overrides):
    """A "new" page: every writer role gets the form, the observer is refused."""
    return page(observer=403, **overrides)


def pdf():
    from tests.factories import pdf_bytes

    return SimpleUploadedFile("deklarasi.pdf", pdf_bytes(), content_type="application/pdf")


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def training_form(c, **extra):
    starts = c["now"] + timedelta(days=6)
    return {"title": "Bimtek KPPS", "kind": "bimtek", "organiser": c["agencies"]["kpu-samarinda"].pk,
            "co_organiser": c["agencies"]["polres-samarinda"].pk, "area": "64.72", "starts_at": local(starts),
            "ends_at": local(starts + timedelta(hours=4)), "place": "Aula KPU Samarinda", "description": "", **extra}


def training_api(c):
    starts = c["now"] + timedelta(days=6)
    return {"title": "Bimtek KPPS", "kind": "bimtek", "organiser": "kpu-samarinda", "co_organiser": "polres-samarinda",
            "area": "64.72", "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "place": "Aula KPU Samarinda"}


def facilitation_form(c):
    return {"title": "Dialog tokoh agama", "facilitator": c["agencies"]["polres-samarinda"].pk,
            "kpu_office": c["agencies"]["kpu-samarinda"].pk, "area": "64.72",
            "held_at": local(c["now"] - timedelta(days=1)), "place": "Aula Polresta",
            "stakeholders": "Tokoh agama, tim kampanye", "outcome": "Kampanye damai"}


def facilitation_api(c):
    return {"title": "Dialog tokoh agama", "facilitator": "polres-samarinda", "kpu_office": "kpu-samarinda",
            "area": "64.72", "held_at": (c["now"] - timedelta(days=1)).isoformat(), "place": "Aula Polresta",
            "stakeholders": "Tokoh agama, tim kampanye"}


def declaration_form(c):
    return {"title": "Deklarasi damai Samarinda", "event": "Apel siaga", "signed_on": "2023-11-27",
            "place": "Lapangan", "area": "64.72", "summary": "", "source": "",
            "signatories": "PKB | Ketua DPC PKB Samarinda\nKPU Kota Samarinda | Ketua KPU Samarinda | | kpu-samarinda"}


def declaration_api(c):
    return {"title": "Deklarasi damai Samarinda", "event": "Apel siaga", "signed_on": "2023-11-27",
            "place": "Lapangan", "area": "64.72"}


def t(c, name, action=""):
    return f"/trainings/{c[name].pk}/" + (f"{action}/" if action else "")


def ta(c, name, action=""):
    return f"/api/v1/trainings/{c[name].pk}/" + (f"{action}/" if action else "")


ROUTES = {
    # --- pages: trainings -------------------------------------------------------------------
    "coordination:training-list": [
        ("get", lambda c: "/trainings/", None, page()),
        ("get", lambda c: "/trainings/?kind=bimtek&status=planned&region=64.72&starts_from=2024-01-01", None, page()),
    ],
    "coordination:training-create": [
        ("get", lambda c: "/trainings/new/", None, form_open()),
        # Balikpapan's form knows neither Samarinda's region nor its agencies: a form error.
        ("post", lambda c: "/trainings/new/", training_form, arranger_page(**{OTHER: 400})),
    ],
    "coordination:training-detail": [
        ("get", lambda c: t(c, "planned"), None, scoped_page()),
        ("get", lambda c: t(c, "province_training"), None, page()),
        ("get", lambda c: "/trainings/999999/", None, page(404)),
    ],
    "coordination:training-edit": [
        ("get", lambda c: t(c, "planned", "edit"), None, arranger_page(200)),
        ("post", lambda c: t(c, "planned", "edit"), lambda c: training_form(c, title="Bimtek logistik (ubah)"),
         arranger_page()),
    ],
    "coordination:training-hold": [
        ("post", lambda c: t(c, "started", "hold"), lambda c: {"evaluation_score": "82.5"}, arranger_page()),
        ("post", lambda c: t(c, "cancelled", "hold"), lambda c: {}, arranger_page(409)),
    ],
    "coordination:training-cancel": [
        ("post", lambda c: t(c, "planned", "cancel"), lambda c: {"reason": "Bentrok jadwal"}, arranger_page()),
    ],
    "coordination:training-score": [
        ("post", lambda c: t(c, "held", "score"), lambda c: {"evaluation_score": "91"}, arranger_page()),
    ],
    "coordination:training-participant-add": [
        ("post", lambda c: t(c, "planned", "participants"),
         lambda c: {"agency": c["agencies"]["kpu-samarinda"].pk, "name": "Staf gudang"}, arranger_page()),
    ],
    "coordination:training-participant-remove": [
        ("post", lambda c: f"/trainings/{c['started'].pk}/participants/{c['participant'].pk}/remove/", None,
         arranger_page()),
    ],
    "coordination:training-attendance": [
        ("post", lambda c: t(c, "started", "attendance"), lambda c: {"attended": [c["participant"].pk]},
         arranger_page()),
    ],
    "coordination:training-material-add": [
        ("post", lambda c: t(c, "planned", "materials"), lambda c: {"title": "Modul", "link": "https://jdih.kpu.go.id/"},
         arranger_page()),
    ],
    "coordination:training-material-download": [
        ("get", lambda c: f"/trainings/materials/{c['material'].pk}/", None, scoped_page()),
    ],
    # --- pages: facilitation ----------------------------------------------------------------
    "coordination:facilitation-list": [
        ("get", lambda c: "/facilitations/", None, page()),
        ("get", lambda c: "/facilitations/?region=64.72&q=tokoh&held_from=2024-01-01", None, page()),
    ],
    "coordination:facilitation-create": [
        ("get", lambda c: "/facilitations/new/", None, form_open()),
        ("post", lambda c: "/facilitations/new/", facilitation_form, arranger_page(**{OTHER: 400})),
    ],
    "coordination:facilitation-detail": [("get", lambda c: f"/facilitations/{c['facilitation'].pk}/", None,
                                          scoped_page())],
    "coordination:facilitation-edit": [
        ("get", lambda c: f"/facilitations/{c['facilitation'].pk}/edit/", None, arranger_page(200)),
        ("post", lambda c: f"/facilitations/{c['facilitation'].pk}/edit/",
         lambda c: {**facilitation_form(c), "outcome": "Sepakat tanpa politik uang"}, arranger_page()),
    ],
    # --- pages: peace declarations ----------------------------------------------------------
    "coordination:declaration-list": [
        ("get", lambda c: "/declarations/", None, page()),
        ("get", lambda c: "/declarations/?region=64&party=PKB&signed_from=2023-01-01", None, page()),
    ],
    "coordination:declaration-create": [
        ("get", lambda c: "/declarations/new/", None, form_open()),
        ("post", lambda c: "/declarations/new/", declaration_form, declarer_page(**{OTHER: 400})),
    ],
    "coordination:declaration-detail": [
        ("get", lambda c: f"/declarations/{c['declaration'].pk}/", None, scoped_page()),
        ("get", lambda c: f"/declarations/{c['province_declaration'].pk}/", None, page()),
    ],
    "coordination:declaration-edit": [
        ("get", lambda c: f"/declarations/{c['declaration'].pk}/edit/", None, declarer_page(200)),
        ("post", lambda c: f"/declarations/{c['declaration'].pk}/edit/",
         lambda c: {**declaration_form(c), "place": "Stadion Segiri"}, declarer_page()),
        # The province's: seen in Samarinda, spoken for by the province's people only.
        ("get", lambda c: f"/declarations/{c['province_declaration'].pk}/edit/", None,
         page(403, province_staff=200, province_police=200, secretariat=200)),
    ],
    "coordination:declaration-document": [
        ("get", lambda c: f"/declarations/{c['declaration'].pk}/document/", None, scoped_page()),
        ("get", lambda c: f"/declarations/{c['province_declaration'].pk}/document/", None, page(404)),  # none stored
    ],
    "coordination:declaration-document-upload": [
        ("post", lambda c: f"/declarations/{c['declaration'].pk}/document/upload/", lambda c: {"document": pdf()},
         declarer_page()),
    ],
    # --- API: trainings ---------------------------------------------------------------------
    "training-list": [
        ("get", lambda c: "/api/v1/trainings/", None, api()),
        ("get", lambda c: "/api/v1/trainings/?kind=bimtek&status=planned&region=64.72&organiser=kpu-samarinda",
         None, api()),
        ("post", lambda c: "/api/v1/trainings/", training_api, arranger_api(201)),
    ],
    "training-detail": [
        ("get", lambda c: ta(c, "planned"), None, scoped_api()),
        ("get", lambda c: ta(c, "province_training"), None, api()),
        ("get", lambda c: "/api/v1/trainings/999999/", None, api(404)),
        ("patch", lambda c: ta(c, "planned"), lambda c: {"place": "Aula Polresta"}, arranger_api()),
    ],
    "training-hold": [
        ("post", lambda c: ta(c, "started", "hold"), lambda c: {"evaluation_score": "75"}, arranger_api()),
        ("post", lambda c: ta(c, "cancelled", "hold"), None, arranger_api(409)),
    ],
    "training-cancel": [
        ("post", lambda c: ta(c, "planned", "cancel"), lambda c: {"reason": "Bentrok jadwal"}, arranger_api()),
    ],
    "training-score": [
        ("post", lambda c: ta(c, "held", "score"), lambda c: {"evaluation_score": "90"}, arranger_api()),
    ],
    "training-participants": [
        ("get", lambda c: ta(c, "started", "participants"), None, scoped_api()),
        ("post", lambda c: ta(c, "planned", "participants"), lambda c: {"agency": "kpu-samarinda", "name": "Staf"},
         arranger_api(201)),
    ],
    "training-participant-remove": [
        ("delete", lambda c: f"/api/v1/trainings/{c['started'].pk}/participants/{c['participant'].pk}/", None,
         arranger_api(204)),
    ],
    "training-attendance": [
        ("post", lambda c: ta(c, "started", "attendance"), lambda c: {"attended": [c["participant"].pk]},
         arranger_api()),
    ],
    "training-materials": [
        ("get", lambda c: ta(c, "planned", "materials"), None, scoped_api()),
        ("post", lambda c: ta(c, "planned", "materials"), lambda c: {"title": "Slide", "file": pdf()},
         arranger_api(201)),
    ],
    # --- API: facilitation and declarations ----------------------------------------------------
    "stakeholder-facilitation-list": [
        ("get", lambda c: "/api/v1/stakeholder-facilitations/", None, api()),
        ("get", lambda c: "/api/v1/stakeholder-facilitations/?region=64.72&facilitator=polres-samarinda", None,
         api()),
        ("post", lambda c: "/api/v1/stakeholder-facilitations/", facilitation_api, arranger_api(201)),
    ],
    "stakeholder-facilitation-detail": [
        ("get", lambda c: f"/api/v1/stakeholder-facilitations/{c['facilitation'].pk}/", None, scoped_api()),
        ("patch", lambda c: f"/api/v1/stakeholder-facilitations/{c['facilitation'].pk}/",
         lambda c: {"outcome": "Sepakat"}, arranger_api()),
    ],
    "peace-declaration-list": [
        ("get", lambda c: "/api/v1/peace-declarations/", None, api()),
        ("get", lambda c: "/api/v1/peace-declarations/?region=64&party=PKB", None, api()),
        ("post", lambda c: "/api/v1/peace-declarations/", declaration_api, writer_api(201)),
    ],
    "peace-declaration-detail": [
        ("get", lambda c: f"/api/v1/peace-declarations/{c['declaration'].pk}/", None, scoped_api()),
        ("get", lambda c: f"/api/v1/peace-declarations/{c['province_declaration'].pk}/", None, api()),
        ("patch", lambda c: f"/api/v1/peace-declarations/{c['declaration'].pk}/",
         lambda c: {"signatories": [{"party": "PKB", "representative": "Ketua DPC PKB Samarinda"}]}, writer_api()),
    ],
    "peace-declaration-document": [
        ("post", lambda c: f"/api/v1/peace-declarations/{c['declaration'].pk}/document/",
         lambda c: {"document": pdf()}, writer_api()),
    ],
}

def world(stations, personas):
    """Samarinda trainings in each state a step starts from (planned in three days,
    started an hour ago with a participant, held, cancelled), a material, the province's
    training, a facilitation, and a declaration of Samarinda (with its document) and of
    the province."""
    from coordination.models import Agency, Region
    from coordination.services import activities as services
    from kpu_polda.base import clock

    now = clock.now()
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    kpu, police = personas["samarinda_operator"], personas["samarinda_police"]
    samarinda, province = Region.objects.get(code="64.72"), Region.objects.get(code="64")

    def training(title, starts, actor=kpu, organiser="kpu-samarinda", co_organiser="polres-samarinda",
                 area=samarinda):
        return services.training_create(actor=actor, title=title, organiser=agencies[organiser],
                                        co_organiser=agencies[co_organiser], area=area, starts_at=starts,
                                        ends_at=starts + timedelta(hours=5), place="Aula KPU Samarinda")

    planned = training("Bimtek pengawalan logistik", now + timedelta(days=3))
    started = training("Simulasi TPS", now - timedelta(hours=1))
    participant = services.training_participant_add(actor=kpu, training=started, user=police)
    held = services.training_hold(actor=kpu, training=training("Bimtek KPPS", now - timedelta(days=2)))
    cancelled = services.training_cancel(actor=kpu, training=training("Workshop", now + timedelta(days=9)),
                                         reason="Bentrok jadwal")
    material = services.training_material_add(actor=kpu, training=planned, title="Modul", file=pdf())
    province_training = training("Bimtek provinsi", now + timedelta(days=4), actor=personas["province_staff"],
                                 organiser="kpu-kaltim", co_organiser="polda-kaltim", area=province)
    facilitation = services.facilitation_create(
        actor=police, title="Silaturahmi kamtibmas", facilitator=agencies["polres-samarinda"],
        kpu_office=agencies["kpu-samarinda"], area=samarinda, held_at=now - timedelta(days=3), place="Aula Polresta",
        stakeholders="Tokoh agama, tim kampanye")
    signatories = [{"party": "PKB", "representative": "Ketua DPC PKB Samarinda"}]
    declaration = services.declaration_create(actor=kpu, title="Deklarasi damai Samarinda", event="Apel siaga",
                                              signed_on=now.date() - timedelta(days=30), place="Lapangan",
                                              area=samarinda, signatories=signatories)
    declaration = services.declaration_attach_document(actor=kpu, declaration=declaration, upload=pdf())
    province_declaration = services.declaration_create(
        actor=personas["province_staff"], title="Deklarasi pemilu damai Kaltim", event="Penandatanganan PKS",
        signed_on=now.date() - timedelta(days=40), place="Aula KPU Kaltim", area=province, signatories=signatories)
    return {"now": now, "agencies": agencies, "planned": planned, "started": started, "participant": participant,
            "held": held, "cancelled": cancelled, "material": material, "province_training": province_training,
            "facilitation": facilitation, "declaration": declaration, "province_declaration": province_declaration}
