"""Personas, a small region tree, API clients and the service guards.

The tree: Kaltim (64) with Kota Samarinda (64.72: two kecamatan, three kelurahan) and
Kota Balikpapan (64.71: one kecamatan, one kelurahan). Tests that need the real 1,154
regions load them with the region service.
"""

import os

import pytest
from rest_framework.test import APIClient

from coordination.choices import AgencyKind, Role
from tests.factories import AgencyFactory, ElectionFactory, PollingStationFactory, UserFactory, region

PASSWORD = "kata-sandi-uji-123"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need_service(name: str, available: bool) -> None:
    """Skip when a real service is missing, or fail when CI said every service is there."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{name} not configured")


def pytest_sessionfinish(session, exitstatus):
    # CI runs every test: any skip there means a service or the browser was missing.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_SERVICES and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = 1


def square(lon: float, lat: float) -> dict:
    """A small outline for a test kab/kota (the map draws what the region loader stored)."""
    ring = [[lon, lat], [lon + 0.2, lat], [lon + 0.2, lat + 0.2], [lon, lat + 0.2], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def tree(db):
    regions = {
        "kaltim": region("64", "Kalimantan Timur"),
        "samarinda": region("64.72", "Kota Samarinda", boundary=square(117.1, -0.5)),
        "sam_kec": region("64.72.01", "Samarinda Ulu"),
        "sam_kec2": region("64.72.02", "Samarinda Ilir"),
        "sam_kel": region("64.72.01.1001", "Karang Mumus"),
        "sam_kel2": region("64.72.01.1002", "Air Putih"),
        "sam_kel3": region("64.72.02.1001", "Sungai Dama"),
        "balikpapan": region("64.71", "Kota Balikpapan", boundary=square(116.8, -1.3)),
        "bpn_kec": region("64.71.01", "Balikpapan Selatan"),
        "bpn_kel": region("64.71.01.1001", "Damai"),
    }
    return regions


@pytest.fixture
def election(db):
    return ElectionFactory()


@pytest.fixture
def agencies(tree):
    polda = AgencyFactory(code="polda-kaltim", kind=AgencyKind.POLRI, jurisdiction=tree["kaltim"],
                          short_name="Polda Kaltim")
    kpu = AgencyFactory(code="kpu-kaltim", kind=AgencyKind.KPU, jurisdiction=tree["kaltim"], counterpart=polda,
                        short_name="KPU Kaltim")
    polresta = AgencyFactory(code="polres-samarinda", kind=AgencyKind.POLRI, jurisdiction=tree["samarinda"],
                             parent=polda, short_name="Polresta Samarinda")
    return {
        "polda": polda,
        "kpu": kpu,
        "polresta": polresta,
        "kpu_samarinda": AgencyFactory(code="kpu-samarinda", jurisdiction=tree["samarinda"], parent=kpu,
                                       counterpart=polresta, short_name="KPU Samarinda"),
        "kpu_balikpapan": AgencyFactory(code="kpu-balikpapan", jurisdiction=tree["balikpapan"], parent=kpu,
                                        short_name="KPU Balikpapan"),
        "polres_balikpapan": AgencyFactory(code="polres-balikpapan", kind=AgencyKind.POLRI,
                                           jurisdiction=tree["balikpapan"], parent=polda),
        "bawaslu": AgencyFactory(code="bawaslu-kaltim", kind=AgencyKind.BAWASLU, jurisdiction=tree["kaltim"]),
    }


PERSONAS = {
    # name: (role, agency key, staff)
    "samarinda_operator": (Role.REGIONAL_OFFICE, "kpu_samarinda", False),
    "balikpapan_operator": (Role.REGIONAL_OFFICE, "kpu_balikpapan", False),
    "samarinda_police": (Role.POLICE_OFFICER, "polresta", False),
    "province_staff": (Role.KPU_STAFF, "kpu", False),
    "province_police": (Role.POLICE_OFFICER, "polda", False),
    "secretariat": (Role.SECRETARIAT, "kpu", True),
    "observer": (Role.OBSERVER, "bawaslu", False),
}


@pytest.fixture
def personas(agencies):
    return {
        name: UserFactory(username=name, role=role, agency=agencies[agency], is_staff=staff)
        for name, (role, agency, staff) in PERSONAS.items()
    }


@pytest.fixture
def stations(tree, election):
    """Two TPS in Samarinda (one in each kecamatan) and one in Balikpapan."""
    return {
        "samarinda": PollingStationFactory(election=election, village=tree["sam_kel"], number=1),
        "samarinda2": PollingStationFactory(election=election, village=tree["sam_kel3"], number=1),
        "balikpapan": PollingStationFactory(election=election, village=tree["bpn_kel"], number=1),
    }


@pytest.fixture
def api_for():
    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def stages(election):
    """Pemilu 2024 in miniature: campaign, quiet period, voting with a sub-stage, results."""
    from datetime import date

    from tests.factories import stage

    voting = stage(election, "9", date(2024, 2, 14), date(2024, 3, 20), name="Pemungutan dan rekapitulasi")
    return {
        "campaign": stage(election, "7", date(2023, 11, 28), date(2024, 2, 10), name="Masa kampanye"),
        "quiet": stage(election, "8", date(2024, 2, 11), date(2024, 2, 13), name="Masa tenang"),
        "voting": voting,
        "count": stage(election, "9c", date(2024, 2, 15), date(2024, 3, 20), parent=voting, name="Rekapitulasi"),
        "results": stage(election, "10", date(2024, 3, 20), None, name="Penetapan hasil"),
    }


@pytest.fixture
def risks(stages, tree):
    from tests.factories import risk

    return {
        "samarinda": risk(stages["campaign"], tree["samarinda"], title="Politik uang", likelihood=4, impact=4),
        "samarinda_kec": risk(stages["count"], tree["sam_kec"], title="Massa di PPK", likelihood=2, impact=3),
        "balikpapan": risk(stages["voting"], tree["balikpapan"], title="Banjir", category="weather", likelihood=5,
                           impact=5),
    }


@pytest.fixture
def english():
    """Messages in English, for tests that compare them word for word (the app's default
    language is Indonesian)."""
    from django.utils import translation

    with translation.override("en"):
        yield
