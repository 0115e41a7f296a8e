"""Facilities and bookings built through their services, and the province's agreement with
the police-facilities clause they carry out. Times are WITA days ahead of the app's clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from coordination.models import Clause, Facility, FacilityBooking
from coordination.services import facilities as services
from kpu_polda.base import clock
from tests.factories import agreement

# Who records a facility of which agency, who requests for which office (the conftest's
# personas and agencies).
OFFICERS = {"polda": "province_police", "polresta": "samarinda_police"}
REQUESTERS = {"kpu_samarinda": "samarinda_operator", "kpu": "province_staff", "kpu_balikpapan": "balikpapan_operator"}


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """``days`` after today (WITA, on the app's clock) at ``hour``:``minute`` WITA."""
    day = clock.today() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def facility_clause(tree) -> Clause:
    """The province's active agreement with its police-facilities clause: every request
    answered within 72 hours."""
    pks = agreement(tree["kaltim"], status="active", code="pks-sarpras")
    return Clause.objects.create(agreement=pks, number=7, title="Penggunaan sarana dan prasarana", text="...",
                                 category="police_facilities", expectation_kind="within_hours",
                                 evidence_kind="facility_use", expectation_value=72)


def facility(tree, agencies, personas, *, owner="polda", name="Aula Mapolda Kaltim", region="sam_kec",
             kind="hall", capacity=300, capacity_unit="orang", **extra) -> Facility:
    """A facility of ``owner`` (an agency key) recorded by its officer, standing in
    ``region`` (a key of the conftest's tree)."""
    return services.facility_create(actor=personas[OFFICERS[owner]], owner=agencies[owner], name=name, kind=kind,
                                    region=tree[region], capacity=capacity, capacity_unit=capacity_unit, **extra)


def booking(hall, agencies, personas, *, requester="kpu_samarinda", starts=None, ends=None, status="requested",
            purpose="Rapat pleno", participants=None, actor=None) -> FacilityBooking:
    """A booking of ``hall`` requested for ``requester`` (an agency key), tomorrow 08:00 to
    12:00 WITA unless told, then moved to ``status`` by the owner's officer (approved,
    rejected) or the requester (cancelled)."""
    starts = starts or at(1, 8)
    ends = ends or starts + timedelta(hours=4)
    asker = actor or personas[REQUESTERS[requester]]
    row = services.booking_request(actor=asker, facility=hall, starts_at=starts, ends_at=ends, purpose=purpose,
                                   participants=participants, requester=agencies[requester])
    owner = personas[OFFICERS["polda" if hall.owner.code == "polda-kaltim" else "polresta"]]
    if status == "approved":
        row = services.booking_approve(actor=owner, booking=row)
    elif status == "rejected":
        row = services.booking_reject(actor=owner, booking=row, reason="Dipakai kegiatan internal")
    elif status == "cancelled":
        row = services.booking_cancel(actor=asker, booking=row, reason="Acara ditunda")
    return row
