"""Fixtures of the coordination tests: people with e-mail addresses and a fixed sender."""

import pytest


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.DEFAULT_FROM_EMAIL = "KPU-Polda Kaltim <notifikasi@example.org>"
    settings.SITE_URL = "https://koordinasi.example.org"


@pytest.fixture
def people(personas):
    """The personas with an e-mail address each."""
    for name, user in personas.items():
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
    return personas
