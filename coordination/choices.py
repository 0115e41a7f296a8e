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


def risk_level(score: int) -> str:
    """The usual 5x5 bands: 1-4 low, 5-9 medium, 10-16 high, 20-25 extreme."""
    if score >= 20:
        return RiskLevel.EXTREME
    if score >= 10:
        return RiskLevel.HIGH
    if score >= 5:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


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
