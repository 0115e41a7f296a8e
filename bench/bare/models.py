from django.contrib.auth.models import AbstractUser
from django.db import models


class BareUser(AbstractUser):
    """The project's user rows read as Django's stock user (the project adds agency,
    role, position, phone and language columns, which this model leaves alone)."""

    class Meta:
        managed = False
        db_table = "coordination_user"


class BareRow(models.Model):
    """The one row the bare write endpoint inserts (about a review's size)."""

    risk_id = models.BigIntegerField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    note = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "bench_bare_row"

    def __str__(self) -> str:
        return f"row {self.pk}"


class BarePollingStation(models.Model):
    """The project's TPS rows, unscoped and flat."""

    election_id = models.BigIntegerField()
    village_id = models.BigIntegerField()
    number = models.PositiveSmallIntegerField()
    address = models.CharField(max_length=255)
    voters = models.PositiveIntegerField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    is_special_location = models.BooleanField()
    access_mode = models.CharField(max_length=8)
    travel_minutes = models.PositiveIntegerField(null=True)
    is_remote = models.BooleanField()

    class Meta:
        managed = False
        db_table = "coordination_pollingstation"

    def __str__(self) -> str:
        return f"TPS {self.number:03d}"


class BareEvent(models.Model):
    """About a custody event's size: the bare side of the confirmation inserts one per request."""

    escort_id = models.BigIntegerField()
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    counts = models.JSONField(default=list)
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "bench_bare_event"

    def __str__(self) -> str:
        return f"event {self.pk}"
