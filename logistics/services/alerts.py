"""The SLA check of escorts: requests not accepted in time, escorts not departed at the
planned time, escorts not arrived by the planned arrival plus the grace. Each condition
is raised once per escort (an EscortAlert row) and told to both agencies of the escort
through the one outbox."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination import services as ground
from kpu_polda.base import clock

from ..choices import AlertCondition
from ..models import EscortAlert, EscortRequest
from ..selectors import overdue
from .notices import ALERT, escort_url, recipients_of

# Escorts handled per statement: bounded IN lists and inserts, whatever the backlog.
CHUNK = 500
# What the messages and the recipients' lists need of an escort, and nothing more.
FIELDS = ["id", "number", "origin_name", "destination_name", "planned_departure", "planned_arrival",
          "requested_by_id", "police_unit_id", "assigned_unit_id"]


def _conditions(now: datetime) -> list[tuple[str, Q]]:
    return [
        (AlertCondition.NOT_ACCEPTED, overdue.not_accepted_q(now)),
        (AlertCondition.NOT_DEPARTED, overdue.not_departed_q(now)),
        (AlertCondition.NOT_ARRIVED, overdue.not_arrived_q(now)),
    ]


def escort_sla_check(*, now: datetime | None = None) -> int:
    """Raise every SLA condition newly met (at ``now``, default the app's clock) and tell
    the requesting KPU office, the police unit with jurisdiction and the escorting unit.

    Each (escort, condition) is raised once: the alert row's unique constraint holds it
    against a second run, a retried task or two beats at once, and the notices' dedupe
    keys (alert and recipient) hold the outbox. Set-based: per condition and CHUNK escorts
    a fixed number of queries, whatever the number of escorts. Writes only alert and
    outbox rows, which carry no history, so it names no actor. Returns the number of
    alerts raised.
    """
    now = now or clock.now()
    raised = 0
    for condition, due in _conditions(now):
        already = EscortAlert.objects.filter(escort=OuterRef("pk"), condition=condition)
        rows = EscortRequest.objects.filter(due).filter(~Exists(already)).only(*FIELDS).order_by("pk")
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last)[:CHUNK])
            if batch:
                raised += _raise(condition, batch, now)
                last = batch[-1].pk
            if len(batch) < CHUNK:
                break
    return raised


def _raise(condition: str, escorts: list[EscortRequest], now: datetime) -> int:
    """Insert the alerts of ``escorts`` and notify those this run inserted, in one
    transaction: a notice exists only if its alert does, and an alert only with its notices."""
    by_pk = {escort.pk: escort for escort in escorts}
    with transaction.atomic():
        EscortAlert.objects.bulk_create([EscortAlert(escort_id=pk, condition=condition, raised_at=now)
                                         for pk in by_pk], ignore_conflicts=True)
        # ignore_conflicts returns no keys: the rows of this run are those stamped with its
        # moment (a concurrent run inserted the others and tells their people itself).
        new = list(EscortAlert.objects.filter(escort_id__in=list(by_pk), condition=condition, raised_at=now))
        if not new:
            return 0
        people = recipients_of([by_pk[alert.escort_id] for alert in new])
        items = [
            ground.Outgoing(recipient=user, dedupe_key=f"{ALERT}:{alert.pk}:{user.pk}",
                            context=_context(by_pk[alert.escort_id], condition), target=by_pk[alert.escort_id],
                            url=escort_url(by_pk[alert.escort_id]))
            for alert in new for user in people[alert.escort_id]
        ]
        ground.notification_enqueue_many(kind=ALERT, template=_alert_message, items=items)
    return len(new)


def _context(escort: EscortRequest, condition: str) -> dict[str, Any]:
    return {"number": escort.number, "route": escort.route, "condition": condition,
            "departure": escort.planned_departure, "arrival": escort.planned_arrival}


def _moment(value: datetime) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M} WITA"


def _alert_message(context: Mapping[str, Any]) -> tuple[str, str]:
    """The notice of one alert, written in the recipient's language (the outbox calls it
    under their language)."""
    values = {"number": context["number"], "route": context["route"],
              "condition": AlertCondition(context["condition"]).label,
              "departure": _moment(context["departure"]), "arrival": _moment(context["arrival"])}
    subject = _("Escort %(number)s: %(condition)s") % values
    if context["condition"] == AlertCondition.NOT_ACCEPTED:
        body = _("Escort request %(number)s (%(route)s), planned to depart %(departure)s, has not been accepted "
                 "by the police within the time the agreement sets.")
    elif context["condition"] == AlertCondition.NOT_DEPARTED:
        body = _("Escort %(number)s (%(route)s) was planned to depart %(departure)s and no departure has been "
                 "confirmed.")
    else:
        body = _("Escort %(number)s (%(route)s) was planned to arrive %(arrival)s and no arrival has been "
                 "confirmed.")
    return subject, body % values
