"""What every route table of the contract test shares: the personas, the expectation
helpers, and the history check of a successful write.

A route table is a module ``tests/contract/routes_<app>.py`` exporting:

- ``ROUTES``: route name -> list of rows ``(method, path builder, data builder or None,
  expected status per persona)``; builders take the world (a dict);
- ``world(stations, personas)``: the rows its routes read, built once per route row;
- optionally ``HISTORY_EXEMPT``: route name -> why a successful write of it leaves no
  history row (logging in, choosing a language: nothing of the domain changes).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from simple_history.models import HistoricalChanges

from tests.conftest import PERSONAS

ANON = "anonymous"
ALL = [ANON, *PERSONAS]
OTHER = "balikpapan_operator"
KPU_WRITERS = {"samarinda_operator", "province_staff", "secretariat"}
WRITES = {"post", "put", "patch", "delete"}


def expect(default, **overrides):
    return {persona: overrides.get(persona, default) for persona in ALL}


def page(default=200, **overrides):
    """A page: anonymous visitors are sent to the login page."""
    return expect(default, **{ANON: 302, **overrides})


def api(default=200, **overrides):
    return expect(default, **{ANON: 401, **overrides})


def scoped_page(**overrides):
    return page(**{OTHER: 404, **overrides})


def scoped_api(**overrides):
    return api(**{OTHER: 404, **overrides})


def writer_api(ok=200, **overrides):
    """A write in Samarinda: writers of Samarinda or the province succeed, the observer is
    refused, Balikpapan's operator does not find the object."""
    return api(ok, **{"observer": 403, OTHER: 404, **overrides})


# --- the history a write leaves ---------------------------------------------------------


def history_models():
    """Every django-simple-history table that names the user who made the change."""
    return [model for model in apps.get_models()
            if issubclass(model, HistoricalChanges) and any(f.name == "history_user" for f in model._meta.fields)]


def history_marks(models) -> dict:
    """The newest history id of each table now: rows above it are written afterwards."""
    marks = {}
    for model in models:
        newest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        marks[model] = newest or 0
    return marks


def history_since(marks: dict) -> list[tuple[str, int | None]]:
    """(table, history_user_id) of every history row written since ``marks``."""
    return [(model.__name__, user_id) for model, mark in marks.items()
            for user_id in model.objects.filter(pk__gt=mark).values_list("history_user_id", flat=True)]


def succeeded(response, persona: str) -> bool:
    """A write that did what it was asked: a 2xx answer, or a page's redirect after a
    successful form (a 3xx to somewhere other than the login page, for someone logged in)."""
    if 200 <= response.status_code < 300:
        return True
    if 300 <= response.status_code < 400 and persona != ANON:
        return not response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
    return False
