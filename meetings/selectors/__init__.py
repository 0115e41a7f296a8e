"""Reads in meetings: scoped by the policy and bounded in queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from kpu_polda.base.queries import one_in_scope

from .. import policies
from ..models import ActionItem, AgendaItem, Invitation, Meeting


def meetings_for(user) -> QuerySet[Meeting]:
    return policies.scope_meetings(Meeting.objects.select_related("organiser", "co_organiser", "series"), user)


def meeting_get(user, pk: int) -> Meeting:
    """A meeting in the user's scope with its agenda, invitations and follow-ups: five
    queries whatever their number."""
    rows = meetings_for(user).select_related("chair", "notulis", "clause").prefetch_related(
        "stages",
        Prefetch("agenda", queryset=AgendaItem.objects.select_related("action_item", "risk")
                 .order_by("position", "id")),
        Prefetch("invitations", queryset=Invitation.objects.select_related("agency", "person")
                 .order_by("agency__name", "id")),
        Prefetch("action_items", queryset=ActionItem.objects.select_related("owner_agency", "owner")),
    )
    return one_in_scope(rows, gettext_lazy("Meeting"), pk=pk)


def action_items_for(user) -> QuerySet[ActionItem]:
    return policies.scope_action_items(ActionItem.objects.select_related("meeting", "owner_agency", "owner"), user)
