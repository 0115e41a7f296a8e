from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "worker-heartbeat"


@shared_task
def record_heartbeat() -> str:
    """Beat enqueues this every minute; a worker running it proves both are alive.

    Real time, not the app's clock: it measures whether processes run, not the election.
    """
    moment = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, moment, timeout=None)
    return moment
