"""The home page composes the apps' selectors; /healthz reports the moving parts."""

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from coordination import selectors
from kpu_polda.base import clock
from kpu_polda.base.tasks import HEARTBEAT_KEY
from logistics.selectors.summary import escort_summary


@login_required
def home(request):
    summary = selectors.scope_summary(request.user)
    context = {"summary": summary}
    if summary.election is not None:
        current, upcoming = selectors.current_and_next(list(summary.election.stages.all()), clock.today())
        open_risks = selectors.risks_for(request.user).filter(stage__election=summary.election,
                                                              status__in=selectors.OPEN_RISK_STATUSES)
        context.update(current=current, upcoming=upcoming,
                       open_risks=open_risks.count(), top_risks=list(open_risks.order_by("-score", "id")[:5]),
                       escorts=escort_summary(request.user, summary.election))
    return render(request, "dashboard/home.html", context)


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
