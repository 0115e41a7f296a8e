"""The API token of a request: the one read every API call makes before anything else."""

from __future__ import annotations

from functools import cache

from coordination.models import Agency, ApiToken, Region, User
from coordination.tokens import hash_key
from kpu_polda.base import lockout
from kpu_polda.base.queries import JoinedRow


@cache
def _token_read() -> JoinedRow:
    user, agency, region = (model._meta.db_table for model in (User, Agency, Region))
    return JoinedRow(ApiToken, [
        (User, "u", f"INNER JOIN {user} u ON u.id = t0.user_id"),
        (Agency, "a", f"LEFT JOIN {agency} a ON a.id = u.agency_id"),
        (None, "r", f"LEFT JOIN {region} r ON r.id = a.jurisdiction_id"),
    ], extra=["r.code", lockout.login_failures_sql("u.username")])


def api_token_for_key(key: str) -> ApiToken | None:
    """The token with this key, with its holder and the holder's agency, and, as
    ``jurisdiction_code``, the code of that agency's region (what their scope is) and, as
    ``login_failures``, the failed logins django-axes still counts against them: one
    query. Plain SQL composed once (coordination authenticates every API request with it;
    built by the ORM, its compilation was a third of a confirmation's cost)."""
    found = _token_read().read("t0.key_hash = %s", [lockout.login_failures_since(), hash_key(key)])
    if found is None:
        return None
    (token, user, agency), (jurisdiction_code, login_failures) = found
    user.agency = agency
    token.user = user
    token.jurisdiction_code, token.login_failures = jurisdiction_code, login_failures
    return token
