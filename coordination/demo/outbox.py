"""The demo's outbox as it stands at the demo clock's start."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from coordination.models import Notification

# The demo clock's start (the Makefile's CLOCK_START): where the demo's story stands.
DEMO_MOMENT = timezone.make_aware(datetime(2024, 2, 8, 9, 0))


def demo_outbox_settle() -> int:
    """The seeds run on real time and write their notifications at the story's own
    moments: what fell due before the demo clock's start went out at the time (marked
    sent when due), so the drain does not mail a week of old news when the demo starts.
    Returns how many rows were settled."""
    return Notification.objects.filter(due_at__lt=DEMO_MOMENT, sent_at=None, cancelled_at=None).update(
        sent_at=F("due_at"))
