from axes.models import AccessAttempt
from django.conf import settings
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


def login_failures_sql(username_column: str) -> str:
    """SQL for the failed logins django-axes still counts against the user named in
    ``username_column`` (e.g. ``u.username``): its own count, the failures of the
    cool-off period summed over every address, NULL when there are none. A subquery, so
    a lookup reads it in its own query (axes' table is indexed by username); its one
    parameter is ``login_failures_since()``."""
    # Only names are interpolated (axes' table, the caller's column), never a value.
    return (f"(SELECT SUM(failures_since_start) FROM {AccessAttempt._meta.db_table} "  # noqa: S608
            f"WHERE username = {username_column} AND attempt_time >= %s)")


def login_failures_since():
    return timezone.now() - settings.AXES_COOLOFF_TIME  # axes counts on real time too


def is_locked(failures: int | None) -> bool:
    """Whether that count locks the account (AXES_FAILURE_LIMIT, by username only here)."""
    return (failures or 0) >= settings.AXES_FAILURE_LIMIT
