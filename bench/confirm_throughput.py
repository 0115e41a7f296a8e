"""Checkpoint confirmations side by side with a bare DRF insert, in one run.

    .venv/bin/python bench/confirm_throughput.py

Built like bench/write_read_path.py (and reusing its helpers): its own PostgreSQL database
(BENCH_DATABASE, default kpu_bench_confirm, dropped first and at the end), migrated and
loaded with the demo (`manage.py seed_demo`), plus BENCH_ESCORTS (40) escort requests to
Samarinda's TPS raised by ``kpu.samarinda`` and taken to "departed" by
``polresta.samarinda`` through the services, and ``bench.polresta``, an officer of
Polresta Samarinda with an API token (production settings refuse the demo accounts).
Then two gunicorn servers with the same worker count and CONN_MAX_AGE, on 127.0.0.1 only:

- the project under production settings (port BENCH_PORT, default 8112): ``POST
  /api/v1/escorts/<id>/checkpoint/`` as ``bench.polresta``, spread over the escorts,
  each with a fresh ``Idempotency-Key``: the whole confirmation (scope, row lock, chain
  tail, the hash, the insert);
- a bare DRF app on the same database (port BENCH_BARE_PORT, default 8113): a
  CreateAPIView inserting one row the size of a custody event (escort id, sequence, kind,
  counts JSON, note, key, two hashes, time), DRF's TokenAuthentication, no middleware. The
  app is written into the bench's temporary directory (bench/bare stays as it is).

Rounds alternate the two sides (ABBA); the figures are over all rounds. Prints both req/s,
the ratio (goal >= 0.8x) and the machine. Knobs as in write_read_path.py: BENCH_WORKERS,
BENCH_THREADS, BENCH_REQUESTS, BENCH_SECONDS, BENCH_ROUNDS.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import write_read_path as base  # noqa: E402

DATABASE = os.environ.get("BENCH_DATABASE", "kpu_bench_confirm")
PORT = int(os.environ.get("BENCH_PORT", "8112"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8113"))
ESCORTS = int(os.environ.get("BENCH_ESCORTS", "40"))
POLICE, KPU = "polresta.samarinda", "kpu.samarinda"
OFFICER = "bench.polresta"  # the officer the load confirms as (made by SETUP)
GOAL = 0.8

# The escorts the load confirms on: raised and moved through the real services.
SETUP = f"""
from datetime import timedelta
from coordination.models import PollingStation, User
from kpu_polda.base import clock
from logistics import services
kpu, police = User.objects.get(username="{KPU}"), User.objects.get(username="{POLICE}")
stations = list(PollingStation.objects.filter(village__code__startswith="64.72.").select_related("election",
                "village__parent__parent").order_by("id")[:{ESCORTS}])
ids = []
for station in stations:
    start = clock.now() + timedelta(days=1)
    escort = services.escort_request_create(
        actor=kpu, election=station.election, origin_kind="warehouse", origin_name="Gudang KPU Samarinda",
        origin_region=station.village.parent.parent, destination_kind="tps", destination_tps=station,
        planned_departure=start, planned_arrival=start + timedelta(hours=3),
        items=[{{"kind": "ballot_president", "quantity": 204}}, {{"kind": "ballot_box", "quantity": 5}}])
    escort = services.escort_decide(actor=police, escort=escort, action="accept")
    escort = services.escort_decide(actor=police, escort=escort, action="assign", commander_name="Iptu Bench",
                                    commander_nrp="85010123", personnel_count=4)
    escort = services.custody_confirm(actor=police, escort=escort, action="depart").escort
    ids.append(escort.pk)
# The load's officer: not a demo account (production settings refuse those, their password
# being published), with an API token of its own.
from coordination.choices import Role
from coordination import services as ground
officer = User.objects.create_user(username="{OFFICER}", role=Role.POLICE_OFFICER, agency=police.agency)
_token, key = ground.api_token_create(actor=officer, name="bench")
print(key)
print(",".join(map(str, ids)))
"""

BARE_MODELS = '''
from django.db import models


class BareEvent(models.Model):
    """About a custody event's size: the bare side inserts one per request."""

    escort_id = models.BigIntegerField()
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    counts = models.JSONField(default=list)
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "confirm_bare"
        db_table = "bench_bare_event"
'''
BARE_URLS = '''
from django.urls import path
from rest_framework import generics, serializers

from confirm_bare.models import BareEvent


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = BareEvent
        fields = "__all__"


class EventCreate(generics.CreateAPIView):
    serializer_class = EventSerializer


urlpatterns = [path("events/", EventCreate.as_view())]
'''
BARE_SETTINGS = '''
from bench.bare.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "confirm_bare"]  # noqa: F405
ROOT_URLCONF = "confirm_bare.urls"
'''
BARE_PREPARE = '''
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.bare.models import BareUser  # noqa: E402
from confirm_bare.models import BareEvent  # noqa: E402

with connection.schema_editor() as editor:
    editor.create_model(BareEvent)
    editor.create_model(Token)
print(Token.objects.create(user=BareUser.objects.get(username=sys.argv[1])).key)
'''


def write_bare_app(workdir: Path) -> Path:
    package = workdir / "confirm_bare"
    package.mkdir()
    for name, text in {"__init__.py": "", "models.py": BARE_MODELS, "urls.py": BARE_URLS,
                       "settings.py": BARE_SETTINGS, "prepare.py": BARE_PREPARE}.items():
        (package / name).write_text(text)
    return workdir


class KeyedLoad(base.Load):
    """A Load whose every call carries a fresh Idempotency-Key (write_read_path's Load
    sends fixed headers, so the key travels in the body maker and is set here)."""

    def _worker(self, start, limit, counts):
        import http.client
        import json

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

        def one() -> None:
            method, path, body = self.make(next(self.counter))
            headers = {"Accept": "application/json", "Content-Type": "application/json",
                       "Authorization": f"Token {self.token}", "Idempotency-Key": uuid.uuid4().hex}
            connection.request(method, path, body=json.dumps(body), headers=headers)
            response = connection.getresponse()
            payload = response.read()
            if response.status != self.expect:
                self.errors.append(f"{method} {path}: {response.status} {payload[:300]!r}")

        for _ in range(base.WARMUP):
            one()
        start.wait()
        count = 0
        while not self.errors and count * base.THREADS < limit[0] and time.perf_counter() < limit[1]:
            one()
            count += 1
        counts.append(count)
        connection.close()


def main() -> None:
    base.DATABASE = DATABASE
    print(base.machine_line())
    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="kpu-bench-confirm-"))
    env = {**os.environ, "DATABASE_URL": f"{base.POSTGRES}/{DATABASE}", "VAR_DIR": str(workdir),
           "CONN_MAX_AGE": base.CONN_MAX_AGE, "PYTHONPATH": f"{base.ROOT}", "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("REDIS_URL", "CLOCK_START", "CLOCK_ANCHOR", "DJANGO_SETTINGS_MODULE", "DEBUG"):
        env.pop(name, None)
    servers: list[base.Server] = []
    try:
        base.sql("postgres", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f'CREATE DATABASE "{DATABASE}"',
                 f'ALTER DATABASE "{DATABASE}" SET synchronous_commit = off')
        local = {**env, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.local", "DEBUG": "0"}
        base.run(local, "manage.py", "migrate", "--noinput")
        print("data:", base.run(local, "manage.py", "seed_demo").splitlines()[-1])
        *_, token, ids = base.run(local, "manage.py", "shell", "-c", SETUP).splitlines()
        escort_ids = [int(pk) for pk in ids.split(",")]
        base.sql("postgres", f'ALTER DATABASE "{DATABASE}" RESET synchronous_commit')
        base.sql(DATABASE, "VACUUM ANALYZE")
        bare_env = {**env, "PYTHONPATH": f"{base.ROOT}:{write_bare_app(workdir)}",
                    "DJANGO_SETTINGS_MODULE": "confirm_bare.settings", "SECRET_KEY": secrets.token_urlsafe(50)}
        bare_token = base.run(bare_env, "-m", "confirm_bare.prepare", OFFICER).splitlines()[-1]
        project_env = {**env, "DJANGO_SETTINGS_MODULE": "kpu_polda.settings.production",
                       "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
                       "SECURE_SSL_REDIRECT": "0"}
        servers.append(base.Server("project", "kpu_polda.wsgi:application", PORT, project_env,
                                   workdir / "project.log"))
        servers.append(base.Server("bare", "django.core.wsgi:get_wsgi_application()", BARE_PORT, bare_env,
                                   workdir / "bare.log"))
        servers[0].wait_ready("/api/v1/me/")
        servers[1].wait_ready("/events/")
        print(f"setup {time.monotonic() - began:.0f} s; {len(escort_ids)} escorts under way")

        status, me = base.call(PORT, "GET", "/api/v1/me/", token)
        if status != 200:
            sys.exit(f"GET /api/v1/me/ as {OFFICER}: {status} {me}")
        print(f"gunicorn: {base.WORKERS} sync workers per side, CONN_MAX_AGE {base.CONN_MAX_AGE}; "
              f"{base.THREADS} client threads; {base.ROUNDS} rounds, up to {base.REQUESTS} requests or "
              f"{base.SECONDS:g} s per side")

        def checkpoint(n: int):
            return "POST", f"/api/v1/escorts/{escort_ids[n % len(escort_ids)]}/checkpoint/", {
                "note": f"bench checkpoint {n}", "latitude": "-0.502106", "longitude": "117.153709"}

        def insert(n: int):
            return "POST", "/events/", {"escort_id": escort_ids[n % len(escort_ids)], "sequence": n,
                                        "kind": "checkpoint", "counts": [], "note": f"bench checkpoint {n}",
                                        "idempotency_key": uuid.uuid4().hex, "previous_hash": "0" * 64,
                                        "hash": "f" * 64}

        project = KeyedLoad(PORT, token, 201, checkpoint)
        bare = KeyedLoad(BARE_PORT, bare_token, 201, insert)
        ratios = []
        for round_ in range(base.ROUNDS):
            first, second = (project, bare) if round_ % 2 == 0 else (bare, project)
            rates = {id(first): first.measure(base.REQUESTS // base.ROUNDS, base.SECONDS / base.ROUNDS)}
            rates[id(second)] = second.measure(base.REQUESTS // base.ROUNDS, base.SECONDS / base.ROUNDS)
            ratios.append(rates[id(project)] / rates[id(bare)])
        ratio = project.throughput / bare.throughput
        verdict = "ok" if ratio >= GOAL else "below goal"
        print(f"confirm  project POST /api/v1/escorts/<id>/checkpoint/ {project.throughput:7.1f} req/s   "
              f"bare insert of one event-sized row {bare.throughput:7.1f} req/s   ratio {ratio:.2f}x "
              f"(rounds {min(ratios):.2f}-{max(ratios):.2f}; goal {GOAL}x: {verdict})")
    finally:
        for server in servers:
            server.stop()
        try:
            base.sql("postgres", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"total {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
