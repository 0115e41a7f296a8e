"""What the information exchange register tells people, always through the one outbox:
the receiving agency's writers of a new entry (RECEIVED), the sending agency's of an
answer (ANSWERED), once each (the dedupe key names the entry, the fact and the person).
An email of a restricted entry names its subject and classification and links to it,
never its content: an inbox is less safe than the app."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination import policies
from coordination.choices import RESTRICTED_CLASSIFICATIONS, Classification, ExchangeKind
from coordination.models import InformationExchange, User

from .notifications import Outgoing, notification_enqueue_many, notification_kind_register

RECEIVED = "exchange_received"
ANSWERED = "exchange_answered"
notification_kind_register(RECEIVED, gettext_lazy("Information request or sharing received"))
notification_kind_register(ANSWERED, gettext_lazy("Your information request answered"))


def exchange_url(entry: InformationExchange) -> str:
    return reverse("coordination:exchange-detail", args=[entry.pk])


def _writers_of(agency_id: int, actor: User) -> list[User]:
    """The active members with a writer role of an agency, the actor left out (nobody is
    told what they did themselves)."""
    return list(User.objects.filter(agency_id=agency_id, is_active=True, role__in=policies.WRITER_ROLES)
                .exclude(pk=actor.pk).order_by("pk"))


def _context(entry: InformationExchange) -> dict[str, Any]:
    # Codes, not labels: the composer turns them into words in the recipient's language.
    restricted = entry.classification in RESTRICTED_CLASSIFICATIONS
    return {"kind": entry.kind, "classification": entry.classification, "restricted": restricted,
            "subject": entry.subject, "sender": entry.from_agency.short_name,
            "receiver": entry.to_agency.short_name, "due": entry.response_due_on,
            "purpose": "" if restricted else entry.purpose, "answer": "" if restricted else entry.answer}


def _words(context: Mapping[str, Any]) -> dict[str, Any]:
    due = context["due"]
    return {**context, "kind": ExchangeKind(context["kind"]).label,
            "classification": Classification(context["classification"]).label,
            "due": date_format(due, "j F Y") if due else ""}


def received_message(context: Mapping[str, Any]) -> tuple[str, str]:
    words = _words(context)
    subject = _("%(kind)s from %(sender)s (%(classification)s): %(subject)s") % words
    lines = [_("%(sender)s sent your agency an entry of the information exchange register, classified "
               "%(classification)s: %(subject)s.") % words]
    if context["due"]:
        lines.append(_("It is to be answered by %(due)s.") % words)
    if context["restricted"]:
        lines.append(_("Its content is shown only in the app, to the two agencies and the secretariat."))
    else:
        lines.append(_("Purpose: %(purpose)s") % words)
    lines.append(_("Acknowledge it in the app."))
    return subject, "\n".join(lines)


def answered_message(context: Mapping[str, Any]) -> tuple[str, str]:
    words = _words(context)
    subject = _("%(receiver)s answered your request (%(classification)s): %(subject)s") % words
    lines = [_("%(receiver)s answered your agency's request, classified %(classification)s: %(subject)s.") % words]
    if context["restricted"]:
        lines.append(_("The answer is shown only in the app, to the two agencies and the secretariat."))
    else:
        lines.append(_("Answer: %(answer)s") % words)
    return subject, "\n".join(lines)


def notify(kind: str, entry: InformationExchange, agency_id: int, actor: User,
           composer: Callable[[Mapping[str, Any]], tuple[str, str]]) -> int:
    """Tell the writers of ``agency_id`` (not the actor) about ``entry``, inside the
    caller's transaction; returns how many notifications were written."""
    people = _writers_of(agency_id, actor)
    context, url = _context(entry), exchange_url(entry)
    items = [Outgoing(recipient=user, dedupe_key=f"{kind}:{entry.pk}:{user.pk}", context=context, target=entry,
                      url=url) for user in people]
    return notification_enqueue_many(kind=kind, template=composer, items=items)
