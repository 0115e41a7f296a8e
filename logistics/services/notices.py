"""What logistics tells people, always through the one outbox (coordination's
notification services): discrepancies, severe incidents and SLA alerts, each to both
agencies of the escort, once (the dedupe key names the fact and the recipient)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from coordination import services as ground
from coordination.models import User

from ..models import CustodyEvent, Discrepancy, EscortRequest

DISCREPANCY = "logistics.discrepancy"
INCIDENT = "logistics.incident"
ALERT = "logistics.sla"


def recipients_of(escorts: Iterable[EscortRequest]) -> dict[int, list[User]]:
    """The people told about each escort: the active members of the requesting KPU office,
    of the police unit with jurisdiction and of the escorting unit. One query."""
    escorts = list(escorts)
    agencies = {a for e in escorts for a in (e.requested_by_id, e.police_unit_id, e.assigned_unit_id) if a}
    members: dict[int, list[User]] = {}
    for user in User.objects.filter(agency_id__in=agencies, is_active=True).order_by("pk"):
        members.setdefault(user.agency_id, []).append(user)
    result = {}
    for escort in escorts:
        units = dict.fromkeys(a for a in (escort.requested_by_id, escort.police_unit_id, escort.assigned_unit_id) if a)
        result[escort.pk] = [user for unit in units for user in members.get(unit, [])]
    return result


def escort_url(escort: EscortRequest) -> str:
    return reverse("logistics:escort-detail", args=[escort.pk])


def _discrepancy_message(context: Mapping[str, Any]) -> tuple[str, str]:
    subject = _("Discrepancy on escort %(number)s: %(reason)s") % context
    body = _("A discrepancy was found on escort %(number)s (%(route)s): %(reason)s. %(detail)s\n"
             "It stays open until the KPU resolves it.") % context
    return subject, body


def _incident_message(context: Mapping[str, Any]) -> tuple[str, str]:
    subject = _("Incident on escort %(number)s: %(type)s (%(severity)s)") % context
    body = _("An incident was reported on escort %(number)s (%(route)s): %(type)s, severity %(severity)s.\n"
             "%(note)s") % context
    return subject, body


def _discrepancy_context(escort: EscortRequest, row: Discrepancy) -> dict[str, Any]:
    detail = row.description
    if row.expected is not None:
        detail = _("Sent %(expected)s, counted %(counted)s.") % {"expected": row.expected, "counted": row.counted}
    # Labels are rendered in the recipient's language by the outbox (the composer runs there).
    return {"number": escort.number, "route": escort.route, "reason": row.get_reason_display(), "detail": detail}


def notify_discrepancies(escort: EscortRequest, rows: list[Discrepancy]) -> int:
    """Tell both agencies of each newly opened discrepancy (inside the caller's transaction)."""
    people = recipients_of([escort])[escort.pk]
    items = [ground.Outgoing(recipient=user, dedupe_key=f"{DISCREPANCY}:{row.pk}:{user.pk}",
                             context=_LazyContext(_discrepancy_context, escort, row), target=row,
                             url=escort_url(escort))
             for row in rows for user in people]
    return ground.notification_enqueue_many(kind=DISCREPANCY, template=_discrepancy_message, items=items)


def notify_incident(escort: EscortRequest, event: CustodyEvent) -> int:
    """Tell both agencies of a severe incident at once."""
    people = recipients_of([escort])[escort.pk]

    def context(escort=escort, event=event):
        return {"number": escort.number, "route": escort.route, "type": event.get_incident_type_display(),
                "severity": event.get_severity_display(), "note": event.note}

    items = [ground.Outgoing(recipient=user, dedupe_key=f"{INCIDENT}:{event.pk}:{user.pk}",
                             context=_LazyContext(lambda: context()), target=escort, url=escort_url(escort))
             for user in people]
    return ground.notification_enqueue_many(kind=INCIDENT, template=_incident_message, items=items)


class _LazyContext(Mapping):
    """A message context computed when the outbox renders it, in the recipient's
    language, so choice labels come out in Indonesian or English as the person reads."""

    def __init__(self, build, *args):
        self._build, self._args = build, args

    def _values(self) -> dict[str, Any]:
        return self._build(*self._args)

    def __getitem__(self, key):
        return self._values()[key]

    def __iter__(self):
        return iter(self._values())

    def __len__(self):
        return len(self._values())
