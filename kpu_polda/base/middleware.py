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
