"""The OpenAPI schema as client generators read it: one request body type per operation,
every error response with the one error body, nullable fields marked, and the same
document whatever language the request asks for.

Platform rules, so that no endpoint declares them itself:

- Requests are JSON. Only a view or action that declares its own parsers (a CSV upload's
  multipart) documents theirs. The multipart parser in DEFAULT_PARSER_CLASSES is there for
  the browsable API's HTML form and is not part of the documented API.
- Errors answer ``{"code", "detail"[, "errors"]}`` (kpu_polda.base.drf.exception_handler);
  each operation lists the statuses it can answer with: 400 with input (a body or query
  filters), 401/403 unless it is open to anyone, 404 where a lookup can miss (a path
  parameter, a page number, a code in the query), 409 for an authenticated write, 413 with
  a body, 429 where it is throttled, 503 everywhere (a backing service unreachable).
- A field that can read as null is nullable: ``allow_null``, a ``default=None``, or a
  source that runs through a nullable column or relation (``parent.code``).
- The schema is built with English active. Free text (docstrings, help texts, enum labels,
  filter labels) is written in English in the code; building it in the caller's language
  mixed the two ("identifying this perjanjian kerja sama") and made clients generated from
  one document differ from those generated from the other.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.functional import Promise
from drf_spectacular import generators, openapi
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

SCHEMA_LANGUAGE = "en"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
NOT_FILTERS = {"page", "page_size", "format"}

ERRORS = {
    "400": "Invalid input: `code` says why; `errors` lists the messages per field (or per CSV line).",
    "401": "Not authenticated: no valid `Authorization: Token <key>` (or session).",
    "403": "Authenticated, but the caller's role may not do this.",
    "404": "Not found, or outside the caller's region (the two read the same).",
    "409": "Conflict: the workflow does not allow the move, or other rows still depend on this one.",
    "413": "The request body is too large.",
    "429": "Too many requests (throttled, or the account is locked after failed logins).",
    "503": "The database or the cache is unreachable: try again after the Retry-After seconds.",
}


class ErrorSerializer(serializers.Serializer):
    """The one error body of the API."""

    code = serializers.CharField(help_text="A machine code, e.g. invalid, not_found, not_authenticated, protected.")
    detail = serializers.CharField(help_text="A message for people, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="For invalid input: messages per field (non_field_errors for the whole) or per CSV line.",
    )


class AutoSchema(openapi.AutoSchema):
    def is_excluded(self):
        # A write whose service the viewset does not declare answers 405 (ScopedViewSet).
        offers = getattr(self.view, "offers", None)
        return offers is not None and not offers(getattr(self.view, "action", None))

    def get_filter_backends(self):
        # A collection GET action (the risks' CSV export) takes the list's filters too;
        # an action that takes none says filter_backends=[].
        if self.method == "GET" and getattr(self.view, "detail", None) is False:
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def map_parsers(self):
        media_types = super().map_parsers()
        declared = [type(parser) for parser in self.view.get_parsers()]
        if declared == list(api_settings.DEFAULT_PARSER_CLASSES):
            return [JSONParser.media_type]
        return media_types

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            responses = operation.setdefault("responses", {})
            for status in self._error_statuses(operation):
                if status not in responses:
                    responses[status] = self._error_response(status)
        return operation

    def _error_statuses(self, operation) -> list[str]:
        parameters = operation.get("parameters", [])
        in_path = [p["name"] for p in parameters if p["in"] == "path"]
        in_query = {p["name"] for p in parameters if p["in"] == "query"}
        filterset = getattr(self.view, "filterset_class", None)
        filters = set(getattr(filterset, "base_filters", {})) if getattr(self.view, "filter_backends", None) else set()
        open_to_anyone = all(isinstance(p, AllowAny) for p in self.view.get_permissions())

        statuses = []
        # Path values too: a value the database refuses (an id out of range) is a 400.
        if "requestBody" in operation or in_query & filters or in_path:
            statuses.append("400")
        if not open_to_anyone:
            statuses += ["401", "403"]
        if in_path or "page" in in_query or in_query - NOT_FILTERS - filters:
            statuses.append("404")
        if self.method in WRITES and not open_to_anyone:
            statuses.append("409")
        if "requestBody" in operation:
            statuses.append("413")
        if self.view.get_throttles():
            statuses.append("429")
        statuses.append("503")  # kpu_polda.base.middleware.ApiErrorsMiddleware
        return statuses

    def _error_response(self, status: str) -> dict:
        component = self.resolve_serializer(ErrorSerializer, "response")
        return {"content": {"application/json": {"schema": component.ref}}, "description": ERRORS[status]}

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and not meta.get("nullable") and _reads_null(field):
            meta["nullable"] = True
        return meta


def _reads_null(field) -> bool:
    """Whether a serializer field can render None (beyond ``allow_null``)."""
    if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer
                  | serializers.SerializerMethodField):
        return False  # a list; a method's own type hint says whether it returns None
    if field.default is None:
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs:
        return False
    for attr in attrs:
        try:
            column = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False  # a property or method: nothing to read from the model
        if not column.concrete:
            return False  # a reverse relation: a list, or a field of its own
        if column.null:
            return True
        if not column.is_relation or column.related_model is None:
            return False
        model = column.related_model
    return False


class SchemaGenerator(generators.SchemaGenerator):
    def get_schema(self, request=None, public=False):
        with translation.override(SCHEMA_LANGUAGE):
            return _evaluated(super().get_schema(request=request, public=public))


def _evaluated(node):
    """The schema with its lazy strings turned into text while English is active (else the
    renderer would translate them later, in the request's language)."""
    if isinstance(node, dict):
        return {_evaluated(key): _evaluated(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return type(node)(_evaluated(item) for item in node)
    if isinstance(node, Promise):
        return force_str(node)
    return node
