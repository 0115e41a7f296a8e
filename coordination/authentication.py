from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from coordination import policies, selectors, services
from kpu_polda.base import lockout


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with a named, revocable,
    optionally expiring key from coordination.ApiToken."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = selectors.api_token_for_key(key)
        # A demo account's token is refused like its password (coordination.backends).
        if (token is None or token.revoked_at is not None or not token.user.is_active
                or policies.is_refused_demo_account(token.user)):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        if lockout.is_locked(token.login_failures):
            raise lockout.LockedOut()
        # Read with the token, in the same query: the request's scope needs no query of its own.
        policies.remember_scope_code(token.user, token.jurisdiction_code)
        services.api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "coordination.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`; obtain a key from POST /api/v1/auth/token/."}
