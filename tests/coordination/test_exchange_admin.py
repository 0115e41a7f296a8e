"""The secretariat's admin of the register: lists through the policy, entries recorded
through the service and never edited, the acknowledge action, looks at confidential
entries recorded, and the access log read-only."""

from datetime import timedelta

import pytest

from coordination.choices import Role
from coordination.models import ExchangeAccess, InformationExchange, Notification
from kpu_polda.base import clock
from tests.coordination.exchange_factories import entry
from tests.factories import UserFactory


@pytest.fixture
def clerk(agencies):
    """The secretariat of KPU Samarinda: the admin of Samarinda's entries only."""
    return UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT, agency=agencies["kpu_samarinda"],
                       is_staff=True)


@pytest.fixture
def rows(agencies, personas):
    return {"secret": entry(agencies, personas, source="polresta", target="kpu_samarinda",
                            classification="confidential", subject="Data pribadi anggota KPPS"),
            "province": entry(agencies, personas, source="polda", target="kpu", classification="limited",
                              subject="Jadwal distribusi logistik")}


def test_the_list_follows_the_policy(rows, clerk, client):
    client.force_login(clerk)
    listing = client.get("/admin/coordination/informationexchange/")
    assert listing.status_code == 200
    assert [row.subject for row in listing.context["cl"].result_list] == ["Data pribadi anggota KPPS"]
    assert client.get("/admin/coordination/informationexchange/?q=jadwal").context["cl"].result_count == 0


def test_a_confidential_entry_opened_in_the_admin_is_recorded_and_not_editable(rows, clerk, client):
    client.force_login(clerk)
    url = f"/admin/coordination/informationexchange/{rows['secret'].pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="subject"' not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"subject": "Diubah"}).status_code == 403
    assert client.get(f"/admin/coordination/informationexchange/{rows['secret'].pk}/history/").status_code == 200
    assert InformationExchange.objects.get(pk=rows["secret"].pk).subject == "Data pribadi anggota KPPS"
    assert set(ExchangeAccess.objects.values_list("viewer__username", "channel", "outcome")) == {
        ("sekretariat.samarinda", "admin", "shown")}
    # The province's limited entry lies outside this clerk's region: refused, and recorded.
    assert client.get(f"/admin/coordination/informationexchange/{rows['province'].pk}/change/").status_code == 302
    assert client.get(f"/admin/coordination/informationexchange/{rows['province'].pk}/history/").status_code == 404
    assert ExchangeAccess.objects.filter(exchange=rows["province"], outcome="refused").count() == 2


def test_an_entry_is_recorded_through_the_service(agencies, personas, client):
    client.force_login(personas["secretariat"])
    values = {"kind": "request", "from_agency": agencies["kpu_samarinda"].pk, "to_agency": agencies["polresta"].pk,
              "subject": "Rencana pengamanan rekapitulasi", "purpose": "Penyesuaian jadwal", "legal_basis": "",
              "classification": "public", "content": "",
              "response_due_on": (clock.today() + timedelta(days=3)).isoformat()}
    refused = client.post("/admin/coordination/informationexchange/add/", {**values, "response_due_on": ""})
    assert refused.status_code == 200 and not InformationExchange.objects.exists()  # the form again, nothing saved
    assert "response_due_on" in refused.context["adminform"].form.errors
    assert 'value="Rencana pengamanan rekapitulasi"' in refused.content.decode()
    added = client.post("/admin/coordination/informationexchange/add/", values)
    assert added.status_code == 302
    row = InformationExchange.objects.get()
    assert (row.sent_by, row.status, row.area.code) == (personas["secretariat"], "sent", "64.72")
    assert row.history.first().history_user == personas["secretariat"]
    assert Notification.objects.get(kind="exchange_received").recipient == personas["samarinda_police"]


def test_the_acknowledge_action_goes_through_the_service(rows, clerk, client):
    client.force_login(clerk)
    response = client.post("/admin/coordination/informationexchange/",
                           {"action": "acknowledge", "_selected_action": [rows["secret"].pk]})
    assert response.status_code == 302
    row = InformationExchange.objects.get(pk=rows["secret"].pk)
    assert (row.status, row.acknowledged_by) == ("acknowledged", clerk)
    assert row.status_changes.get().changed_by == clerk
    client.post("/admin/coordination/informationexchange/",
                {"action": "acknowledge", "_selected_action": [rows["secret"].pk]})  # again: refused, told
    assert InformationExchange.objects.get(pk=rows["secret"].pk).status_changes.count() == 1


def test_the_access_log_is_read_only_and_scoped(rows, clerk, personas, client):
    client.force_login(personas["samarinda_operator"])
    client.get(f"/exchanges/{rows['secret'].pk}/")
    client.force_login(clerk)
    listing = client.get("/admin/coordination/exchangeaccess/")
    assert listing.status_code == 200 and listing.context["cl"].result_count == 1
    access = ExchangeAccess.objects.get()
    assert client.get("/admin/coordination/exchangeaccess/add/").status_code == 403
    assert client.post(f"/admin/coordination/exchangeaccess/{access.pk}/delete/").status_code == 403
    other = UserFactory(username="sekretariat.balikpapan", role=Role.SECRETARIAT,
                        agency=personas["balikpapan_operator"].agency, is_staff=True)
    client.force_login(other)
    assert client.get("/admin/coordination/exchangeaccess/").context["cl"].result_count == 0
