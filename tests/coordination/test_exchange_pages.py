"""The register's pages: the list and its filters, a new entry (its errors shown with the
input kept), the entry's page with the forms its viewer may use, the one-press
acknowledgement that goes back to a safe ``next``, and files."""

from datetime import timedelta

import pytest

from coordination.models import ExchangeAttachment, InformationExchange
from kpu_polda.base import clock
from tests.coordination.exchange_factories import entry, late, pdf


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, as after the language switch (pages do not follow Accept-Language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def rows(agencies, personas):
    return {
        "request": entry(agencies, personas, subject="Rencana pengamanan rekapitulasi"),
        "late": late(entry(agencies, personas, subject="Jalur distribusi", status="acknowledged")),
        "shared": entry(agencies, personas, source="polresta", target="kpu_samarinda", kind="sharing",
                        subject="Daftar personel pengamanan TPS"),
        "secret": entry(agencies, personas, source="polresta", target="kpu_samarinda",
                        classification="confidential", subject="Data pribadi anggota KPPS"),
    }


def form(agencies, **extra):
    return {"kind": "request", "from_agency": agencies["kpu_samarinda"].pk, "to_agency": agencies["polresta"].pk,
            "subject": "Data kerawanan TPS", "purpose": "Penyusunan pola pengamanan", "legal_basis": "",
            "classification": "public", "response_due_on": (clock.today() + timedelta(days=2)).isoformat(),
            "content": "", "attachment_title": "", **extra}


def test_the_list_filters_and_marks_what_is_late(rows, personas, client):
    client.force_login(personas["samarinda_operator"])

    def listed(query=""):
        response = client.get(f"/exchanges/{query}")
        assert response.status_code == 200
        return {row.subject for row in response.context["page"]}

    assert listed() == {"Rencana pengamanan rekapitulasi", "Jalur distribusi", "Daftar personel pengamanan TPS",
                        "Data pribadi anggota KPPS"}
    assert listed("?kind=sharing") == {"Daftar personel pengamanan TPS"}
    assert listed("?classification=confidential") == {"Data pribadi anggota KPPS"}
    assert listed("?status=acknowledged") == {"Jalur distribusi"}
    assert listed("?overdue=true") == {"Jalur distribusi"}
    assert listed("?from_agency=polres-samarinda&open=true") == {"Daftar personel pengamanan TPS",
                                                                 "Data pribadi anggota KPPS"}
    assert listed(f"?to_agency_id={rows['request'].to_agency_id}&q=rekap") == {"Rencana pengamanan rekapitulasi"}
    page = client.get("/exchanges/").content.decode()
    assert page.count('data-testid="overdue"') == 1
    assert 'class="badge text-bg-danger" data-testid="classification"' in page and "CONFIDENTIAL</span>" in page
    bad = client.get("/exchanges/?status=lost&from_agency_id=abc")
    assert bad.status_code == 200 and not bad.context["page"].object_list and "filter-errors" in bad.content.decode()


def test_a_new_entry_is_sent_from_the_form(agencies, personas, client):
    client.force_login(personas["samarinda_operator"])
    assert client.get("/exchanges/new/").status_code == 200
    response = client.post("/exchanges/new/", form(agencies, attachment=pdf("surat.pdf")))
    row = InformationExchange.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchanges/{row.pk}/"
    assert (row.subject, row.sent_by, row.status) == ("Data kerawanan TPS", personas["samarinda_operator"], "sent")
    assert ExchangeAttachment.objects.get(exchange=row).title == "surat.pdf"
    client.force_login(personas["observer"])
    assert client.get("/exchanges/new/").status_code == 403


def test_a_refused_entry_shows_its_errors_with_the_input_kept(agencies, personas, client, english):
    client.force_login(personas["samarinda_operator"])
    past = (clock.today() - timedelta(days=1)).isoformat()
    response = client.post("/exchanges/new/", form(agencies, response_due_on=past, subject="Permintaan ulang"))
    assert response.status_code == 400
    assert response.context["form"].errors == {"response_due_on": ["The answer date cannot lie in the past."]}
    assert 'value="Permintaan ulang"' in response.content.decode()
    other = client.post("/exchanges/new/", form(agencies, from_agency=agencies["polresta"].pk))
    assert other.status_code == 400 and "from_agency" in other.context["form"].errors  # only one's own agency
    assert InformationExchange.objects.count() == 0


def test_the_page_offers_each_viewer_what_they_may_do(rows, personas, client):
    def offered(name, row):
        client.force_login(personas[name])
        context = client.get(f"/exchanges/{row.pk}/").context
        return {key for key in ("can_acknowledge", "can_answer", "can_withdraw", "can_attach") if context[key]}

    assert offered("samarinda_police", rows["request"]) == {"can_acknowledge", "can_answer", "can_attach"}
    assert offered("samarinda_operator", rows["request"]) == {"can_withdraw", "can_attach"}
    assert offered("secretariat", rows["request"]) == {"can_acknowledge", "can_answer", "can_withdraw", "can_attach"}
    assert offered("observer", rows["request"]) == set()
    assert offered("samarinda_police", rows["late"]) == {"can_answer", "can_attach"}
    assert offered("samarinda_operator", rows["shared"]) == {"can_acknowledge", "can_attach"}  # no answer to a share


def test_acknowledging_from_the_inbox_goes_back_to_a_safe_next(rows, personas, client):
    client.force_login(personas["samarinda_operator"])
    home = client.post(f"/exchanges/{rows['shared'].pk}/acknowledge/", {"next": "/"})
    assert home.status_code == 302 and home["Location"] == "/"
    assert InformationExchange.objects.get(pk=rows["shared"].pk).acknowledged_by == personas["samarinda_operator"]
    elsewhere = client.post(f"/exchanges/{rows['secret'].pk}/acknowledge/", {"next": "https://evil.example/"})
    assert elsewhere["Location"] == f"/exchanges/{rows['secret'].pk}/"


def test_acknowledging_twice_shows_the_conflict_and_saves_nothing(rows, personas, client, english):
    client.force_login(personas["samarinda_police"])
    before = InformationExchange.objects.get(pk=rows["late"].pk).acknowledged_at
    response = client.post(f"/exchanges/{rows['late'].pk}/acknowledge/", {"next": "/"})
    assert response.status_code == 409
    assert "already acknowledged" in response.context["conflict"]
    assert 'data-testid="conflict"' in response.content.decode()
    assert InformationExchange.objects.get(pk=rows["late"].pk).acknowledged_at == before
    client.force_login(personas["samarinda_operator"])  # the sender: not theirs to acknowledge
    assert client.post(f"/exchanges/{rows['request'].pk}/acknowledge/").status_code == 403


def test_answer_withdraw_and_attach_from_the_page(rows, personas, client):
    client.force_login(personas["samarinda_police"])
    url = f"/exchanges/{rows['request'].pk}/"
    empty = client.post(url + "answer/", {"answer": ""})
    assert empty.status_code == 400 and "answer" in empty.context["answer_form"].errors
    assert client.post(url + "answer/", {"answer": "Rencana terlampir"})["Location"] == url
    assert client.post(url + "attachments/", {"file": pdf("rencana.pdf"), "title": ""})["Location"] == url
    row = InformationExchange.objects.get(pk=rows["request"].pk)
    assert (row.status, row.answer) == ("answered", "Rencana terlampir")
    [attachment] = row.attachments.all()
    assert attachment.title == "rencana.pdf"
    page = client.get(url).content.decode()
    assert f"/exchange-attachments/{attachment.pk}/" in page and "Rencana terlampir" in page
    client.force_login(personas["samarinda_operator"])
    withdrawn = client.post(f"/exchanges/{rows['late'].pk}/withdraw/", {"reason": "Sudah dibahas di rapat"})
    assert withdrawn.status_code == 302
    assert InformationExchange.objects.get(pk=rows["late"].pk).status == "withdrawn"
    assert client.post(f"/exchanges/{rows['late'].pk}/withdraw/", {"reason": "lagi"}).status_code == 409
