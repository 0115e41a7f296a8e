"""Read replicas, against a real streaming standby (scripts/standby; REPLICA_TEST_URL names it).

The standby is a physical copy of the whole primary, so it holds this run's test database
too; the rows a test reads there must be committed (transaction=True) and replayed. To
tell which server a page read, a test pauses the standby's replay and changes a row on the
primary: the standby keeps the old value, so what the page shows names its server. The
standby's own answers (its port, pg_is_in_recovery()) and the statements sent on the
replica's connection confirm it.
"""

from __future__ import annotations

import importlib.util
import os
import runpy
import socket
import time
import uuid
from contextlib import contextmanager

import dj_database_url
import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, router, transaction
from django.db.utils import load_backend
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from coordination.models import RiskAssessment
from kpu_polda.base.replicas import ReplicaReadsMiddleware
from tests.conftest import need_service
from tests.factories import risk

URL = os.environ.get("REPLICA_TEST_URL", "")
ROUTERS = ["kpu_polda.base.replicas.ReplicaRouter"]
BASE_SETTINGS = importlib.util.find_spec("kpu_polda.settings.base").origin  # run afresh with a test's environment
on_the_standby = [pytest.mark.replica, pytest.mark.postgres, pytest.mark.django_db(transaction=True),
                  pytest.mark.xdist_group("replicas")]  # one worker: a paused replay pauses every database


def _reachable(url: str) -> bool:
    try:
        psycopg2.connect(**_control_params(url), connect_timeout=3).close()
    except psycopg2.Error:
        return False
    return True


def _control_params(url: str) -> dict:
    parsed = dj_database_url.parse(url)
    return {"host": parsed["HOST"], "port": parsed["PORT"] or 5432, "user": parsed["USER"],
            "password": parsed["PASSWORD"], "dbname": "postgres"}


@contextmanager
def replica_alias(url: str, database: str):
    """A database alias for ``url`` (its database name replaced by ``database``), configured
    as settings would declare it, for this thread and the length of the block. Not in
    settings.DATABASES: Django's test case refuses connections to the aliases declared
    there that the test does not name, but not to one made at run time."""
    alias = f"replica_{uuid.uuid4().hex[:8]}"
    config = {**dj_database_url.parse(url, conn_health_checks=True), "NAME": database}
    config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 3}
    config = connections.configure_settings({DEFAULT_DB_ALIAS: {**connection.settings_dict}, alias: config})[alias]
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


class Standby:
    """The standby as a test drives it: its alias, its replay, the statements it was sent."""

    def __init__(self, alias: str):
        self.alias = alias
        self.control = psycopg2.connect(**_control_params(URL))
        self.control.autocommit = True

    def ask(self, sql: str, params=()):
        with self.control.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def catch_up(self, timeout: float = 10.0) -> float:
        """Wait until the standby has replayed everything the primary has written; the seconds it took."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            written = cursor.fetchone()[0]
        while not self.ask("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]):
            if time.monotonic() - started > timeout:
                pytest.fail(f"the standby did not replay up to {written} in {timeout} s")
            time.sleep(0.01)
        return time.monotonic() - started

    @contextmanager
    def paused(self):
        """The standby frozen at the primary's present: later writes on the primary miss it."""
        self.catch_up()
        self.ask("SELECT pg_wal_replay_pause()::text")
        try:
            while self.ask("SELECT pg_get_wal_replay_pause_state()") != "paused":
                time.sleep(0.01)
            yield
        finally:
            self.ask("SELECT pg_wal_replay_resume()::text")

    @contextmanager
    def statements(self):
        """The SQL this block sent to the standby, on the replica alias's connection."""
        with CaptureQueriesContext(connections[self.alias]) as captured:
            yield captured


@pytest.fixture
def standby(settings):
    need_service("Replica (REPLICA_TEST_URL, scripts/standby)",
                 bool(URL) and connection.vendor == "postgresql" and _reachable(URL))
    cache.clear()  # no pin left by an earlier test
    with replica_alias(URL, connection.settings_dict["NAME"]) as alias:
        settings.DATABASE_REPLICAS = [alias]
        settings.DATABASE_ROUTERS = ROUTERS
        node = Standby(alias)
        node.catch_up()  # the test database and its first rows exist on the standby
        try:
            yield node
        finally:
            node.control.close()


@pytest.fixture
def session_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


def needs_the_standby(test):
    for mark in on_the_standby:
        test = mark(test)
    return test


@needs_the_standby
def test_pages_and_api_lists_read_the_standby(standby, personas, stages, tree, session_for, api_for):
    recorded = risk(stages["campaign"], tree["samarinda"], title="Politik uang")
    reader = personas["province_staff"]
    with standby.paused():
        RiskAssessment.objects.filter(pk=recorded.pk).update(title="Diubah di primer")  # the primary only
        with standby.statements() as sent:
            page = session_for(reader).get("/risks/")
            api = api_for(reader).get("/api/v1/risks/")
    assert page.status_code == 200 and api.status_code == 200
    assert "Politik uang" in page.text and "Diubah di primer" not in page.text
    assert titles(api) == ["Politik uang"]
    assert sum(RiskAssessment._meta.db_table in query["sql"] for query in sent) >= 2
    with connections[standby.alias].cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery()")
        assert cursor.fetchone() == (dj_database_url.parse(URL)["PORT"], True)


@needs_the_standby
def test_a_writer_reads_their_write_at_once_from_the_primary_and_others_read_the_standby(
        standby, personas, stages, tree, session_for, api_for):
    writer, other = personas["samarinda_operator"], personas["province_staff"]
    new = {"stage": stages["campaign"].pk, "region": tree["samarinda"].code, "category": "money_politics",
           "title": "Serangan fajar", "likelihood": 4, "impact": 4}
    with standby.paused():
        with standby.statements() as sent_by_post:
            created = api_for(writer).post("/api/v1/risks/", new, format="json")
        assert created.status_code == 201, created.content
        assert RiskAssessment.objects.using(DEFAULT_DB_ALIAS).filter(title="Serangan fajar").exists()
        with standby.statements() as sent_for_writer:
            own_page = session_for(writer).get("/risks/")
            own_api = api_for(writer).get("/api/v1/risks/")
        with standby.statements() as sent_for_other:
            other_page = session_for(other).get("/risks/")
    # The POST sent the standby nothing (no read, no write attempted); the writer's reads
    # right after it went to the primary, which has the new risk while the standby does not.
    assert sent_by_post.captured_queries == []
    assert sent_for_writer.captured_queries == []
    assert "Serangan fajar" in own_page.text and titles(own_api) == ["Serangan fajar"]
    assert sent_for_other.captured_queries and "Serangan fajar" not in other_page.text
    standby.catch_up()
    assert "Serangan fajar" in session_for(other).get("/risks/").text  # replayed: now on the standby too


@needs_the_standby
def test_reads_go_to_the_primary_in_transactions_after_writes_and_outside_requests(standby, stages, tree):
    recorded = risk(stages["campaign"], tree["samarinda"])
    seen = {}

    def view(request):
        seen["first"] = router.db_for_read(RiskAssessment)
        with transaction.atomic():
            seen["in_atomic"] = router.db_for_read(RiskAssessment)
        seen["user_model"] = router.db_for_read(get_user_model())  # who is asking: never a lagging copy
        RiskAssessment.objects.filter(pk=recorded.pk).update(title="Ditulis dalam GET")
        seen["after_write"] = router.db_for_read(RiskAssessment)
        return None

    middleware = ReplicaReadsMiddleware(view)
    middleware(RequestFactory().get("/risks/"))
    assert seen == {"first": standby.alias, "in_atomic": DEFAULT_DB_ALIAS, "user_model": DEFAULT_DB_ALIAS,
                    "after_write": DEFAULT_DB_ALIAS}
    middleware(RequestFactory().post("/risks/new/"))
    assert seen["first"] == DEFAULT_DB_ALIAS  # an unsafe request reads the primary throughout
    assert router.db_for_read(RiskAssessment) == DEFAULT_DB_ALIAS  # no request: a task, a command
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "coordination") and not router.allow_migrate(
        standby.alias, "coordination")


@needs_the_standby
def test_a_replica_that_is_down_falls_back_to_the_primary(standby, settings, personas, stages, tree, session_for,
                                                          api_for):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    risk(stages["campaign"], tree["samarinda"], title="Politik uang")
    reader = personas["province_staff"]
    with replica_alias(f"postgres://postgres@127.0.0.1:{closed_port}/none", "none") as gone:
        settings.DATABASE_REPLICAS = [gone]
        with standby.paused():
            RiskAssessment.objects.update(title="Hanya di primer")
            page = session_for(reader).get("/risks/")
            api = api_for(reader).get("/api/v1/risks/")
    assert page.status_code == 200 and "Hanya di primer" in page.text
    assert api.status_code == 200 and titles(api) == ["Hanya di primer"]


def test_replica_urls_become_aliases_and_switch_the_router_on(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_REPLICA_URLS", raising=False)
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)
    alone = runpy.run_path(BASE_SETTINGS)
    assert list(alone["DATABASES"]) == ["default"] and alone["DATABASE_ROUTERS"] == []
    assert alone["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"

    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary:5432/kpu_polda")
    monkeypatch.setenv("DATABASE_REPLICA_URLS", "postgres://app@replica-a:5432/kpu_polda, "
                                                "postgres://app@replica-b:6432/kpu_polda?connect_timeout=2")
    monkeypatch.setenv("DB_DISABLE_SERVER_SIDE_CURSORS", "true")
    scaled = runpy.run_path(BASE_SETTINGS)
    assert scaled["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    assert scaled["DATABASE_ROUTERS"] == ROUTERS
    second = scaled["DATABASES"]["replica_2"]
    assert (second["HOST"], second["PORT"], second["OPTIONS"]) == ("replica-b", 6432, {"connect_timeout": 2})
    assert second["DISABLE_SERVER_SIDE_CURSORS"] and second["CONN_MAX_AGE"] == 60
