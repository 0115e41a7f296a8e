"""Personas, a small region tree, API clients and the service guards.

The tree: Kaltim (64) with Kota Samarinda (64.72: two kecamatan, three kelurahan) and
Kota Balikpapan (64.71: one kecamatan, one kelurahan). Tests that need the real 1,154
regions load them with the region service.
"""

import os
import time
import uuid
from contextlib import contextmanager

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


def pytest_configure(config):
    # pyproject.toml declares postgres, redis and browser; need_service("Replica", ...)
    # makes a missing standby a failure under REQUIRE_SERVICES=1, like those.
    config.addinivalue_line("markers", "replica: needs a streaming standby (REPLICA_TEST_URL, scripts/standby)")


def pytest_sessionfinish(session, exitstatus):
    # CI runs every test: any skip there means a service or the browser was missing.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_SERVICES and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = 1


def square(lon: float, lat: float) -> dict:
    """A small outline for a test kab/kota (the map draws what the region loader stored)."""
    ring = [[lon, lat], [lon + 0.2, lat], [lon + 0.2, lat + 0.2], [lon, lat + 0.2], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def make_tree() -> dict:
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
def tree(db):
    return make_tree()


@pytest.fixture
def election(db):
    return ElectionFactory()


def make_agencies(tree) -> dict:
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


@pytest.fixture
def agencies(tree):
    return make_agencies(tree)


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


def make_personas(agencies) -> dict:
    return {
        name: UserFactory(username=name, role=role, agency=agencies[agency], is_staff=staff)
        for name, (role, agency, staff) in PERSONAS.items()
    }


@pytest.fixture
def personas(agencies):
    return make_personas(agencies)


def make_stations(tree, election) -> dict:
    """Two TPS in Samarinda (one in each kecamatan) and one in Balikpapan."""
    return {
        "samarinda": PollingStationFactory(election=election, village=tree["sam_kel"], number=1),
        "samarinda2": PollingStationFactory(election=election, village=tree["sam_kel3"], number=1),
        "balikpapan": PollingStationFactory(election=election, village=tree["bpn_kel"], number=1),
    }


@pytest.fixture
def stations(tree, election):
    return make_stations(tree, election)


@contextmanager
def shared_rows(django_db_blocker):
    """For a fixture wider than one test (a module's): the rows built inside live in a
    transaction that is rolled back when the fixture ends. Each test still runs in its own
    savepoint (the ``db`` fixture), so what one test writes the next never sees."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def make_base() -> dict:
    """The ground most tests stand on: ``tree``, ``election``, ``agencies``, ``personas``
    and ``stations``, as the fixtures of those names build them."""
    tree = make_tree()
    election = ElectionFactory()
    agencies = make_agencies(tree)
    return {"tree": tree, "election": election, "agencies": agencies, "personas": make_personas(agencies),
            "stations": make_stations(tree, election)}


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


class CeleryQueue:
    """A Celery queue of one test alone (see the celery_worker_queue fixture)."""

    def __init__(self, app, name: str):
        self.app = app
        self.name = name

    @contextmanager
    def worker(self, **options):
        """An embedded worker (a thread of this process) consuming this queue and no other."""
        from celery.contrib.testing.worker import start_worker

        options = {"pool": "solo", "perform_ping_check": False, "shutdown_timeout": 10, **options}
        with start_worker(self.app, queues=[self.name], **options) as worker:
            yield worker

    def pending(self) -> int:
        """Messages waiting in this queue on the broker."""
        with self.app.connection_for_write() as connection:
            return connection.default_channel.queue_declare(self.name).message_count

    @staticmethod
    def wait(predicate, timeout: float = 20.0):
        """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not (result := predicate()):
            if time.monotonic() > deadline:
                pytest.fail(f"nothing after {timeout} s")
            time.sleep(0.05)
        return result


def _forget_queues(app) -> None:
    # app.amqp caches the queue declarations (and a worker's selection of them) and a router
    # holding them: drop all three, so they are built again from the configuration now in force.
    for cached in ("queues", "default_queue", "router"):
        app.amqp.__dict__.pop(cached, None)
    app.amqp.flush_routes()


@pytest.fixture
def celery_worker_queue():
    """Real Celery on the real broker, on a queue whose name is unique to this test
    (``test-<uuid>``): while the fixture is active every task is published there (tasks do
    not run eagerly), and ``queue.worker()`` starts a worker that consumes only it. So a
    worker of another run sharing the Redis never takes these tasks, nor this worker
    theirs. The queue is deleted from the broker afterwards, and Celery's configuration
    is as it was."""
    need_service("Redis", bool(os.environ.get("REDIS_URL")))
    with celery_queue_of_its_own() as queue:
        yield queue


@contextmanager
def celery_queue_of_its_own():
    """The celery_worker_queue fixture, for code that is not a test's setup."""
    from kombu import Exchange, Queue

    from kpu_polda.celery import app

    name = f"test-{uuid.uuid4().hex}"
    keys = ["task_always_eager", "task_default_queue", "task_queues", "task_routes", "task_create_missing_queues"]
    saved = {key: app.conf[key] for key in keys}
    queue = Queue(name, Exchange(name), routing_key=name)
    app.conf.update(task_always_eager=False, task_default_queue=name, task_queues=[queue],
                    task_routes={"*": {"queue": name}}, task_create_missing_queues=False)
    _forget_queues(app)
    try:
        yield CeleryQueue(app, name)
    finally:
        app.conf.update(saved)
        _forget_queues(app)
        with app.connection_for_write() as connection:
            # A new channel knows no bindings: declared again, the delete drops them too.
            bound = queue(connection.default_channel)
            bound.declare()
            bound.delete()
