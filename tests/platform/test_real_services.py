"""What only the real PostgreSQL and Redis can prove. Skipped without them locally; CI
sets REQUIRE_SERVICES=1, which turns a skip here into a failure."""

import os

import pytest
from django.conf import settings
from django.db import connection

from coordination.models import Region
from tests.conftest import need_service


@pytest.mark.postgres
def test_scope_prefix_query_uses_an_index_on_postgresql(tree):
    need_service("PostgreSQL", connection.vendor == "postgresql")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql, params = Region.objects.filter(code__startswith="64.72.").only("id").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "coordination_region_code" in plan and "_like" in plan, plan


@pytest.mark.postgres
def test_constraints_hold_in_postgresql(tree, election):
    from django.db import IntegrityError, transaction

    from tests.factories import PollingStationFactory

    need_service("PostgreSQL", connection.vendor == "postgresql")
    PollingStationFactory(election=election, village=tree["sam_kel"], number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollingStationFactory(election=election, village=tree["sam_kel"], number=1)


def _redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


@pytest.mark.redis
def test_redis_cache_backend_round_trip():
    url = _redis_url()
    need_service("Redis", bool(url))
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(url, {})
    cache.set("kpu-polda-test", {"ok": 1}, timeout=10)
    assert cache.get("kpu-polda-test") == {"ok": 1}
    cache.delete("kpu-polda-test")


@pytest.mark.redis
@pytest.mark.xdist_group("celery-worker")
def test_celery_worker_runs_a_task_through_redis(db):
    url = _redis_url()
    need_service("Redis", bool(url))
    from celery.contrib.testing.worker import start_worker
    from django.core.cache import cache

    from kpu_polda.base.tasks import HEARTBEAT_KEY, record_heartbeat
    from kpu_polda.celery import app

    assert settings.CELERY_BROKER_URL == url
    cache.delete(HEARTBEAT_KEY)
    app.conf.update(task_always_eager=False, result_backend="cache+memory://")
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = record_heartbeat.delay()
            result.get(timeout=20)
    finally:
        app.conf.update(task_always_eager=True)
    assert cache.get(HEARTBEAT_KEY)
