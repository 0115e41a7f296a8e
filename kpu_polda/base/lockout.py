from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

MESSAGE = _("Too many failed logins: the account is locked for 15 minutes.")


def lockout_response(request, original_response, credentials):
    """django-axes' answer to a locked account: the API's error format under /api/, the
    lockout page elsewhere. 429 either way."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": str(MESSAGE)}, status=429)
    return render(request, "registration/locked_out.html", status=429)
