"""Password and session authentication: Django's ModelBackend, refusing the demo
accounts where settings refuse demo data (production)."""

from django.contrib.auth.backends import ModelBackend

from coordination import policies


class AccountBackend(ModelBackend):
    """Used by the login page, the admin's login and POST /api/v1/auth/token/ (all call
    authenticate()), and for the user of every session (get_user), so a demo account's
    session from before the switch to production settings ends at its next request."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not policies.is_refused_demo_account(user)
