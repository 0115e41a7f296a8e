import pytest


@pytest.fixture
def secretariat(personas):
    """The secretariat persona as a superuser, for the admin's own pages."""
    user = personas["secretariat"]
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user
