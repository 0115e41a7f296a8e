from django.contrib import admin

from coordination.admin.base import ReadOnly, ScopedAdmin

from .models import ImportJob
from .policies import scope_import_jobs


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly, ScopedAdmin):
    """Jobs are started by an upload and moved by the worker: the admin only shows them."""

    scope = staticmethod(scope_import_jobs)
    list_display = ["id", "kind", "file_name", "status", "created_by", "created", "updated", "unchanged",
                    "error_count", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["created_by"]
    search_fields = ["file_name"]
