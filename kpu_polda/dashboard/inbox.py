""""Needs my action": one inbox of everything waiting on the signed-in person, across
the apps. Each app's selectors say what waits (logistics.selectors.inbox,
meetings.selectors.inbox, coordination.selectors.exchange and .facilities); this module
only turns their rows into items with a link, and a button where one press does it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.choices import ExchangeKind, ExchangeStatus
from coordination.selectors.exchange import exchanges_awaiting, is_overdue
from coordination.selectors.facilities import bookings_awaiting_decision
from kpu_polda.base import clock
from logistics.choices import EscortStatus, Side
from logistics.policies import side_of
from logistics.selectors.inbox import discrepancies_awaiting, escorts_awaiting
from meetings.selectors.inbox import action_items_due, minutes_awaiting_approval

# Items read per section: the inbox stays one short query per section whatever waits,
# and a section with more links to its full list.
SECTION_LIMIT = 10


@dataclass(frozen=True)
class Button:
    """A one-press form: POST ``url`` with ``fields`` (the page adds the CSRF token)."""

    label: str
    url: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    what: str           # what to do, in a few words
    title: str          # what it is about
    url: str            # the page where it is done
    due: date | datetime | None = None
    overdue: bool = False
    button: Button | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[Item]
    more: bool          # more than SECTION_LIMIT wait
    list_url: str


@dataclass(frozen=True)
class Inbox:
    sections: list[Section]

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def more(self) -> bool:
        return any(section.more for section in self.sections)


# --- each app's rows as items ----------------------------------------------------------

# The escort step each party takes next, by status (logistics.choices.ESCORT_STEPS).
ESCORT_NEXT = {
    Side.POLICE: {EscortStatus.SUBMITTED: ("accept", gettext_lazy("Accept the escort request")),
                  EscortStatus.ACCEPTED: ("assign", gettext_lazy("Assign the escort")),
                  EscortStatus.ASSIGNED: ("depart", gettext_lazy("Confirm departure")),
                  EscortStatus.DEPARTED: ("arrive", gettext_lazy("Confirm arrival")),
                  EscortStatus.ARRIVED: ("handover-escort", gettext_lazy("Confirm the hand-over"))},
    Side.KPU: {EscortStatus.ARRIVED: ("handover-receipt", gettext_lazy("Confirm receipt")),
               EscortStatus.HANDED_OVER: ("close", gettext_lazy("Close the escort"))},
}
# Steps a press does with nothing to fill in (the others need counts, seals or a team).
ONE_PRESS_STEPS = {"accept", "close"}
CONFIRMATION_STEPS = {"depart", "arrive", "handover-escort", "handover-receipt"}


def _escorts(user, home: str) -> tuple[list[Item], bool]:
    side = side_of(user)
    items = []
    rows, more = _first(escorts_awaiting(user))
    for escort in rows:
        action, what = ESCORT_NEXT.get(side, {}).get(escort.status, (None, None))
        if action is None:
            continue
        detail = reverse("logistics:escort-detail", args=[escort.pk])
        url = reverse("logistics:escort-confirm", args=[escort.pk, action]) if action in CONFIRMATION_STEPS \
            else detail
        button = Button(str(what), reverse("logistics:escort-step", args=[escort.pk, action]), {"back": "home"}) \
            if action in ONE_PRESS_STEPS else None
        title = f"{escort.number}: {escort.origin_region.name} → {escort.destination_region.name}"
        items.append(Item(str(what), title, url, escort.planned_departure, escort.late, button))
    return items, more


def _discrepancies(user, home: str) -> tuple[list[Item], bool]:
    rows, more = _first(discrepancies_awaiting(user))
    return [Item(_("Resolve the discrepancy"), f"{row.escort.number}: {row.get_reason_display()}",
                 reverse("logistics:escort-detail", args=[row.escort_id]) + "#discrepancies")
            for row in rows], more


def _minutes(user, home: str) -> tuple[list[Item], bool]:
    rows, more = _first(minutes_awaiting_approval(user))
    return [Item(_("Approve the minutes"), row.meeting.title, reverse("meetings:minutes", args=[row.meeting_id]),
                 row.submitted_at) for row in rows], more


def _action_items(user, home: str) -> tuple[list[Item], bool]:
    rows, more = _first(action_items_due(user))
    today = clock.today()
    return [Item(_("Follow-up due"), row.title, reverse("meetings:action-detail", args=[row.pk]), row.due_on,
                 row.due_on < today) for row in rows], more


def _exchanges(user, home: str) -> tuple[list[Item], bool]:
    rows, more = _first(exchanges_awaiting(user))
    items = []
    for entry in rows:
        detail = reverse("coordination:exchange-detail", args=[entry.pk])
        if entry.status == ExchangeStatus.SENT:
            what = _("Acknowledge the information request") if entry.kind == ExchangeKind.REQUEST \
                else _("Acknowledge the information received")
            button = Button(_("Acknowledge"), reverse("coordination:exchange-acknowledge", args=[entry.pk]),
                            {"next": home})
        else:
            what, button = _("Answer the information request"), None
        items.append(Item(what, f"{entry.from_agency}: {entry.subject}", detail, entry.response_due_on,
                          is_overdue(entry), button))
    return items, more


def _bookings(user, home: str) -> tuple[list[Item], bool]:
    rows, more = _first(bookings_awaiting_decision(user))
    items = []
    for booking in rows:
        start = timezone.localtime(booking.starts_at)
        items.append(Item(_("Decide on the facility booking"),
                          f"{booking.facility.name}: {booking.requester}, {start:%d-%m-%Y %H:%M}",
                          reverse("coordination:booking-detail", args=[booking.pk]), booking.starts_at, False,
                          Button(_("Approve"), reverse("coordination:booking-approve", args=[booking.pk]),
                                 {"next": home})))
    return items, more


def _first(rows: QuerySet) -> tuple[list, bool]:
    rows = list(rows[:SECTION_LIMIT + 1])
    return rows[:SECTION_LIMIT], len(rows) > SECTION_LIMIT


SECTIONS: list[tuple[str, object, Callable, str]] = [
    ("escorts", gettext_lazy("Escorts"), _escorts, "logistics:escort-list"),
    ("discrepancies", gettext_lazy("Discrepancies"), _discrepancies, "logistics:escort-list"),
    ("minutes", gettext_lazy("Minutes to approve"), _minutes, "meetings:meeting-list"),
    ("action_items", gettext_lazy("Follow-ups"), _action_items, "meetings:my-actions"),
    ("exchanges", gettext_lazy("Information exchange"), _exchanges, "coordination:exchange-list"),
    ("bookings", gettext_lazy("Facility bookings"), _bookings, "coordination:booking-list"),
]


def inbox_for(user) -> Inbox:
    """Everything waiting on ``user``, section by section (empty sections left out): a
    fixed number of queries, one per section, whatever waits."""
    home = reverse("home")
    sections = []
    for key, title, build, list_name in SECTIONS:
        items, more = build(user, home)
        if items:
            sections.append(Section(key, str(title), items, more, reverse(list_name)))
    return Inbox(sections)
