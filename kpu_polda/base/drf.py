"""The API platform shared by every app: pagination and the one error format.

Kept apart from viewsets.py: DRF reads these settings while defining view classes."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import ProtectedError, RestrictedError
from django.db.models.query import ModelIterable, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from kpu_polda.base.exceptions import (
    Conflict,
    DomainError,
    ImportRejected,
    OutOfScope,
    PermissionDenied,
)
from kpu_polda.base.keyset import InvalidCursor, KeysetPaginator


class KeysFirstPaginator(DjangoPaginator):
    """Django's paginator, except that a deep page of a model queryset walks keys only.

    With OFFSET the database walks every row before the page, with all its columns and
    joins. Here a deep page is read as ``WHERE pk IN (the page's keys: ordered, OFFSET,
    LIMIT)``, ordered again: the walk reads only the ordering's columns (on the TPS list an
    index holding them and the id, so the index alone) and the joins and columns are read
    for the page's rows only; one query, as before. Shallow pages, and querysets whose
    rows reading by key could change (annotations, DISTINCT, unions, extra(), values()),
    are read with a plain OFFSET. The rows and their order are the same either way.

    With ``values`` (ORM lookups, PlainRowsMixin.value_lookups()) the page's rows are
    read as dicts of those lookups instead of model instances.
    """

    deep = 500  # rows before the page from which walking keys costs less (measured on the TPS list)

    def __init__(self, *args, values: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = values

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self._rows(object_list), number, paginator)

    def _rows(self, page):
        query = getattr(page, "query", None)
        if (not isinstance(page, QuerySet) or page._iterable_class is not ModelIterable
                or not isinstance(self.object_list, QuerySet)
                or query.annotations or query.distinct or query.combinator or query.extra or query.extra_order_by):
            return page
        if query.low_mark >= self.deep:
            page = self.object_list.filter(pk__in=page.values("pk"))
        return list(page.values(*self.values)) if self.values else page


class CheckedPageSize:
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # DRF ignores a page size it cannot read; a caller who asked for one learns why
        # it was not used. A size above max_page_size is still cut down to it.
        asked = request.query_params.get(self.page_size_query_param, "")
        if asked and not (asked.isascii() and asked.isdigit() and int(asked) > 0):
            raise exceptions.ValidationError({self.page_size_query_param: [_("Enter a positive whole number.")]})
        return super().get_page_size(request)


class Pagination(CheckedPageSize, PageNumberPagination):
    django_paginator_class = KeysFirstPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # A list whose serializer reads plain values has its page read as values.
        values = view.page_values() if hasattr(view, "page_values") else None
        self.django_paginator_class = partial(KeysFirstPaginator, values=values)
        return super().paginate_queryset(queryset, request, view)


class KeysetPagination(CheckedPageSize, CursorPagination):
    """Pages read by cursor (kpu_polda.base.keyset), for lists too long for page numbers:
    every page costs what the first does, and no row is counted. The answer is
    ``{"next", "previous", "results"}``; ``next`` and ``previous`` are the links to follow
    (None at either end), carrying the filters and the page size. The order is the
    queryset's own with the id last.

    A damaged cursor is a 400 with the error under ``cursor``. Old page-number links
    still work for their first page (``page=1``); any other page number is a 400 that
    says to follow the links, since a page number cannot be reached without walking
    every row before it.
    """

    cursor_query_description = "The page to read: the cursor in the `next` or `previous` link of the page before."

    def paginate_queryset(self, queryset, request, view=None):
        if request.query_params.get("page", "") not in ("", "1"):
            raise exceptions.ValidationError({"page": [_(
                "This list has no page numbers: follow the “next” and “previous” links of its pages.")]})
        self.page_size = self.get_page_size(request)
        self.base_url = remove_query_param(request.build_absolute_uri(), "page")
        # A list whose serializer reads plain values has its page read as values.
        values = view.page_values() if hasattr(view, "page_values") else None
        try:
            self.page = KeysetPaginator(queryset, self.page_size, values=values).page(
                request.query_params.get(self.cursor_query_param))
        except InvalidCursor as exc:
            raise exceptions.ValidationError({self.cursor_query_param: [str(exc)]}) from exc
        self.has_next, self.has_previous = self.page.has_next, self.page.has_previous
        self.display_page_controls = (self.has_next or self.has_previous) and self.template is not None
        return list(self.page)

    def _link(self, cursor: str | None) -> str | None:
        return None if cursor is None else replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.page.next_cursor)

    def get_previous_link(self):
        return self._link(self.page.previous_cursor)


def _error(status_code: int, code: str, detail: str, errors: dict | None = None) -> Response:
    body: dict = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code)


def exception_handler(exc, context):
    """Every error answers ``{"code", "detail"[, "errors"]}``.

    400 carries field errors under ``errors``; out-of-scope reads as 404, the same as
    missing; conflicts, refused transitions and deletes that other rows still depend on
    are 409 with a machine code.
    """
    if isinstance(exc, OutOfScope):
        return _error(404, "not_found", str(exc.message))
    if isinstance(exc, ProtectedError | RestrictedError):
        return _error(409, "protected", _("Other records still refer to this one; it cannot be deleted."))
    if isinstance(exc, ImportRejected):
        rows: dict[str, list[str]] = {}
        for line, message in exc.errors:
            rows.setdefault(f"line {line}", []).append(message)
        return _error(400, exc.code, str(exc.message), rows)
    if isinstance(exc, Conflict):
        return _error(409, exc.code, str(exc.message))
    if isinstance(exc, PermissionDenied):
        return _error(403, exc.code, str(exc.message))
    if isinstance(exc, DomainError):
        return _error(400, exc.code, str(exc.message), {"non_field_errors": [str(exc.message)]})
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error(400, "invalid", _("Invalid input."), errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"code": "invalid", "detail": _("Invalid input."), "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail if isinstance(exc.detail, str) else response.data
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        response.data = {"code": code, "detail": str(detail)}
    return response


__all__ = ["CheckedPageSize", "KeysFirstPaginator", "KeysetPagination", "Pagination", "exception_handler"]
