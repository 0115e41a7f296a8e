"""The background imports coordination owns: the region tree, the TPS register and the
TPS classes (kpu_polda.imports runs them). Each runs the same service the command line
uses, so a file is checked and written by one set of rules however it arrives."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coordination import policies, services
from kpu_polda.base.csvio import ImportResult
from kpu_polda.imports.kinds import ImportKind, ImportRun, import_kind_register


def _regions(run: ImportRun) -> ImportResult:
    counts = services.region_import_csv(actor=run.actor, stream=run.stream, progress=run.progress,
                                        max_bytes=settings.IMPORT_MAX_BYTES["regions"])
    result = ImportResult()
    for level in counts.values():
        result.created += level["created"]
        result.updated += level["updated"]
        result.unchanged += level["unchanged"]
    return result


def register() -> None:
    import_kind_register(ImportKind(
        key="regions", label=_("Region tree (regions.csv)"), needs_election=False,
        max_bytes=lambda: settings.IMPORT_MAX_BYTES["regions"],
        ensure_can_start=policies.ensure_can_edit_reference_data,
        run=_regions, sample="regions", done_url="coordination:region-root",
        help_text=_("Columns: code, name, level, parent_code, kind, lat, lon.")))
    import_kind_register(ImportKind(
        key="polling_stations", label=_("TPS register"), needs_election=True,
        max_bytes=lambda: settings.IMPORT_MAX_BYTES["polling_stations"],
        ensure_can_start=policies.ensure_can_manage_polling_stations,
        run=lambda run: services.polling_station_import_csv(
            actor=run.actor, election=run.election, stream=run.stream, progress=run.progress,
            max_bytes=settings.IMPORT_MAX_BYTES["polling_stations"]),
        sample="polling-stations", done_url="coordination:polling-station-list",
        help_text=_("Columns: village_code, number, voters; optional address, latitude, longitude, "
                    "is_special_location, access_mode, travel_minutes, is_remote.")))
    import_kind_register(ImportKind(
        key="tps_classes", label=_("TPS classes"), needs_election=True,
        max_bytes=lambda: settings.IMPORT_MAX_BYTES["tps_classes"],
        ensure_can_start=lambda actor: policies.ensure_can_write(actor, _("TPS classes")),
        run=lambda run: services.tps_vulnerability_import_csv(
            actor=run.actor, election=run.election, stream=run.stream, progress=run.progress,
            max_bytes=settings.IMPORT_MAX_BYTES["tps_classes"]),
        sample="tps-classes", done_url="coordination:personnel-plan"))
