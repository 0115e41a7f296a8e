"""The API platform shared by every app: pagination and the one error format.

Kept apart from viewsets.py: DRF reads these settings while defining view classes."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kpu_polda.base.exceptions import (
    Conflict,
    DomainError,
    ImportRejected,
    OutOfScope,
    PermissionDenied,
)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _error(status_code: int, code: str, detail: str, errors: dict | None = None) -> Response:
    body: dict = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code)


def exception_handler(exc, context):
    """Every error answers ``{"code", "detail"[, "errors"]}``.

    400 carries field errors under ``errors``; out-of-scope reads as 404, the same as
    missing; conflicts and refused transitions are 409 with a machine code.
    """
    if isinstance(exc, OutOfScope):
        return _error(404, "not_found", str(exc.message))
    if isinstance(exc, ImportRejected):
        rows: dict[str, list[str]] = {}
        for line, message in exc.errors:
            rows.setdefault(f"line {line}", []).append(message)
        return _error(400, exc.code, exc.message, rows)
    if isinstance(exc, Conflict):
        return _error(409, exc.code, exc.message)
    if isinstance(exc, PermissionDenied):
        return _error(403, exc.code, exc.message)
    if isinstance(exc, DomainError):
        return _error(400, exc.code, exc.message, {"non_field_errors": [exc.message]})
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error(400, "invalid", "Invalid input.", errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"code": "invalid", "detail": "Invalid input.", "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else response.data
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = {"code": code, "detail": str(detail)}
    return response


__all__ = ["Pagination", "exception_handler"]
