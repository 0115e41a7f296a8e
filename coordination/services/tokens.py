from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import policies
from coordination.models import ApiToken, User
from coordination.tokens import hash_key
from kpu_polda.base import clock
from kpu_polda.base.exceptions import Conflict, DomainError, OutOfScope

# last_used_at is written at most this often per token, so a busy script does not turn
# every request into a write.
TOUCH_INTERVAL = timedelta(minutes=1)


MAX_DAYS = 366


def api_token_create(*, actor: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Issue a named API token to ``actor`` and return it with its key.

    The key is returned once and only its hash is kept. It expires after
    ``expires_in_days`` (1 to 366) of real time, not the demo clock, or never. Raises
    DomainError for an empty name or a bad lifetime, Conflict when the actor already holds
    an active token of that name.
    """
    name = name.strip()
    if not name:
        raise DomainError(_("A token needs a name, e.g. the script that will use it."), code="invalid")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise DomainError(_("A token lives from 1 to %(max)d days.") % {"max": MAX_DAYS}, code="invalid")
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        if ApiToken.objects.filter(user=actor, name=name, revoked_at__isnull=True).exists():
            raise Conflict(
                _("You already hold an active token named %(name)r.") % {"name": name}, code="token_name_taken"
            )
        token = ApiToken(user=actor, name=name, prefix=key[:8], key_hash=hash_key(key), expires_at=expires_at)
        token._history_user = actor
        token.save()
    return token, key


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its holder may revoke their own, the secretariat any in its region.

    Revoking an already revoked token changes nothing. Raises OutOfScope otherwise.
    """
    with transaction.atomic():
        locked = policies.scope_api_tokens(ApiToken.objects.select_for_update(), actor).filter(pk=token.pk).first()
        if locked is None:
            raise OutOfScope(_("Token not found."))
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked._history_user = actor
            locked.save(update_fields=["revoked_at"])
    return locked


def api_token_touch(token: ApiToken) -> None:
    """Record that ``token`` was just used (at most once per TOUCH_INTERVAL).

    A queryset update on purpose: last use is telemetry, excluded from the history table.
    It is a record people read, so it follows the app's clock, like the creation and
    revocation moments; only the expiry is kept on real time (a security moment).
    """
    moment = clock.now()
    if token.last_used_at is None or moment - token.last_used_at >= TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
