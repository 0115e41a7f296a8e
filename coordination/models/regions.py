"""The shared ground: regions, polling stations, agencies, people, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from kpu_polda.base.history import HistoricalRecords
from kpu_polda.base.models import ClockDateTimeField, TimeStampedModel, keep_code_copy

from ..choices import AccessMode, AgencyKind, RegionKind, RegionLevel, Role


def code_ancestors(code: str) -> list[str]:
    """Codes of the regions above ``code``: 64.72.01 -> ["64", "64.72"]."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


class Region(TimeStampedModel):
    """One official administrative region (province, kabupaten/kota, kecamatan or
    desa/kelurahan), keyed by its Kemendagri code. A code is a prefix of every code below
    it, so a region's subtree is one indexed ``startswith`` query."""

    # unique on a varchar also gives PostgreSQL a varchar_pattern_ops index, which serves
    # the scope rule's `code LIKE '64.72.%'`.
    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(
        _("boundary (GeoJSON geometry)"),
        null=True,
        blank=True,
        help_text=_("Simplified outline for dashboard maps; not a legal boundary."),
    )
    history = HistoricalRecords(excluded_fields=["boundary"])

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def ancestor_codes(self) -> list[str]:
        return code_ancestors(self.code)


class PollingStation(TimeStampedModel):
    """One TPS (tempat pemungutan suara) of one election, in one desa/kelurahan."""

    election = models.ForeignKey(
        "coordination.Election", verbose_name=_("election"), on_delete=models.PROTECT, related_name="polling_stations"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="polling_stations",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    # The village's code, copied onto the TPS (set by save() and by every bulk write) so
    # that scoping by region prefix and ordering by code read this table alone: the
    # province-wide list walks an index instead of joining every village and sorting.
    village_code = models.CharField(_("village code"), max_length=13, editable=False)
    number = models.PositiveSmallIntegerField(_("TPS number"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    voters = models.PositiveIntegerField(_("voters (DPT)"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_special_location = models.BooleanField(
        _("special location (lokasi khusus)"),
        default=False,
        help_text=_("Prisons, companies, campuses, the IKN construction site."),
    )
    access_mode = models.CharField(_("access mode"), max_length=8, choices=AccessMode.choices, default=AccessMode.ROAD)
    travel_minutes = models.PositiveIntegerField(
        _("travel time from the KPU warehouse (minutes)"),
        null=True,
        blank=True,
    )
    is_remote = models.BooleanField(
        _("remote area (4T)"),
        default=False,
        help_text=_("Terdepan, terluar, tertinggal, tersulit: logistics leave first."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["village_code", "number"]
        verbose_name = _("polling station (TPS)")
        verbose_name_plural = _("polling stations (TPS)")
        indexes = [
            # The TPS list and every scope by region prefix: LIKE '64.01.%' and ORDER BY
            # village_code, number, election walk it (the column is collated "C" on
            # PostgreSQL, migration 0006, so a prefix match can use it); with the id last,
            # the count and the walk to a deep page's keys read the index alone.
            models.Index(fields=["village_code", "number", "election", "id"], name="tps_by_village_code"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["election", "village", "number"], name="tps_number_unique_in_village"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="tps_number_positive"),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number:03d}"

    def save(self, *args, **kwargs):
        keep_code_copy(self, "village", "village_code", kwargs)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"TPS {self.number:03d} {self.village.name}"


class Agency(TimeStampedModel):
    """An institution taking part: a KPU office, Polda or a Polres, Bawaslu, Kodam, the
    provincial government. Its jurisdiction is the region its people may see."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(
        Region, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subordinates",
    )
    counterpart = models.ForeignKey(
        "self",
        verbose_name=_("police counterpart"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a KPU office: the Polda or Polres it works with."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__code", "kind", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name


class User(AbstractUser):
    """A person who signs in: belongs to one agency and acts in one role. What they may
    see is their agency's jurisdiction (coordination.policies)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OBSERVER)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The language of the messages the outbox writes to this person (pages follow the switch).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="id")
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A named credential a user holds for one script or device (several per user).

    Only a SHA-256 hash of the key is stored; the key is shown once, when created.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = ClockDateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["last_used_at", "key_hash"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=models.Q(revoked_at__isnull=True),
                name="api_token_active_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
