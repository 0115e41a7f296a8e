"""The stand-in of ``manage.py import_file`` while the import jobs are not there: the same
arguments and the same JSON line, by the synchronous services (small scales only).

    python -m bench.national.service_import --kind regions --file PATH --actor USERNAME
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["regions", "polling_stations", "tps_classes"], required=True)
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--election", type=int)
    parser.add_argument("--actor", required=True)
    args = parser.parse_args()
    django.setup()
    from coordination import services
    from coordination.models import Election, User

    actor = User.objects.get(username=args.actor)
    began = time.perf_counter()
    if args.kind == "regions":
        # The service reads regions.csv (and the map outlines) from a folder.
        with tempfile.TemporaryDirectory() as folder:
            for source in args.file.parent.glob("*.geojson"):
                shutil.copyfile(source, Path(folder) / source.name)
            shutil.copyfile(args.file, Path(folder) / "regions.csv")
            counts = services.region_import_csv(actor=actor, directory=Path(folder))
        result = {key: sum(level[key] for level in counts.values()) for key in ("created", "updated", "unchanged")}
    else:
        election = Election.objects.get(pk=args.election)
        run = services.polling_station_import_csv if args.kind == "polling_stations" \
            else services.tps_vulnerability_import_csv
        with args.file.open("rb") as stream:
            done = run(actor=actor, election=election, stream=stream)
        result = {"created": done.created, "updated": done.updated, "unchanged": done.unchanged}
    print(json.dumps({"job": None, "status": "succeeded", "rows": sum(result.values()), **result,
                      "seconds": round(time.perf_counter() - began, 3)}))


if __name__ == "__main__":
    main()
