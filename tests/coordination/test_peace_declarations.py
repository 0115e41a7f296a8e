"""Peace declarations: signatories in order, the signed document (PDF only), who records
them, their evidence, pages and API, and the 13 March 2023 declaration of the demo."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coordination.models import ClauseEvidence, DeclarationSignatory, PeaceDeclaration
from coordination.services import activities as services
from kpu_polda.base.exceptions import OutOfScope, PermissionDenied
from tests.coordination.activity_factories import clauses, declaration, pdf_upload

NOT_PDF = [
    SimpleUploadedFile("deklarasi.pdf", b"\x89PNG\r\n\x1a\n an image renamed", content_type="application/pdf"),
    SimpleUploadedFile("deklarasi.pdf", b"%PDF-1.4\n no structure at all", content_type="application/pdf"),
]


def test_signatories_are_kept_in_order_and_replaced_whole(personas, agencies):
    row = declaration(personas)
    assert list(row.signatories.values_list("order", "party", "representative", "position")) == [
        (0, "Partai Kebangkitan Bangsa (PKB)", "Ketua DPW PKB Kaltim", ""),
        (1, "Partai Gerindra", "Ketua DPD Gerindra Kaltim", "Ketua DPD")]
    services.declaration_signatories_set(actor=personas["samarinda_police"], declaration=row, signatories=[
        {"party": "Polresta Samarinda", "representative": "Kapolresta", "agency": agencies["polresta"]},
        {"party": "KPU Kota Samarinda", "representative": "Ketua KPU Samarinda"}])
    assert list(row.signatories.values_list("party", flat=True)) == ["Polresta Samarinda", "KPU Kota Samarinda"]
    deleted = DeclarationSignatory.history.filter(history_type="-")
    assert deleted.count() == 2 and {entry.history_user for entry in deleted} == {personas["samarinda_police"]}


@pytest.mark.parametrize(("signatories", "field"), [
    ([{"party": "PKB", "representative": ""}], "signatories[0].representative"),
    ([{"party": "PKB", "representative": "a"}, {"party": "pkb", "representative": "b"}], "signatories[1].party"),
    ([{"party": "PKB", "representative": "a", "nickname": "x"}], "signatories[0]"),
    (["PKB"], "signatories[0]"),
])
def test_bad_signatories_name_the_entry(personas, signatories, field):
    with pytest.raises(ValidationError) as caught:
        declaration(personas, signatories=signatories)
    assert field in caught.value.message_dict
    assert not PeaceDeclaration.objects.exists()


def test_an_agency_the_actor_cannot_see_is_refused(personas, agencies):
    with pytest.raises(ValidationError) as caught:
        declaration(personas, signatories=[{"party": "Polres Balikpapan", "representative": "Kapolres",
                                            "agency": agencies["polres_balikpapan"]}])
    assert "signatories[0].agency" in caught.value.message_dict


def test_recorded_by_kpu_and_police_staff_of_its_region_and_the_secretariat(personas):
    province = declaration(personas, where="province")
    samarinda = declaration(personas, title="Deklarasi Samarinda")
    services.declaration_update(actor=personas["province_police"], declaration=province, place="Lapangan Kinibalu")
    services.declaration_update(actor=personas["secretariat"], declaration=samarinda, summary="Dibacakan bersama")
    with pytest.raises(PermissionDenied):  # sees the province's, does not speak for it
        services.declaration_update(actor=personas["samarinda_operator"], declaration=province, place="x")
    with pytest.raises(PermissionDenied):
        services.declaration_update(actor=personas["observer"], declaration=samarinda, place="x")
    with pytest.raises(OutOfScope):
        services.declaration_update(actor=personas["balikpapan_operator"], declaration=samarinda, place="x")
    with pytest.raises(PermissionDenied):
        declaration(personas, actor=personas["observer"], where="province")
    with pytest.raises(ValidationError) as caught:
        services.declaration_update(actor=personas["secretariat"], declaration=samarinda,
                                    signed_on=date(2099, 1, 1))
    assert "signed_on" in caught.value.message_dict


def test_the_document_is_a_pdf_judged_by_its_content(personas):
    row = declaration(personas)
    for upload in NOT_PDF:
        with pytest.raises(ValidationError) as caught:
            services.declaration_attach_document(actor=personas["samarinda_operator"], declaration=row, upload=upload)
        assert "document" in caught.value.message_dict
    assert not PeaceDeclaration.objects.get(pk=row.pk).document
    stored = services.declaration_attach_document(actor=personas["samarinda_operator"], declaration=row,
                                                  upload=pdf_upload())
    assert stored.document.name.startswith("declarations/") and stored.document.name.endswith(".pdf")
    with pytest.raises(PermissionDenied):
        services.declaration_attach_document(actor=personas["observer"], declaration=row, upload=pdf_upload())


def test_counts_on_the_stakeholder_clause(personas, tree):
    made = clauses(tree)
    row = declaration(personas, where="province", title="Deklarasi pemilu damai Kaltim")
    evidence = ClauseEvidence.objects.get(clause=made["stakeholder_facilitation"])
    assert (evidence.description, evidence.occurred_on, evidence.region.code) == (
        "Deklarasi pemilu damai Kaltim", row.signed_on, "64")


def test_api_nests_signatories_and_takes_the_document(api_for, client, personas):
    api = api_for(personas["province_staff"])
    body = {"title": "Deklarasi", "event": "Apel", "signed_on": "2023-03-13", "place": "Aula KPU", "area": "64",
            "signatories": [{"party": "Bawaslu Kaltim", "representative": "Ketua Bawaslu Kaltim",
                             "position": "Ketua", "agency": "bawaslu-kaltim"},
                            {"party": "PKS", "representative": "Ketua DPW PKS Kaltim", "position": ""}]}
    unknown = api.post("/api/v1/peace-declarations/", {**body, "signatories": [{"party": "x", "representative": "y",
                                                                                "nick": "z"}]}, format="json")
    assert unknown.status_code == 400 and "signatories" in unknown.json()["errors"]
    created = api.post("/api/v1/peace-declarations/", body, format="json")
    assert created.status_code == 201, created.content
    assert [row["party"] for row in created.json()["signatories"]] == ["Bawaslu Kaltim", "PKS"]
    assert created.json()["signatories"][0]["agency"] == "bawaslu-kaltim" and created.json()["document"] is None
    url = f"/api/v1/peace-declarations/{created.json()['id']}/"
    patched = api.patch(url, {"signatories": [{"party": "PKB", "representative": "Ketua DPW PKB Kaltim"}]},
                        format="json")
    assert [row["party"] for row in patched.json()["signatories"]] == ["PKB"]
    refused = api.post(url + "document/", {"document": NOT_PDF[0]}, format="multipart")
    assert refused.status_code == 400 and "document" in refused.json()["errors"]
    stored = api.post(url + "document/", {"document": pdf_upload()}, format="multipart")
    assert stored.status_code == 200 and stored.json()["document"].endswith("/document/")
    assert api_for(personas["samarinda_operator"]).patch(url, {"place": "x"}, format="json").status_code == 403
    assert api_for(personas["observer"]).post(url + "document/", {"document": pdf_upload()},
                                              format="multipart").status_code == 403
    client.force_login(personas["balikpapan_operator"])  # the province's declaration binds Balikpapan too
    assert client.get(stored.json()["document"]).status_code == 200


def test_pages_show_the_signatories_and_serve_the_document_in_scope(client, settings, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = declaration(personas)
    client.force_login(personas["samarinda_operator"])
    page = client.get(f"/declarations/{row.pk}/")
    assert page.status_code == 200 and [s.party for s in page.context["signatories"]] == [
        "Partai Kebangkitan Bangsa (PKB)", "Partai Gerindra"]
    assert "Not stored yet." in page.content.decode()
    assert client.get(f"/declarations/{row.pk}/document/").status_code == 404
    refused = client.post(f"/declarations/{row.pk}/document/upload/", {"document": NOT_PDF[1]})
    assert refused.status_code == 400 and "Only PDF documents are accepted." in refused.content.decode()
    assert client.post(f"/declarations/{row.pk}/document/upload/", {"document": pdf_upload()}).status_code == 302
    download = client.get(f"/declarations/{row.pk}/document/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    client.force_login(personas["balikpapan_operator"])
    assert client.get(f"/declarations/{row.pk}/document/").status_code == 404
    assert client.get(f"/declarations/{row.pk}/").status_code == 404


def test_the_edit_page_writes_signatories_one_per_line(client, settings, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = declaration(personas)
    client.force_login(personas["samarinda_operator"])
    form = client.get(f"/declarations/{row.pk}/edit/").context["form"]
    assert form["signatories"].value().splitlines() == [
        "Partai Kebangkitan Bangsa (PKB) | Ketua DPW PKB Kaltim",
        "Partai Gerindra | Ketua DPD Gerindra Kaltim | Ketua DPD"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["signatories"] = "PKB | Ketua DPW PKB Kaltim\nPolresta | Kapolresta | | nowhere"
    refused = client.post(f"/declarations/{row.pk}/edit/", data)
    assert refused.status_code == 400 and "Line 2: unknown agency code nowhere." in refused.content.decode()
    data["signatories"] = "PKB | Ketua DPW PKB Kaltim\nPolresta Samarinda | Kapolresta | | polres-samarinda"
    assert client.post(f"/declarations/{row.pk}/edit/", data).status_code == 302
    assert list(row.signatories.values_list("party", "agency__code")) == [
        ("PKB", None), ("Polresta Samarinda", "polres-samarinda")]


# --- the demo -------------------------------------------------------------------------------


@pytest.fixture
def demo_ground(db):
    """Kaltim's province and regencies, agencies, demo accounts and the agreement, as the
    demo command builds them before this subject's seed (without the 11,000 TPS)."""
    from coordination import demo
    from coordination import services as ground
    from coordination.demo.accounts import REGENCIES
    from tests.factories import region

    region("64", "Kalimantan Timur")
    for slug, code, _police in REGENCIES:
        region(code, f"Kota {slug.title()}" if code.startswith("64.7") else f"Kabupaten {slug.title()}")
    actor = ground.system_actor()
    demo.agencies_seed(actor=actor)
    demo.demo_users_seed(actor=actor)
    ground.agreement_load_json(actor=actor)
    return actor


def test_the_demo_declaration_of_13_march_2023_with_its_18_parties(demo_ground):
    from coordination.demo import activities
    from coordination.models import StakeholderFacilitation, Training

    assert activities.seed(actor=demo_ground) == 5
    row = PeaceDeclaration.objects.get(signed_on="2023-03-13")
    assert row.area.code == "64" and "Samarinda" in row.place and row.source == activities.SOURCE
    signatories = list(row.signatories.order_by("order"))
    assert [s.representative for s in signatories[:5]] == [
        "Isran Noor", "Irjen Pol Imam Sugianto", "Pangdam VI/Mulawarman", "Ketua Bawaslu Kaltim", "Rudiansyah"]
    parties = signatories[5:]
    assert len(parties) == 18 and parties[0].representative == "Ketua DPW PKB Kaltim"
    assert [p.party for p in parties][-1] == "Partai Ummat"
    assert all(p.representative == p.position for p in parties)  # no names the source does not give
    assert ClauseEvidence.objects.filter(clause__category="stakeholder_facilitation").count() == 3
    held = Training.objects.get(status="held")
    assert held.evaluation_score == 86.5 and held.participants.filter(attended=True).count() == 5
    assert ClauseEvidence.objects.filter(clause__category="capacity_building", source_id=held.pk).count() == 1
    assert Training.objects.get(status="planned").area.code == "64.11"
    assert StakeholderFacilitation.objects.count() == 2
    assert activities.seed(actor=demo_ground) == 0  # idempotent
    assert PeaceDeclaration.objects.count() == 1 and Training.objects.count() == 2
