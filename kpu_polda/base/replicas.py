"""Read replicas: the reads of safe requests go to a streaming standby, the rest to the primary.

``ReplicaReadsMiddleware`` marks a GET, HEAD or OPTIONS request (pages and the API alike)
for the length of the request; ``ReplicaRouter`` sends that request's reads to one replica
(``settings.DATABASE_REPLICAS``, from ``DATABASE_REPLICA_URLS``) and everything else to
the primary: every write, every read of an unsafe request, inside ``transaction.atomic``,
after the request has written, outside any request (Celery tasks, management commands,
the shell) and of the models in ``REPLICA_PRIMARY_MODELS`` (who is asking: a session or a
token just created must not be missing from a lagging copy).

A replica lags the primary by a little. So that people see their own changes at once, an
unsafe request (or a safe one that wrote) pins its user to the primary for
``REPLICA_PIN_SECONDS``, which must be longer than any lag we accept. The pin is kept in
the cache under the user's id, not in a cookie: API clients with a token keep no cookies,
and a user on two devices is pinned on both. Everyone else keeps reading the replica.

A replica that cannot be reached is skipped for ``RETRY_DOWN_SECONDS`` and its reads go
to the primary: a lost replica makes pages slower, never broken.
"""

from __future__ import annotations

import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, Error, connections

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Long enough that a replica which refused a connection is not asked again by every request
# (each attempt costs a connection timeout when the host is gone), short enough that it is
# used again soon after it comes back.
RETRY_DOWN_SECONDS = 10.0
_PIN_KEY = "replica-pin:{}"

_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    """The database aliases of the read replicas; empty when none are configured."""
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def _primary_only(model) -> bool:
    meta = model._meta
    labels = {"sessions", settings.AUTH_USER_MODEL.lower(), *getattr(settings, "REPLICA_PRIMARY_MODELS", ())}
    return meta.label_lower in labels or meta.app_label in labels


def _is_pinned(user_id) -> bool:
    try:
        return cache.get(_PIN_KEY.format(user_id)) is not None
    except Exception:  # noqa: BLE001 - whatever the cache raises, the primary is the safe answer
        logger.warning("replica pin unreadable; reading from the primary", exc_info=True)
        return True


def pin_to_primary(user) -> None:
    """Send ``user``'s reads to the primary for REPLICA_PIN_SECONDS (they have just written)."""
    if user is None or not user.is_authenticated:
        return
    try:
        cache.set(_PIN_KEY.format(user.pk), 1, timeout=settings.REPLICA_PIN_SECONDS)
    except Exception:  # noqa: BLE001 - a lost pin costs at most a stale read, never the response
        logger.warning("replica pin not stored for user %s", user.pk, exc_info=True)


def _choose_replica() -> str:
    """A replica that accepts a connection, picked at random; the primary when none does."""
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _down_until.get(alias, 0.0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        try:
            # Connects (or checks a kept connection, CONN_HEALTH_CHECKS) before any query
            # of the request depends on it.
            with connections[alias].cursor():
                pass
        except Error:
            _down_until[alias] = now + RETRY_DOWN_SECONDS
            logger.warning("replica %s unreachable; its reads go to the primary", alias, exc_info=True)
            continue
        return alias
    return DEFAULT_DB_ALIAS


class _SafeRequest:
    """The safe request being served: its replica, chosen at its first read, and whether it
    has written (from then on it reads the primary)."""

    __slots__ = ("request", "alias", "wrote", "pins")

    def __init__(self, request):
        self.request = request
        self.alias: str | None = None
        self.wrote = False
        self.pins: dict = {}

    def pinned(self) -> bool:
        # DRF sets request.user when it authenticates a token, so the API's user is known
        # by the time its view reads; the session's user is read on the primary.
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if user.pk not in self.pins:
            self.pins[user.pk] = _is_pinned(user.pk)
        return self.pins[user.pk]

    def replica(self) -> str:
        if self.alias is None:
            self.alias = _choose_replica()
        return self.alias


_serving: ContextVar[_SafeRequest | None] = ContextVar("replica_safe_request", default=None)


class ReplicaRouter:
    """Reads of a safe request to its replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        state = _serving.get()
        if (state is None or state.wrote or _primary_only(model)
                or connections[DEFAULT_DB_ALIAS].in_atomic_block or state.pinned()):
            return DEFAULT_DB_ALIAS
        return state.replica()

    def db_for_write(self, model, **hints):
        state = _serving.get()
        # Session saves, token use stamps and login records are bookkeeping of every
        # request, read on the primary anyway: they pin nobody.
        if state is not None and not _primary_only(model):
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: an object read from one may point to the other.
        same_data = {DEFAULT_DB_ALIAS, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Marks safe requests for ReplicaRouter and pins to the primary whoever wrote.

    The mark is reset when the view returns, so what runs after it (a streamed response's
    rows, the session save) reads the primary. With no replica configured it does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        state = _SafeRequest(request) if request.method in SAFE_METHODS else None
        token = _serving.set(state)
        try:
            response = self.get_response(request)
        finally:
            _serving.reset(token)
        if state is None or state.wrote:
            pin_to_primary(getattr(request, "user", None))
        return response
