from datetime import date

from celery import shared_task
from django.core.management import call_command

from coordination import services
from coordination.services import preferences
from kpu_polda.base import clock

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


# A digest run that leaves rows behind (a worker that died holding some people, a mail
# server that refused) runs again after a lease, for at most an hour, then waits for
# tomorrow's (the rows stay pending and go in it).
DIGEST_RETRY_SECONDS = int(preferences.LEASE.total_seconds())
DIGEST_RETRIES = 12


@shared_task(bind=True, max_retries=DIGEST_RETRIES)
def send_daily_digests(self, day: str | None = None) -> int:
    """Daily at 07:00 WITA: email each person who chose the digest for some kind one
    digest of what waited. ``day`` (ISO date) is that of the first run, kept by its
    retries past midnight. Safe to run twice (nobody gets two digests for a day). Returns
    the number of digests sent."""
    day = day or clock.today().isoformat()
    result = preferences.notifications_digest_send(day=date.fromisoformat(day))
    if result.waiting and self.request.retries < DIGEST_RETRIES:
        raise self.retry(kwargs={"day": day}, countdown=DIGEST_RETRY_SECONDS)
    return result.sent
