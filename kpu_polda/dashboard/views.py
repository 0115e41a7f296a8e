"""The home page composes the apps' selectors into panels; /healthz reports the moving parts."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from coordination import selectors
from kpu_polda.base.tasks import HEARTBEAT_KEY

from .panels import PANELS, Scope, panel_context


def _drawn(request, panel, scope: Scope) -> str:
    context = panel_context(panel, scope)
    return "" if context is None else render_to_string(panel.template, context, request=request)


@login_required
def home(request):
    """Every panel for the user's scope, drawn on the server (the page works without
    JavaScript); each then refreshes itself from ``panel``."""
    summary = selectors.scope_summary(request.user)
    scope = Scope(request.user, summary)
    panels = [mark_safe(_drawn(request, panel, scope)) for panel in PANELS.values()]  # noqa: S308 - our templates
    return render(request, "dashboard/home.html", {"summary": summary, "panels": panels})


@never_cache
@login_required
def panel(request, key):
    """One panel, as the home page draws it: what htmx swaps in when it refreshes."""
    panel = PANELS.get(key)
    if panel is None:
        raise Http404
    return HttpResponse(_drawn(request, panel, Scope(request.user)))


@never_cache
def healthz(request):
    """Database and cache reachable, and how long ago the worker last ran a beat task.

    Public on purpose (load balancers and docker health checks call it) and says nothing
    about the data.
    """
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        beat = cache.get(HEARTBEAT_KEY)
        checks["cache"] = "ok"
    except Exception as exc:  # noqa: BLE001
        beat = None
        checks["cache"] = f"error: {type(exc).__name__}"
    age = None
    if beat:
        age = int((timezone.now() - datetime.fromisoformat(beat)).total_seconds())
    checks["worker_heartbeat_age_seconds"] = age
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(checks, status=200 if healthy else 503)
