from celery import shared_task
from django.core.management import call_command


@shared_task
def housekeeping() -> None:
    """Nightly: delete expired sessions (Django's own command does exactly this)."""
    call_command("clearsessions")
