from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Subquery, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

MESSAGE = _("Too many failed logins: the account is locked for 15 minutes.")


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a locked account: the API's error format under /api/, the
    lockout page elsewhere. 429 either way."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": str(MESSAGE)}, status=429)
    return render(request, "registration/locked_out.html", status=429)


class LockedOut(exceptions.APIException):
    """A locked account's API tokens stop working while the lock lasts, like its password."""

    status_code = 429
    default_code = "locked_out"
    default_detail = MESSAGE


def login_failures(username) -> Subquery:
    """The failed logins django-axes still counts against ``username`` (an expression, e.g.
    ``OuterRef("user__username")``): its own count, the failures of the cool-off period
    summed over every address. A subquery, so a lookup can read it in its own query
    (axes' table is indexed by username)."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME  # axes counts on real time too
    attempts = (AccessAttempt.objects.filter(username=username, attempt_time__gte=since).order_by()
                .values("username").annotate(total=Sum("failures_since_start")).values("total"))
    return Subquery(attempts[:1])


def is_locked(failures: int | None) -> bool:
    """Whether that count locks the account (AXES_FAILURE_LIMIT, by username only here)."""
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT
