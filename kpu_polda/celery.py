"""The Celery app. Beat's schedule is declared here, each entry with a human reading."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpu_polda.settings.local")

app = Celery("kpu_polda")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every minute: prove to /healthz and the admin that worker and beat are alive.
    "worker-heartbeat": {"task": "kpu_polda.base.tasks.record_heartbeat", "schedule": 60.0},
    # Every minute: email the notifications that have come due (the outbox drain; a commit
    # that writes a due notification also asks for a drain at once). A run still queued
    # when the next is sent is dropped: the newer one does the same work.
    "drain-notifications": {
        "task": "coordination.tasks.drain_notifications",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Every hour at :05: tell both parties of each agreement clause newly in breach (once
    # per breach; a clause that stays in breach is not told again).
    "notify-clause-breaches": {
        "task": "coordination.tasks.notify_clause_breaches",
        "schedule": crontab(minute=5),
    },
    # Every five minutes: alert both agencies of each escort newly late (not accepted in
    # time, not departed at the planned time, not arrived by the planned arrival plus the
    # grace), once per escort and condition. A run still queued when the next is sent is
    # dropped: the newer one does the same work.
    "check-escort-slas": {
        "task": "logistics.tasks.check_escort_slas",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
    # Every day at 07:00 WITA: one email to each person who chose the daily digest for some
    # kind, listing what waited for it since the last one (nobody gets two for one day; a
    # run that leaves rows behind retries itself for up to an hour).
    "send-daily-digests": {
        "task": "coordination.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every day at 01:30 WITA: create each meeting series' meetings that came within its
    # horizon, with their invitations and reminders (idempotent).
    "extend-meeting-series": {
        "task": "meetings.tasks.extend_series",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every night at 02:15 WITA: drop expired sessions and expired API tokens' secrets.
    "nightly-housekeeping": {
        "task": "coordination.tasks.housekeeping",
        "schedule": crontab(hour=2, minute=15),
    },
}
