from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("District (kecamatan)")
    VILLAGE = "village", _("Village (desa/kelurahan)")


# Length of a Kemendagri code at each level: 64, 64.72, 64.72.01, 64.72.01.1001.
CODE_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.REGENCY: 5,
    RegionLevel.DISTRICT: 8,
    RegionLevel.VILLAGE: 13,
}
LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE]


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


KIND_LEVEL = {
    RegionKind.PROVINSI: RegionLevel.PROVINCE,
    RegionKind.KABUPATEN: RegionLevel.REGENCY,
    RegionKind.KOTA: RegionLevel.REGENCY,
    RegionKind.KECAMATAN: RegionLevel.DISTRICT,
    RegionKind.DESA: RegionLevel.VILLAGE,
    RegionKind.KELURAHAN: RegionLevel.VILLAGE,
}


class ElectionKind(models.TextChoices):
    GENERAL = "general", _("General election (Pemilu)")
    REGIONAL = "regional", _("Regional head election (Pemilihan)")


class AccessMode(models.TextChoices):
    ROAD = "road", _("Road")
    RIVER = "river", _("River")
    SEA = "sea", _("Sea")
    AIR = "air", _("Air")


class AgencyKind(models.TextChoices):
    KPU = "kpu", _("KPU")
    POLRI = "polri", _("Polri")
    BAWASLU = "bawaslu", _("Bawaslu")
    TNI = "tni", _("TNI")
    PEMDA = "pemda", _("Local government (Pemda)")
    PARTY = "party", _("Political party")


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    KPU_STAFF = "kpu_staff", _("KPU staff")
    POLICE_OFFICER = "police_officer", _("Police officer")
    REGIONAL_OFFICE = "regional_office", _("Regional office")
    OBSERVER = "observer", _("Observer (read-only)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


AGREEMENT_TRANSITIONS = {
    AgreementStatus.DRAFT: {AgreementStatus.ACTIVE, AgreementStatus.TERMINATED},
    AgreementStatus.ACTIVE: {AgreementStatus.EXPIRED, AgreementStatus.TERMINATED},
    AgreementStatus.EXPIRED: {AgreementStatus.ACTIVE},
    AgreementStatus.TERMINATED: set(),
}


class SignatoryRole(models.TextChoices):
    SIGNATORY = "signatory", _("Signatory")
    WITNESS = "witness", _("Witness")


class ClauseCategory(models.TextChoices):
    EVALUATION_MEETINGS = "evaluation_meetings", _("Routine evaluation meetings")
    STAKEHOLDER_FACILITATION = "stakeholder_facilitation", _("Facilitation with stakeholders")
    POLICE_FACILITIES = "police_facilities", _("Use of police facilities")
    INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")
    CAPACITY_BUILDING = "capacity_building", _("HR capacity building")
    ESCORT = "escort", _("Security and logistics escort")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    FINANCING = "financing", _("Financing")
    TERM = "term", _("Term")
    OTHER = "other", _("Other")


class ExpectationKind(models.TextChoices):
    NONE = "", _("Not monitored")
    EVERY_DAYS = "every_days", _("At least N activities every D days")
    WITHIN_HOURS = "within_hours", _("Every request fulfilled within H hours")
    PER_STAGE = "per_stage", _("At least N activities per election stage")


class EvidenceKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    ESCORT = "escort", _("Escort")
    TRAINING = "training", _("Joint training")
    INFORMATION_EXCHANGE = "information_exchange", _("Information exchange")
    FACILITY_USE = "facility_use", _("Facility use")
    STAKEHOLDER_FACILITATION = "stakeholder_facilitation", _("Stakeholder facilitation")
    OTHER = "other", _("Other")


class Health(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    NOT_MONITORED = "not_monitored", _("Not monitored")


class RiskCategory(models.TextChoices):
    GEOGRAPHY = "geography", _("Geography and access")
    LOGISTICS = "logistics", _("Logistics")
    SECURITY = "security", _("Security and violence")
    SOCIAL_CONFLICT = "social_conflict", _("Social conflict")
    MONEY_POLITICS = "money_politics", _("Money politics")
    DISINFORMATION = "disinformation", _("Disinformation")
    NEUTRALITY = "neutrality", _("Neutrality")
    WEATHER = "weather", _("Weather and disaster")
    VOTER_DATA = "voter_data", _("Voter data and administration")
    POWER_INTERNET = "power_internet", _("Power and internet")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Mitigating")
    CLOSED = "closed", _("Closed")


# Which status may follow which; reopening a closed risk needs a reason (services).
RISK_TRANSITIONS = {
    RiskStatus.OPEN: {RiskStatus.MITIGATING, RiskStatus.CLOSED},
    RiskStatus.MITIGATING: {RiskStatus.OPEN, RiskStatus.CLOSED},
    RiskStatus.CLOSED: {RiskStatus.OPEN},
}


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    EXTREME = "extreme", _("Extreme")


# The lowest score of each level, highest level first: the usual 5x5 bands, 1-4 low,
# 5-9 medium, 10-16 high, 20-25 extreme (no product of two 1-5 values lies in 17-19).
LEVEL_FLOORS = [(RiskLevel.EXTREME, 20), (RiskLevel.HIGH, 10), (RiskLevel.MEDIUM, 5), (RiskLevel.LOW, 1)]


def risk_level(score: int) -> str:
    """The level of a likelihood x impact score (LEVEL_FLOORS)."""
    return next((level for level, floor in LEVEL_FLOORS if score >= floor), RiskLevel.LOW)


def risk_level_q(level: str) -> models.Q:
    """Risks whose score falls in ``level``'s band, as a query."""
    floors = dict(LEVEL_FLOORS)
    above = [floor for other, floor in LEVEL_FLOORS if floor > floors[level]]
    band = models.Q(score__gte=floors[level]) if level != RiskLevel.LOW else models.Q()
    return band & models.Q(score__lt=min(above)) if above else band


class IkpCategory(models.TextChoices):
    """Bawaslu's index vocabulary. Never mapped onto Polri's classes."""

    HIGH = "tinggi", _("Rawan tinggi")
    MEDIUM = "sedang", _("Rawan sedang")
    LOW = "rendah", _("Rawan rendah")


class IkpDimension(models.TextChoices):
    SOCIAL_POLITICAL = "sosial_politik", _("Social and political context")
    ADMINISTRATION = "penyelenggaraan", _("Election administration")
    CONTESTATION = "kontestasi", _("Contestation")
    PARTICIPATION = "partisipasi", _("Participation")


class PolriClass(models.TextChoices):
    """Polri's TPS vulnerability classes. Never mapped onto Bawaslu's IKP categories."""

    LOW = "kurang_rawan", _("Kurang rawan")
    VULNERABLE = "rawan", _("Rawan")
    VERY_VULNERABLE = "sangat_rawan", _("Sangat rawan")
    SPECIAL = "khusus", _("TPS khusus")


# Bawaslu's 7 TPS variables (field name on TpsVulnerability, label).
TPS_INDICATORS = [
    ("voter_rights", _("Voting rights (DPT TMS, DPTb, DPK, KPPS from outside)")),
    ("security", _("Security (history of violence or intimidation)")),
    ("campaign", _("Campaign (money politics, hate speech)")),
    ("neutrality", _("Neutrality (organisers, civil servants, TNI/Polri, village heads)")),
    ("logistics", _("Logistics (damage, shortage, swaps, delays)")),
    ("location", _("TPS location (hard to reach, disaster-prone, special)")),
    ("power_internet", _("Power or internet outage")),
]


# --- forms of cooperation -------------------------------------------------------------


class ExchangeKind(models.TextChoices):
    REQUEST = "request", _("Request for information")
    SHARING = "sharing", _("Information shared")


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    LIMITED = "limited", _("Limited")
    CONFIDENTIAL = "confidential", _("Confidential")


# Visible only to the two parties and the secretariat.
RESTRICTED_CLASSIFICATIONS = {Classification.LIMITED, Classification.CONFIDENTIAL}


class ExchangeStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EXCHANGE_TRANSITIONS = {
    ExchangeStatus.SENT: {ExchangeStatus.ACKNOWLEDGED, ExchangeStatus.ANSWERED, ExchangeStatus.WITHDRAWN},
    ExchangeStatus.ACKNOWLEDGED: {ExchangeStatus.ANSWERED, ExchangeStatus.WITHDRAWN},
    ExchangeStatus.ANSWERED: set(),
    ExchangeStatus.WITHDRAWN: set(),
}
# Waiting on the receiving agency.
OPEN_EXCHANGE_STATUSES = {ExchangeStatus.SENT, ExchangeStatus.ACKNOWLEDGED}


class AccessOutcome(models.TextChoices):
    SHOWN = "shown", _("Shown")
    REFUSED = "refused", _("Refused")


class FacilityKind(models.TextChoices):
    HALL = "hall", _("Hall (aula)")
    WAREHOUSE = "warehouse", _("Warehouse (gudang)")
    VEHICLE = "vehicle", _("Vehicle")
    BOAT = "boat", _("Boat")
    OTHER = "other", _("Other")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


BOOKING_TRANSITIONS = {
    BookingStatus.REQUESTED: {BookingStatus.APPROVED, BookingStatus.REJECTED, BookingStatus.CANCELLED},
    BookingStatus.APPROVED: {BookingStatus.CANCELLED},
    BookingStatus.REJECTED: set(),
    BookingStatus.CANCELLED: set(),
}


class TrainingKind(models.TextChoices):
    BIMTEK = "bimtek", _("Technical guidance (bimtek)")
    SIMULATION = "simulation", _("Simulation")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", _("Other")


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


TRAINING_TRANSITIONS = {
    TrainingStatus.PLANNED: {TrainingStatus.HELD, TrainingStatus.CANCELLED},
    TrainingStatus.HELD: set(),
    TrainingStatus.CANCELLED: set(),
}


# --- notification preferences ---------------------------------------------------------


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily digest email")
    IN_APP = "in_app", _("In the app only")
