from celery import shared_task
from django.core.management import call_command

from coordination import services

# A drain run takes batches while they come back full, at most this many, so it ends well
# before the next beat; rows left over wait for that beat or for another worker.
DRAIN_BATCH = 100
DRAIN_ROUNDS = 10


@shared_task
def housekeeping() -> None:
    """Nightly: delete expired sessions (Django's own command does exactly this)."""
    call_command("clearsessions")


@shared_task
def drain_notifications() -> int:
    """Every minute, and after a commit that wrote a due notification: email what is due.

    Safe to run in several workers at once and to retry (each row is claimed by one
    drain). Returns the number of emails sent.
    """
    sent = 0
    for _round in range(DRAIN_ROUNDS):
        result = services.notifications_drain(batch=DRAIN_BATCH)
        sent += result.sent
        if result.claimed < DRAIN_BATCH:
            break
    else:
        # Still full after every round: more are due than one run sends. Ask again, so idle
        # workers join in instead of waiting a minute for the beat (claims never overlap).
        drain_notifications.delay()
    return sent


@shared_task
def notify_clause_breaches() -> int:
    """Hourly: tell both parties of each clause in breach, once per breach. Idempotent, so
    a retried task or a doubled beat writes nothing twice. Returns the rows written."""
    return services.clause_breaches_notify()
