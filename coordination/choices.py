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
