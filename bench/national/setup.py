"""The national bench's people and meetings, made in a child process with Django set up.

The agencies and their staff are the bench's own rows, written in bulk (as
bench/reminder_drain.py writes its people): a KPU office and a Polda per province, a KPU
office and a Polres per kab/kota outside Kaltim (Kaltim's come from the demo), and bench
staff in every KPU kab/kota and Polres. The month of meetings goes through the meetings
services, with their invitations and planned reminders.
"""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

from bench.national.report import emit

NATIONAL_USER = "kpu.ri"  # the whole-country user
REGENCY_USER = "kpu.samarinda"  # the demo's kab/kota user
KPU_STAFF, POLICE_STAFF = 3, 2  # bench staff per KPU kab/kota and per Polres
# February 2024, the month of voting day: planned on 29 January, a weekly coordination
# meeting of every KPU kab/kota with its Polres from 1 February.
PLANNED_ON = "2024-01-29T08:00+08:00"
FIRST_MEETING = "2024-02-01T09:00+08:00"


def national_user() -> str:
    """The whole-country user: a superuser with no agency. An agency's jurisdiction is a
    required region and the region tree has no country node, so a superuser is the only
    account whose scope (coordination.policies.scope_code) is the whole country."""
    from coordination.choices import Role
    from coordination.models import User

    user, created = User.objects.get_or_create(username=NATIONAL_USER, defaults={
        "first_name": "Bench KPU RI", "role": Role.KPU_STAFF, "is_superuser": True, "email": "kpu.ri@bench.example"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user.username


def agencies() -> None:
    """KPU offices and police units for the regions outside Kaltim, and bench staff."""
    from coordination import services
    from coordination.choices import AgencyKind, RegionLevel, Role
    from coordination.models import Agency, Region, User
    from kpu_polda.base.history import bulk_create_with_history

    began = time.perf_counter()
    actor = services.system_actor()
    have = set(Agency.objects.values_list("jurisdiction__code", "kind"))
    regions = list(Region.objects.filter(level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]).defer("boundary")
                   .order_by("code"))
    police = [Agency(code=f"polri-{r.code.replace('.', '-')}", kind=AgencyKind.POLRI, jurisdiction=r,
                     name=f"{'Polda' if r.level == RegionLevel.PROVINCE else 'Polres'} {r.name}",
                     short_name=f"{'Polda' if r.level == RegionLevel.PROVINCE else 'Polres'} {r.name}"[:60])
              for r in regions if (r.code, AgencyKind.POLRI) not in have]
    bulk_create_with_history(police, Agency, batch_size=1000, default_user=actor)
    counterparts = dict(Agency.objects.filter(kind=AgencyKind.POLRI).values_list("jurisdiction_id", "id"))
    kpu = []
    for region in regions:
        if (region.code, AgencyKind.KPU) in have:
            continue
        name = f"KPU Provinsi {region.name}" if region.level == RegionLevel.PROVINCE else f"KPU {region.name}"
        kpu.append(Agency(code=f"kpu-{region.code.replace('.', '-')}", kind=AgencyKind.KPU, jurisdiction=region,
                          name=name, short_name=name[:60], counterpart_id=counterparts.get(region.pk)))
    bulk_create_with_history(kpu, Agency, batch_size=1000, default_user=actor)
    offices = Agency.objects.filter(kind__in=[AgencyKind.KPU, AgencyKind.POLRI],
                                    jurisdiction__level=RegionLevel.REGENCY)
    staff = []
    for agency in offices.order_by("code"):
        count, role = (KPU_STAFF, Role.REGIONAL_OFFICE) if agency.kind == AgencyKind.KPU \
            else (POLICE_STAFF, Role.POLICE_OFFICER)
        staff += [User(username=f"bench-{agency.code}-{n}", first_name=f"Staf {n} {agency.short_name}"[:150],
                       email=f"{agency.code}-{n}@bench.example", role=role, agency=agency, password="!")
                  for n in range(1, count + 1)]
    User.objects.bulk_create(staff, batch_size=2000, ignore_conflicts=True)
    emit("setup", "national agencies and staff (bench rows, in bulk)",
         f"{len(police) + len(kpu):,} agencies, {len(staff):,} staff", note=f"{time.perf_counter() - began:.1f} s")


def meetings() -> None:
    """A month of meetings through the meetings services: every KPU kab/kota's weekly
    coordination meeting with its Polres (series_create), with invitations and reminders."""
    from django.utils import timezone

    from coordination.choices import AgencyKind, RegionLevel
    from coordination.models import Agency, Notification, User
    from kpu_polda.base import clock
    from meetings import services
    from meetings.choices import REMINDER_KIND, MeetingKind
    from meetings.models import Meeting

    offices = list(Agency.objects.filter(kind=AgencyKind.KPU, jurisdiction__level=RegionLevel.REGENCY)
                   .select_related("jurisdiction").order_by("jurisdiction__code"))
    police = {a.jurisdiction_id: a for a in Agency.objects.filter(kind=AgencyKind.POLRI,
                                                                   jurisdiction__level=RegionLevel.REGENCY)}
    actors = {}
    for user in User.objects.filter(agency__in=offices, username__startswith="bench-").order_by("username"):
        actors.setdefault(user.agency_id, user)
    began = time.perf_counter()
    first = datetime.fromisoformat(FIRST_MEETING)
    with clock.travel_to(datetime.fromisoformat(PLANNED_ON)):
        for office in offices:
            partner = police.get(office.jurisdiction_id)
            services.series_create(
                actor=actors[office.pk], title=f"Rapat koordinasi pengamanan pemilu {office.short_name}",
                rrule="FREQ=WEEKLY;COUNT=4", first_start=first, organiser=office, co_organiser=partner,
                kind=MeetingKind.COORDINATION, place=f"Aula {office.name}", until=date(2024, 2, 29), horizon_days=35,
                invited_agencies=[a for a in (office, partner) if a is not None])
    seconds = time.perf_counter() - began
    made = Meeting.objects.filter(series__isnull=False, starts_at__gte=first,
                                  starts_at__lt=first + timedelta(days=29)).count()
    reminders = Notification.objects.filter(kind=REMINDER_KIND, due_at__gte=timezone.make_aware(
        datetime(2024, 1, 29)), due_at__lt=timezone.make_aware(datetime(2024, 3, 1))).count()
    emit("setup", "a month of meetings (meetings.services.series_create per KPU kab/kota)",
         f"{made:,} meetings, {reminders:,} reminders planned", note=f"{seconds:.1f} s, {len(offices)} series")
