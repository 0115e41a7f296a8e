"""Every page and API route, for every persona: anonymous, own region, other region,
read-only roles, and object URLs that carry another region's ids.

Each app keeps its own route table, ``tests/contract/routes_<app>.py`` (see harness.py);
this module collects them all. A route named in no table fails
test_every_route_is_covered. A table's world is built once (per test process) and every
row of the table is a test of its own inside it, walking the personas; each test runs in a
savepoint and each persona's request in another, both rolled back, so no write by one
persona or row changes what the next one sees. A write that succeeds must leave a history
row naming the persona who made it.

Each persona logs in once per world (its session is a row of the world); every request
uses a fresh client carrying only that session's cookie, so nothing a response sets (a
language, a message, a logout) reaches the next request, and what a request does to the
session is rolled back with the rest.
"""

import importlib
import traceback
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import make_base, shared_rows

from .harness import ALL, ANON, WRITES, history_marks, history_models, history_since, succeeded

TABLES = {path.stem: importlib.import_module(f"{__package__}.{path.stem}")
          for path in sorted(Path(__file__).parent.glob("routes_*.py"))}

# Routes that are not ours to police: Django's admin (covered by tests/platform/test_admin.py
# and the admin lists' query bounds).
EXEMPT_NAMESPACES = {"admin"}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                raise AssertionError(f"unnamed route {pattern.pattern}")
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_covered():
    tabled = [name for table in TABLES.values() for name in table.ROUTES]
    twice = {name for name in tabled if tabled.count(name) > 1}
    assert not twice, f"routes in more than one table: {sorted(twice)}"
    routes = _names(get_resolver())
    assert routes - set(tabled) == set(), "routes in no table (add rows to tests/contract/routes_<app>.py)"
    assert set(tabled) - routes == set(), "rows for routes that no longer exist"
    for table in TABLES.values():
        exempt = set(getattr(table, "HISTORY_EXEMPT", {}))
        assert exempt <= set(table.ROUTES), f"{table.__name__}: history exemptions for unknown routes"


@pytest.fixture(scope="module")
def table_world(request, django_db_setup, django_db_blocker):
    """(table, personas, sessions, world) of the table named by the test's parameter, built
    once for all its rows (pytest runs the rows of one table together)."""
    table = TABLES[request.param]
    with shared_rows(django_db_blocker):
        base = make_base()
        personas = base["personas"]
        world = table.world(base["stations"], personas)
        yield table, personas, {persona: _session(user) for persona, user in personas.items()}, world


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


ROWS = [
    pytest.param(table_name, name, index, id=f"{name}[{index}]")
    for table_name, table in TABLES.items()
    for name, rows in table.ROUTES.items()
    for index in range(len(rows))
]


def _client(persona, sessions):
    """A fresh client with the persona's session and nothing else."""
    client = Client()
    if persona != ANON:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
    return client


def _call(client, method, path, data):
    call = getattr(client, method)
    if data and method in {"patch", "put"}:
        return call(path, data=data, content_type="application/json")
    return call(path, data=data) if data else call(path)


# scope="module": the parameters are grouped by table, and table_world stays module-wide
# (a parametrize that is not wholly indirect would narrow it to one test).
@pytest.mark.parametrize(("table_world", "name", "index"), ROWS, indirect=["table_world"], scope="module")
def test_route_access(table_world, name, index, db):
    table, personas, sessions, context = table_world
    method, path_for, data_for, expected = table.ROUTES[name][index]
    watch_history = method in WRITES and name not in getattr(table, "HISTORY_EXEMPT", {})
    models = history_models() if watch_history else []
    failures = []
    for persona in ALL:
        with transaction.atomic():
            try:
                client = _client(persona, sessions)
                marks = history_marks(models)
                response = _call(client, method, path_for(context), data_for(context) if data_for else None)
            except Exception:  # noqa: BLE001 - reported with the other personas' failures
                failures.append(f"{persona}: raised\n{traceback.format_exc(limit=-3)}")
                transaction.set_rollback(True)
                continue
            if response.status_code != expected[persona]:
                failures.append(f"{persona}: {response.status_code}, expected {expected[persona]}: "
                                f"{response.content[:200]!r}")
            elif watch_history and succeeded(response, persona):
                written = history_since(marks)
                if persona == ANON:
                    failures.append(f"{persona}: {response.status_code}, a write by nobody: refuse it, or exempt "
                                    f"the route with the reason (rows written: {written or 'none'})")
                elif not any(user_id == personas[persona].pk for _, user_id in written):
                    failures.append(f"{persona}: {response.status_code} but no history row names them "
                                    f"(rows written: {written or 'none'})")
            transaction.set_rollback(True)
    assert not failures, f"{method.upper()} {name}[{index}]:\n" + "\n".join(failures)
