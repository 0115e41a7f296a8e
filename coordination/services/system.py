from __future__ import annotations

from django.db import transaction

from coordination.choices import Role
from coordination.models import User

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The account that history names for writes made by commands and periodic tasks
    when no person is named. It cannot sign in."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            username=SYSTEM_USERNAME,
            defaults={"first_name": "Sistem", "role": Role.SECRETARIAT, "is_active": False},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


def actor_by_username(username: str | None) -> User:
    """The user a command acts as: the named one, else the system account."""
    if not username:
        return system_actor()
    return User.objects.get(username=username)
