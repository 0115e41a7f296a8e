from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views import defaults

from kpu_polda.base.exceptions import OutOfScope, PermissionDenied


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
    Accept-Language; the API does, so a script can ask for English messages.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
