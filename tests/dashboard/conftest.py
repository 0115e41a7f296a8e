"""The dashboard's tests stand on the logistics and meetings worlds (their fixtures are
reused here as they are)."""

import pytest

from tests.logistics.conftest import make_escort  # noqa: F401 - fixtures
from tests.meetings.conftest import meeting_clause, monthly, now  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    """Pages in English, as after the language switch (pages do not follow
    Accept-Language): the tests compare English words."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
