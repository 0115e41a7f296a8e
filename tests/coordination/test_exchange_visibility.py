"""Who sees which register entries, through every door (list, page, API, admin, file
download), and the log of looks at restricted ones: a confidential entry is invisible to
a third agency and every attempt on it is written down; the parties' and secretariat's
looks are written down too and shown to the sending agency only."""

import pytest

from coordination.choices import Role
from coordination.models import ExchangeAccess
from coordination.selectors import exchange as selectors
from coordination.services import exchange as services
from tests.coordination.exchange_factories import entry, pdf
from tests.factories import UserFactory

THIRD = ["balikpapan_operator", "observer"]  # KPU Balikpapan's operator, Bawaslu's observer


@pytest.fixture
def confidential(agencies, personas):
    """Polresta Samarinda asks KPU Samarinda for the KPPS members' personal data, with the
    letter attached."""
    row = entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential",
                subject="Data pribadi anggota KPPS", purpose="Pemetaan petugas per TPS")
    attachment = services.exchange_attach(actor=personas["samarinda_police"], exchange=row, file=pdf())
    return row, attachment


@pytest.fixture
def balikpapan_clerk(agencies):
    """A secretariat account of KPU Balikpapan, with the admin: outside Samarinda's scope."""
    return UserFactory(username="sekretariat.balikpapan", role=Role.SECRETARIAT, agency=agencies["kpu_balikpapan"],
                       is_staff=True)


def accesses(row, **filters):
    return list(ExchangeAccess.objects.filter(exchange=row, **filters).order_by("id")
                .values_list("viewer__username", "channel", "outcome"))


def test_a_confidential_entry_is_invisible_to_a_third_agency_and_every_attempt_is_logged(
        confidential, personas, client, api_for, balikpapan_clerk, caplog):
    row, attachment = confidential
    for name in THIRD:
        user = personas[name]
        assert row not in selectors.exchanges_for(user)
        client.force_login(user)
        listing = client.get("/exchanges/")
        assert listing.status_code == 200 and "Data pribadi anggota KPPS" not in listing.content.decode()
        assert client.get(f"/exchanges/{row.pk}/").status_code == 404
        assert client.get(f"/exchange-attachments/{attachment.pk}/").status_code == 404
        api = api_for(user)
        assert row.pk not in [item["id"] for item in api.get("/api/v1/exchanges/").json()["results"]]
        refused, missing = api.get(f"/api/v1/exchanges/{row.pk}/"), api.get("/api/v1/exchanges/999999/")
        assert refused.status_code == missing.status_code == 404
        assert refused.json() == missing.json()  # nothing tells a refused id from a missing one
    client.force_login(balikpapan_clerk)
    assert client.get(f"/admin/coordination/informationexchange/{row.pk}/change/").status_code == 302
    assert "Data pribadi" not in client.get("/admin/coordination/informationexchange/").content.decode()

    expected = [(name, channel, "refused") for name in THIRD for channel in ("page", "file", "api")]
    assert accesses(row) == [*expected, ("sekretariat.balikpapan", "admin", "refused")]
    assert ExchangeAccess.objects.filter(exchange=row).exclude(agency=None).count() == 7  # the viewer's agency
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "Refused" in r.getMessage()]
    assert len(warnings) == 7 and all(f"information exchange {row.pk}" in text for text in warnings)
    assert "balikpapan_operator" in warnings[0]


def test_the_parties_and_the_secretariat_see_it_and_each_look_is_logged(confidential, personas, client, api_for):
    row, attachment = confidential
    for name in ("samarinda_police", "samarinda_operator", "secretariat"):
        client.force_login(personas[name])
        page = client.get(f"/exchanges/{row.pk}/")
        assert page.status_code == 200 and "Pemetaan petugas per TPS" in page.content.decode()
        assert api_for(personas[name]).get(f"/api/v1/exchanges/{row.pk}/").json()["purpose"] == \
            "Pemetaan petugas per TPS"
    client.force_login(personas["samarinda_operator"])
    download = client.get(f"/exchange-attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert accesses(row) == [(name, channel, "shown") for name in ("samarinda_police", "samarinda_operator",
                                                                    "secretariat") for channel in ("page", "api")] \
        + [("samarinda_operator", "file", "shown")]

    # The list shows the entry to the parties without recording a look.
    before = ExchangeAccess.objects.count()
    assert "Data pribadi anggota KPPS" in client.get("/exchanges/").content.decode()
    api_for(personas["samarinda_police"]).get("/api/v1/exchanges/")
    assert ExchangeAccess.objects.count() == before


def test_the_sending_agency_sees_the_log_and_the_receiving_agency_does_not(confidential, personas, client,
                                                                           api_for):
    row, _attachment = confidential
    client.force_login(personas["balikpapan_operator"])
    client.get(f"/exchanges/{row.pk}/")  # refused, and logged
    client.force_login(personas["samarinda_operator"])
    receiver_page = client.get(f"/exchanges/{row.pk}/")
    assert receiver_page.context["sees_log"] is False and 'data-testid="access-log"' not in \
        receiver_page.content.decode()
    client.force_login(personas["samarinda_police"])
    sender_page = client.get(f"/exchanges/{row.pk}/")
    shown = [(a.viewer.username, a.outcome) for a in sender_page.context["accesses"]]
    assert shown == [("samarinda_police", "shown"), ("samarinda_operator", "shown"),
                     ("balikpapan_operator", "refused")]  # newest first
    assert 'data-testid="access-log"' in sender_page.content.decode()

    url = f"/api/v1/exchanges/{row.pk}/accesses/"
    log = api_for(personas["samarinda_police"]).get(url)
    assert log.status_code == 200 and log.json()["count"] == 3
    assert log.json()["results"][-1] == {**log.json()["results"][-1], "viewer": "balikpapan_operator",
                                         "agency": "kpu-balikpapan", "channel": "page", "outcome": "refused"}
    assert api_for(personas["secretariat"]).get(url).status_code == 200
    assert api_for(personas["samarinda_operator"]).get(url).status_code == 403  # sees the entry, not its log
    assert api_for(personas["observer"]).get(url).status_code == 404


def test_a_limited_entry_is_for_the_parties_and_their_looks_are_not_logged(agencies, personas, client, api_for):
    row = entry(agencies, personas, classification="limited", subject="Rencana pengamanan rekapitulasi")
    for name in ("province_staff", "province_police", "observer", "balikpapan_operator"):
        assert row not in selectors.exchanges_for(personas[name])
        client.force_login(personas[name])
        assert client.get(f"/exchanges/{row.pk}/").status_code == 404
    assert accesses(row, outcome="refused") == [(name, "page", "refused") for name in
                                                 ("province_staff", "province_police", "observer",
                                                  "balikpapan_operator")]
    for name in ("samarinda_operator", "samarinda_police", "secretariat"):
        client.force_login(personas[name])
        assert client.get(f"/exchanges/{row.pk}/").status_code == 200
        assert api_for(personas[name]).get(f"/api/v1/exchanges/{row.pk}/").status_code == 200
    assert accesses(row, outcome="shown") == []


def test_public_entries_are_seen_by_everyone_in_or_below_either_partys_region(agencies, personas, client):
    province = entry(agencies, personas, source="polda", target="kpu", subject="Jadwal distribusi logistik")
    samarinda = entry(agencies, personas, kind="sharing", subject="Daftar TPS rawan Samarinda")
    seen = {name: set(selectors.exchanges_for(user).values_list("pk", flat=True)) for name, user in personas.items()}
    assert seen["samarinda_operator"] == seen["samarinda_police"] == {province.pk, samarinda.pk}
    assert seen["province_staff"] == seen["observer"] == seen["secretariat"] == {province.pk, samarinda.pk}
    assert seen["balikpapan_operator"] == {province.pk}  # the province's binds Balikpapan; Samarinda's does not
    client.force_login(personas["balikpapan_operator"])
    assert client.get(f"/exchanges/{samarinda.pk}/").status_code == 404
    assert client.get(f"/exchanges/{province.pk}/").status_code == 200
    assert ExchangeAccess.objects.count() == 0  # public entries: neither looks nor refusals are restricted


def test_the_secretariat_sees_restricted_entries_of_its_own_region_only(agencies, personas, balikpapan_clerk):
    samarinda_clerk = UserFactory(username="sekretariat.samarinda", role=Role.SECRETARIAT,
                                  agency=agencies["kpu_samarinda"], is_staff=True)
    local = entry(agencies, personas, source="polresta", target="kpu_samarinda", classification="confidential")
    provincial = entry(agencies, personas, source="polda", target="kpu", classification="limited")
    assert set(selectors.exchanges_for(samarinda_clerk)) == {local}
    assert set(selectors.exchanges_for(balikpapan_clerk)) == set()
    assert set(selectors.exchanges_for(personas["secretariat"])) == {local, provincial}
    superuser = UserFactory(username="root", is_superuser=True)
    assert set(selectors.exchanges_for(superuser)) == {local, provincial}
    assert set(selectors.exchanges_for(UserFactory(username="tanpa-instansi", role=Role.KPU_STAFF))) == set()
