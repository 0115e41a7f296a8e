"""Stored scans and attachments: checked for being a PDF, replaced on re-upload, served
only through the views that apply the object's scope."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coordination import services
from coordination.models import Addendum, Agreement, Clause
from kpu_polda.base.files import validate_pdf
from tests.factories import pdf_bytes


def upload(content: bytes, name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def local_agreement(tree, personas):
    """Samarinda's agreement, with its scan stored by the province's secretariat."""
    agreement = Agreement.objects.create(code="pks-smr", title="PKS Samarinda", region=tree["samarinda"],
                                         signed_on=date(2023, 6, 1), term_start=date(2023, 6, 1), status="active")
    return services.agreement_attach_document(actor=personas["secretariat"], agreement=agreement,
                                              upload=upload(pdf_bytes()))


def test_only_a_whole_pdf_is_accepted():
    real = pdf_bytes(pages=2)
    validate_pdf(upload(real))
    refused = {
        "not a pdf": b"MZ\x90\x00 an executable",
        "header only": b"%PDF-1.7\n" + b"\x00" * 2000,
        "header and trailer around nothing": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        "cut off (no %%EOF)": real[: len(real) // 2],
        "pdf header on an image": b"%PDF-1.4\n" + b"GIF89a" + b"\x01" * 500 + b"\n%%EOF\n",
    }
    for what, content in refused.items():
        with pytest.raises(ValidationError) as caught:
            validate_pdf(upload(content))
        assert caught.value.code == "not_pdf", what


def test_the_scan_is_served_to_its_region_only(local_agreement, personas, client):
    url = f"/agreements/{local_agreement.pk}/document/"
    client.force_login(personas["samarinda_operator"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    # Named after the agreement (storage may add a suffix when the name was taken).
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="pks-smr') and disposition.endswith('.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    client.force_login(personas["balikpapan_operator"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_pages_and_api_link_the_checked_view_never_media(local_agreement, personas, client):
    client.force_login(personas["samarinda_operator"])
    body = client.get(f"/agreements/{local_agreement.pk}/").content.decode()
    assert f'href="/agreements/{local_agreement.pk}/document/"' in body and "/media/" not in body
    api = APIClient()
    api.force_authenticate(personas["samarinda_operator"])
    document = api.get(f"/api/v1/agreements/{local_agreement.pk}/").json()["document"]
    assert document == f"http://testserver/agreements/{local_agreement.pk}/document/"
    assert api.get("/api/v1/agreements/").json()["results"][0]["document"] == document


def test_admin_links_the_checked_view(local_agreement, personas, client):
    client.force_login(personas["secretariat"])
    body = client.get(f"/admin/coordination/agreement/{local_agreement.pk}/change/").content.decode()
    assert f'href="/agreements/{local_agreement.pk}/document/"' in body and "/media/" not in body


def test_a_new_scan_replaces_the_old_file_after_commit(local_agreement, personas,
                                                       django_capture_on_commit_callbacks):
    old = local_agreement.document.name
    assert default_storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        replaced = services.agreement_attach_document(actor=personas["secretariat"], agreement=local_agreement,
                                                      upload=upload(pdf_bytes(pages=3)))
    assert callbacks, "the old file is deleted by an after-commit callback"
    assert replaced.document.name != old and default_storage.exists(replaced.document.name)
    assert not default_storage.exists(old)
    # A refused upload changes nothing: the stored scan stays.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.agreement_attach_document(actor=personas["secretariat"], agreement=replaced,
                                           upload=upload(b"%PDF-1.4 not really\n%%EOF\n"))
    assert default_storage.exists(replaced.document.name)


def test_evidence_attachments_and_addenda_are_served_through_their_scope(tree, personas, client):
    agreement = Agreement.objects.create(code="pks", title="PKS", region=tree["kaltim"], signed_on=date(2023, 3, 13),
                                         term_start=date(2023, 3, 13), status="active")
    clause = Clause.objects.create(agreement=agreement, number=1, title="Rapat", text="...",
                                   category="evaluation_meetings", expectation_kind="every_days",
                                   evidence_kind="meeting", expectation_value=30)
    evidence = services.clause_evidence_record(
        actor=personas["samarinda_operator"], clause=clause, occurred_on=date(2024, 2, 1), description="Rakor",
        region=tree["samarinda"], attachment=upload(pdf_bytes(), "notulen.pdf"))
    addendum = Addendum.objects.create(agreement=agreement, number="1", title="Addendum", signed_on=date(2023, 9, 1),
                                       document=default_storage.save("agreements/addenda/a1.pdf", upload(pdf_bytes())))
    client.force_login(personas["samarinda_operator"])
    page = client.get(f"/clauses/{clause.pk}/").content.decode()
    assert f'href="/evidence/{evidence.pk}/attachment/"' in page and "/media/" not in page
    assert client.get(f"/evidence/{evidence.pk}/attachment/").status_code == 200
    assert client.get(f"/addenda/{addendum.pk}/document/").status_code == 200
    # Balikpapan sees the province's agreement and its addendum, not Samarinda's evidence.
    client.force_login(personas["balikpapan_operator"])
    assert client.get(f"/evidence/{evidence.pk}/attachment/").status_code == 404
    assert client.get(f"/addenda/{addendum.pk}/document/").status_code == 200
    # A row without a stored file, or whose file is gone, reads as missing.
    default_storage.delete(addendum.document.name)
    assert client.get(f"/addenda/{addendum.pk}/document/").status_code == 404
    assert client.get(f"/agreements/{agreement.pk}/document/").status_code == 404
