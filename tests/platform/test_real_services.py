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
def test_celery_worker_runs_a_task_through_redis(db, celery_worker_queue):
    """The task is published on this test's own queue, sits there until a worker that
    consumes only that queue takes it, and runs: another run's worker on the same Redis
    could neither take it nor hand this worker its own."""
    from django.core.cache import cache

    from kpu_polda.base.tasks import HEARTBEAT_KEY, record_heartbeat

    assert settings.CELERY_BROKER_URL == _redis_url()
    queue = celery_worker_queue
    cache.delete(HEARTBEAT_KEY)
    record_heartbeat.delay()
    assert queue.pending() == 1
    with queue.worker() as worker:
        assert set(worker.app.amqp.queues.consume_from) == {queue.name}
        queue.wait(lambda: cache.get(HEARTBEAT_KEY))
    assert queue.pending() == 0


@pytest.mark.redis
def test_a_queue_of_its_own_leaves_celery_as_it_found_it():
    """After the queue of one test, tasks run eagerly again and a task sent to a queue
    named at the call is routed there (a later test's own queue is not refused)."""
    from kpu_polda.celery import app
    from tests.conftest import celery_queue_of_its_own

    need_service("Redis", bool(_redis_url()))
    with celery_queue_of_its_own() as queue:
        assert app.amqp.router.route({}, "kpu_polda.base.tasks.record_heartbeat")["queue"].name == queue.name
    assert app.conf.task_always_eager
    assert app.amqp.router.route({"queue": "test-later"}, "kpu_polda.base.tasks.record_heartbeat")[
        "queue"].name == "test-later"
    assert app.amqp.router.route({}, "kpu_polda.base.tasks.record_heartbeat")["queue"].name == \
        settings.CELERY_TASK_DEFAULT_QUEUE
