"""API rate limits that survive an outage of the cache they count in."""

from __future__ import annotations

import logging

from rest_framework.throttling import ScopedRateThrottle

from kpu_polda.base.middleware import cache_errors

logger = logging.getLogger(__name__)


class CacheSafeScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped rate limit, except that a cache (Redis) it cannot reach lets the
    request through (fails open) and logs a warning, instead of answering 500.

    Open, not closed, because this limit is the second line in front of passwords: the
    first, django-axes' lock of an account after five failures, counts in the database
    and holds during a cache outage. Failing closed would refuse every script and person
    a token for as long as the cache is down, an outage of the API made out of an outage
    of a cache; failing open costs only the per-address rate for that time.
    """

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except cache_errors():  # only an unreachable cache: a bad rate setting still fails loudly
            logger.warning("Rate limit %r not applied: the cache is unreachable", getattr(view, "throttle_scope", None),
                           exc_info=True)
            return True
