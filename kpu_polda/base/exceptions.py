"""The one tree of domain errors. Services raise these; the API maps them to status codes
(kpu_polda.base.drf.exception_handler) and pages show their message."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the field refused the request. ``code`` is stable for machines."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class OutOfScope(DomainError):
    """The object lies outside the actor's region or role: shown as 'not found'."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The actor may see the object but not make this change."""

    code = "permission_denied"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, stale, already done)."""

    code = "conflict"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


class ImportRejected(DomainError):
    """A whole import was refused; ``errors`` lists each bad row (line number, message)."""

    code = "import_rejected"

    def __init__(self, message: str, errors: list[tuple[int, str]]):
        super().__init__(message)
        self.errors = errors
