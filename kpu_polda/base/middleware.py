import logging

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

from kpu_polda.base.exceptions import OutOfScope, PermissionDenied

logger = logging.getLogger(__name__)


class DomainErrorPagesMiddleware:
    """Pages answer an out-of-scope object with the ordinary 404 page (the same as a
    missing one) and a refused action with the 403 page. The API has its own handler."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OutOfScope):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        return None


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Pages are Indonesian unless the user chose English with the language switch.

    Many phones and browsers in Indonesia announce English, so a page does not follow
    Accept-Language; the API does, so a script can ask for English messages. A link from
    a page into the API (a CSV export) carries the page's language as ``?lang=``, which
    wins over Accept-Language, so the file's headings are in the language of the page.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            asked = request.GET.get("lang")
            if asked in dict(settings.LANGUAGES):
                translation.activate(asked)
                request.LANGUAGE_CODE = translation.get_language()
                return None
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


class ApiErrorsMiddleware:
    """Under /api/ every error answers in the API's one format, ``{"code", "detail"}``,
    whatever raised it and wherever.

    - A body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused before anything reads it (413).
      Multipart bodies are left to Django's own check, which does not count uploaded files
      against that limit (the CSV imports have a limit of their own).
    - The database or the cache (Redis) unreachable: 503 ``unavailable``, with Retry-After;
      logged as an error.
    - A value the database refuses (DataError: out of range, too long): 400 ``invalid``.
    - Any other error page Django renders (an unknown URL, a 500, Django's own 400 for a
      suspicious request) is answered as JSON with the same status.

    Responses DRF rendered are left alone: they already are in the format, or in the
    browsable form the client asked for.
    """

    PREFIX = "/api/"
    CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
             405: "method_not_allowed", 413: "too_large", 500: "server_error", 503: "unavailable"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        too_large = self._too_large(request)
        if too_large is not None:
            return too_large
        response = self.get_response(request)
        if response.status_code >= 400 and not self._formatted(response):
            return self._as_json(response)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(self.PREFIX):
            return None
        from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
        from django.db import DataError, InterfaceError, OperationalError

        if isinstance(exception, RequestDataTooBig):
            return self._too_large_response()
        if isinstance(exception, (OperationalError, InterfaceError, *cache_errors())):
            logger.error("API request failed: a backing service is unreachable", exc_info=exception)
            response = _json(503, "unavailable", _("The service is temporarily unavailable; try again shortly."))
            response["Retry-After"] = "30"
            return response
        if isinstance(exception, DataError):
            logger.warning("API input refused by the database", exc_info=exception)
            return _json(400, "invalid", _("Invalid input."))
        if isinstance(exception, SuspiciousOperation):
            # Logged as Django logs it when it renders the 400 itself.
            logging.getLogger(f"django.security.{exception.__class__.__name__}").error(str(exception))
            return _json(400, "bad_request", _("The request could not be read."))
        return None

    def _too_large(self, request):
        if request.content_type == "multipart/form-data":
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        return self._too_large_response() if limit is not None and length > limit else None

    @staticmethod
    def _too_large_response():
        return _json(413, "too_large", _("The request body is larger than %(size)s KiB.")
                     % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024})

    @staticmethod
    def _formatted(response) -> bool:
        from rest_framework.response import Response

        return isinstance(response, Response) or getattr(response, "streaming", False) or \
            response.get("Content-Type", "").startswith("application/json")

    def _as_json(self, response):
        status = response.status_code
        messages = {404: _("Not found."), 405: _("Method not allowed."), 400: _("The request could not be read."),
                    403: _("You do not have permission to perform this action.")}
        detail = messages.get(status, _("Server error.") if status >= 500 else _("The request could not be read."))
        answer = _json(status, self.CODES.get(status, "server_error" if status >= 500 else "error"), detail)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                answer[header] = response[header]
        return answer


def _json(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail)}, status=status)


def cache_errors() -> tuple[type[BaseException], ...]:
    """The exception classes of an unreachable cache (Redis)."""
    try:
        from redis.exceptions import RedisError
    except ImportError:  # no Redis client installed: the file or memory cache cannot be "down"
        return ()
    return (RedisError,)
