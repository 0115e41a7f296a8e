"""Shared bases of the secretariat's admin: every list goes through the same policy as
pages and API."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coordination import policies
from coordination.views.files import stored_file_url
from kpu_polda.base.exceptions import DomainError
from kpu_polda.base.files import delete_after_commit, validate_pdf
from kpu_polda.base.history import HistoryContextHelper, reason_display
from kpu_polda.base.templatetags.moments import moment_text


class ScopedChoices:
    """Choices of foreign-key and many-to-many fields scoped by the app's policy, for
    model admins and inlines alike: ``choice_scopes`` maps a field name to the policy
    scoping its choices. A value outside them fails the form's validation."""

    choice_scopes: dict = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = self.choice_scopes.get(db_field.name)
        if scope is not None:
            kwargs["queryset"] = scope(db_field.remote_field.model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        scope = self.choice_scopes.get(db_field.name)
        if scope is not None:
            kwargs["queryset"] = scope(db_field.remote_field.model.objects.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedChoices):
    """An inline whose choices are scoped like its parent's (mix in before the inline)."""


class StatusChangeInline:
    """The status trail of a workflow's row, read-only: moves go through its service."""

    extra = 0
    can_delete = False
    fields = ["changed_at_wita", "changed_by", "from_status", "to_status", "reason"]
    readonly_fields = fields

    @admin.display(description=_("changed at"))
    def changed_at_wita(self, obj):
        return moment_text(obj.changed_at) if obj.changed_at else "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScopedAdmin(ScopedChoices, SimpleHistoryAdmin):
    """Admin for the secretariat only, limited to its region, with the history view.

    Reads follow ``scope`` (the app's policy). Writes follow ``code_of`` (the region code
    an object belongs to): only inside the secretariat's own subtree, re-checked after the
    form is applied so an object cannot be moved out of it. Foreign-key and many-to-many
    choices are scoped the same way (``choice_scopes``). A workflow's status is never an
    editable field here (``workflow_fields`` are read-only): it moves through the
    workflow's service, from the page, the API or an admin action.
    """

    scope = None
    code_of = None
    workflow_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.workflow_fields]

    def get_queryset(self, request):
        return type(self).scope(super().get_queryset(request), request.user)

    def _in_scope(self, request, object_id) -> bool:
        return self.get_queryset(request).filter(pk=object_id).exists()

    def history_view(self, request, object_id, extra_context=None):
        # simple-history looks the object up itself; without this a foreign id would show.
        if not self._in_scope(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._in_scope(request, object_id):
            raise Http404
        # Reverting is off (SIMPLE_HISTORY_REVERT_DISABLED), but simple-history's version
        # view still saves a POST, around the services and their checks: a past version is
        # shown, never saved.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        # The history list shows the reason with labels (templates/simple_history/).
        for record in historical_records:
            record.reason_shown = reason_display(self.model, record.history_change_reason)

    def save_model(self, request, obj, form, change):
        if not policies.can_change_in_admin(request.user, type(self).code_of(obj)):
            raise PermissionDenied
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.can_use_admin(request.user)

    def has_add_permission(self, request):
        return policies.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policies.can_use_admin(request.user)
        return policies.can_change_in_admin(request.user, type(self).code_of(obj))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ReferenceDataAdmin(ScopedAdmin):
    """Regions and elections: corrected only by a province-level secretariat."""

    def has_add_permission(self, request):
        return policies.can_edit_reference_data(request.user)

    def has_change_permission(self, request, obj=None):
        return policies.can_edit_reference_data(request.user)

    def save_model(self, request, obj, form, change):
        if not policies.can_edit_reference_data(request.user):
            raise PermissionDenied
        obj._history_user = request.user
        super(ScopedAdmin, self).save_model(request, obj, form, change)


def _unscoped(qs, user):
    return qs if policies.scope_code(user) is not None else qs.none()


class _StoredFile(str):
    """What the admin's file widget shows for a stored file: its name (a string, so an
    unchanged field saves the same name back), linked to the view that checks the scope
    rather than to MEDIA_URL."""

    url: str

    def __new__(cls, name: str, url: str):
        value = super().__new__(cls, name)
        value.url = url
        return value


class PdfUploadForm(forms.ModelForm):
    """Admin forms whose file fields accept only PDF (checked by content), like the pages.
    A new upload (or clearing the field) deletes the file it replaces after the commit."""

    pdf_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored = {name: getattr(self.instance, name).name for name in self.pdf_fields}
        if self.instance.pk:
            for name, stored in self._stored.items():
                if stored:
                    self.initial[name] = _StoredFile(stored, stored_file_url(self.instance))

    def save(self, commit=True):
        obj = super().save(commit)
        for name, old in self._stored.items():
            delete_after_commit(old, getattr(obj, name).name or "")
        return obj

    def clean(self):
        cleaned = super().clean()
        for name in self.pdf_fields:
            upload = cleaned.get(name)
            if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
                try:
                    validate_pdf(upload)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned



def never(self, request, obj=None) -> bool:
    return False


class ReadOnly:
    """Rows the admin shows and never writes (inlines and changelists alike): the services
    alone write them (a past version is never saved either: ScopedAdmin)."""

    can_delete = False
    has_add_permission = has_change_permission = has_delete_permission = never


class Refused(Exception):
    """A service refused the save: its message is told, the admin's transaction undone."""


def refusal_text(exc: Exception) -> str:
    """What a service's refusal says, for a message."""
    return str(exc.message if isinstance(exc, DomainError) else "; ".join(exc.messages))


class ServiceSaves:
    """Model admins whose saves are service calls. A refusal is told as a message and undoes
    the whole save: it leaves the admin's transaction as an exception (rolled back), so no
    change log and no "changed successfully" follow, and the form is shown again."""

    def _attempt(self, request, call):
        """``call()``'s result; a refusal is told and ends the save."""
        try:
            return call()
        except (DomainError, ValidationError) as exc:
            messages.error(request, refusal_text(exc))
            raise Refused from exc

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused:
            return HttpResponseRedirect(request.path)
