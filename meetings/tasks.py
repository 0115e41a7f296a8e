from celery import shared_task

from . import services
from .models import MeetingSeries


@shared_task
def extend_series() -> int:
    """Daily: create each active series' meetings that came within its horizon (with their
    invitations and reminders). Idempotent, so a retried task or a doubled beat creates
    nothing twice. Returns the meetings created."""
    created = 0
    for series in MeetingSeries.objects.filter(active=True).select_related("organiser", "co_organiser", "created_by"):
        created += len(services.series_extend(series=series))
    return created
