"""The personal calendar feed: a secret address a calendar app subscribes to."""

from __future__ import annotations

import secrets

from django.db import transaction

from coordination.models import User
from coordination.tokens import hash_key
from kpu_polda.base import clock

from ..models import CalendarFeed


def calendar_feed_create(*, actor: User) -> str:
    """A new feed address for ``actor`` (any earlier one is revoked); returns its key,
    shown once: only its hash is kept."""
    key = secrets.token_urlsafe(24)
    with transaction.atomic():
        calendar_feed_revoke(actor=actor)
        feed = CalendarFeed(user=actor, key_hash=hash_key(key), created_at=clock.now())
        feed._history_user = actor
        feed.save()
    return key


def calendar_feed_revoke(*, actor: User) -> int:
    """Stop the actor's feed address; returns how many were active (0 or 1)."""
    count = 0
    for feed in CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True):
        feed.revoked_at = clock.now()
        feed._history_user = actor
        feed.save(update_fields=["revoked_at"])
        count += 1
    return count
