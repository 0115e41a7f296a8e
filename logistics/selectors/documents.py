"""The berita acara serah terima: what the hand-over record of an escort says, read once
for the print page and the PDF alike.

The record is an official document, and official documents are written in Indonesian
(UU 24/2009, pasal 27): its wording (the parties, the date in words) stays Indonesian
whatever the reader's UI language, and the item labels are taken in Indonesian too. Only
the page around it (buttons, links, the title) follows the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from num2words import num2words

from kpu_polda.base.exceptions import OutOfScope

from ..choices import HANDOVER_EVENTS, DiscrepancyStatus, EscortStatus, EventKind
from ..models import CustodyEvent, EscortRequest
from .escorts import escort_get

# An escort has a berita acara once the goods changed hands (and keeps it when closed).
DOCUMENTED_STATUSES = frozenset({EscortStatus.HANDED_OVER, EscortStatus.CLOSED})

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def date_in_words(day: date) -> str:
    """The opening of a berita acara for ``day``, in words, as Indonesian documents write
    it: "Pada hari ini Selasa tanggal tiga belas bulan Februari tahun dua ribu dua puluh
    empat"."""
    return (f"Pada hari ini {DAYS[day.weekday()]} tanggal {num2words(day.day, lang='id')} "
            f"bulan {MONTHS[day.month - 1]} tahun {num2words(day.year, lang='id')}")


def time_in_words(moment: datetime) -> str:
    """The hour of ``moment`` in WITA as Indonesian documents write it: "pukul 14.30 WITA"."""
    local = timezone.localtime(moment)
    return f"pukul {local:%H.%M} WITA"


@dataclass(frozen=True)
class Party:
    """One side of the hand-over: who signed, in which role, for which agency. The first
    party (the escort) also names its commander."""

    name: str
    acting_as: str
    agency: str
    commander_name: str = ""
    commander_nrp: str = ""


@dataclass(frozen=True)
class HandedItem:
    """One line of the goods handed over: the count both parties agreed (None when the
    hand-over counted no such item), against what was sent."""

    kind: str
    label: str
    counted: int | None
    sent: int
    unit: str
    seals: list[str]
    box_label: str


@dataclass(frozen=True)
class OpenDiscrepancy:
    item: str
    reason: str
    expected: int | None
    counted: int | None
    description: str


@dataclass(frozen=True)
class BeritaAcara:
    """The hand-over record of one escort, ready to print."""

    escort: EscortRequest
    number: str
    first: Party
    second: Party
    items: list[HandedItem]
    witnesses: list[str]
    place: str
    moment: datetime
    date_words: str
    time_words: str
    discrepancies: list[OpenDiscrepancy] = field(default_factory=list)

    @property
    def filename(self) -> str:
        """The PDF's file name: the number, with its slashes (not allowed in names) as dashes."""
        return f"{self.number.replace('/', '-')}.pdf"


def document_number(escort: EscortRequest) -> str:
    return f"BA/{escort.number}"


def _party(event: CustodyEvent | None) -> tuple[str, str, str]:
    if event is None:
        return "", "", ""
    agency = event.actor_agency
    return event.signer_name, event.acting_as, (agency.name if agency is not None else "")


def _witnesses(text: str) -> list[str]:
    """Witnesses as the custodian wrote them: one per line, or separated by commas or semicolons."""
    return [name.strip() for name in text.replace(";", "\n").replace(",", "\n").splitlines() if name.strip()]


def berita_acara_for(user, pk) -> BeritaAcara:
    """The berita acara of escort ``pk`` as ``user`` may read it: OutOfScope (read as 404)
    when the escort is missing, outside the user's region, or not yet handed over.

    The parties are the latest confirmation of each side of the hand-over (the ones that
    agreed); the counts are theirs. Four queries: the escort, its hand-over events, its
    items, its open discrepancies.
    """
    escort = escort_get(user, pk)
    if escort.status not in DOCUMENTED_STATUSES:
        raise OutOfScope(_("No berita acara yet: the goods have not been handed over."))
    latest: dict[str, CustodyEvent] = {}
    for event in (escort.events.filter(kind__in=HANDOVER_EVENTS).select_related("actor_agency")
                  .order_by("sequence")):
        latest[event.kind] = event
    sender, receiver = latest.get(EventKind.HANDOVER_ESCORT), latest.get(EventKind.HANDOVER_RECEIPT)
    counted = (receiver or sender).count_by_item if (receiver or sender) else {}
    moment = escort.handed_over_at or (receiver.recorded_at if receiver else escort.updated_at)
    with translation.override("id"):
        items = [HandedItem(kind=item.kind, label=str(item.get_kind_display()), counted=counted.get(item.pk),
                            sent=item.quantity, unit=item.unit, seals=item.seals, box_label=item.box_label)
                 for item in escort.items.all()]
        discrepancies = [
            OpenDiscrepancy(item=str(row.item.get_kind_display()) if row.item else "",
                            reason=str(row.get_reason_display()), expected=row.expected, counted=row.counted,
                            description=row.description)
            for row in escort.discrepancies.filter(status=DiscrepancyStatus.OPEN).select_related("item")
            .order_by("created_at", "id")]
    name, acting_as, agency = _party(sender)
    if not agency and escort.assigned_unit is not None:
        agency = escort.assigned_unit.name
    first = Party(name=name, acting_as=acting_as, agency=agency, commander_name=escort.commander_name,
                  commander_nrp=escort.commander_nrp)
    second = Party(*_party(receiver))
    return BeritaAcara(
        escort=escort, number=document_number(escort), first=first, second=second, items=items,
        witnesses=_witnesses(receiver.witnesses if receiver else ""), place=escort.destination_name,
        moment=moment, date_words=date_in_words(timezone.localtime(moment).date()),
        time_words=time_in_words(moment), discrepancies=discrepancies,
    )
