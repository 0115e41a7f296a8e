from io import BytesIO

import pytest
from django.test import override_settings

from coordination import services
from coordination.models import PollingStation
from kpu_polda.base.exceptions import ImportRejected, PermissionDenied

pytestmark = pytest.mark.usefixtures("english")

HEADER = "village_code,number,voters,address,access_mode,is_special_location\n"


def csv(*rows: str, header: str = HEADER) -> BytesIO:
    return BytesIO((header + "".join(row + "\n" for row in rows)).encode())


def run(actor, election, stream):
    return services.polling_station_import_csv(actor=actor, election=election, stream=stream)


def test_creates_then_is_idempotent_then_updates(personas, election, tree):
    actor = personas["samarinda_operator"]
    rows = ["64.72.01.1001,1,250,Jl. Pahlawan,road,false", "64.72.01.1001,2,300,Jl. Pahlawan 2,river,ya"]
    result = run(actor, election, csv(*rows))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    second = PollingStation.objects.get(number=2)
    assert second.access_mode == "river" and second.is_special_location and second.voters == 300
    assert set(PollingStation.objects.values_list("village_code", flat=True)) == {"64.72.01.1001"}
    assert set(PollingStation.history.values_list("village_code", flat=True)) == {"64.72.01.1001"}

    again = run(actor, election, csv(*rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    changed = run(actor, election, csv(rows[0], "64.72.01.1001,2,280,Jl. Pahlawan 2,river,ya"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    second.refresh_from_db()
    assert second.voters == 280
    latest = second.history.first()
    assert latest.history_user == actor and latest.history_type == "~"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["64.72.01.1001,1,250,,road,no", "64.72.01.1001,1,200,,road,no"],
         (4, "TPS 1 in 64.72.01.1001 is already on line 3")),
        (["64.72.01.9999,1,250,,road,no"], (3, "village code '64.72.01.9999' is unknown")),
        (["64.71.01.1001,1,250,,road,no"], (3, "village code '64.71.01.1001' is outside your region")),
        (["64.72.01,1,250,,road,no"], (3, "64.72.01 is not a desa/kelurahan")),
        (["64.72.01.1001,1,301,,road,no"], (3, "voters '301' must be a whole number from 0 to 300")),
        (["64.72.01.1001,0,20,,road,no"], (3, "number '0' must be a whole number from 1")),
        (["64.72.01.1001,1,20,,boat,no"], (3, "access_mode 'boat' must be one of road, river, sea, air")),
        (["64.72.01.1001,1,20,,road,maybe"], (3, "is_special_location/is_remote must be true or false")),
    ],
)
def test_bad_rows_are_named_and_nothing_is_written(personas, election, tree, rows, expected):
    good = "64.72.01.1002,7,100,,road,no"
    with pytest.raises(ImportRejected) as caught:
        run(personas["samarinda_operator"], election, csv(good, *rows))
    assert caught.value.errors == [expected]
    assert PollingStation.objects.count() == 0


def test_malformed_files(personas, election, tree):
    actor = personas["samarinda_operator"]
    with pytest.raises(ImportRejected, match="header"):
        run(actor, election, csv("1,2", header="kode,nomor\n"))
    with pytest.raises(ImportRejected, match="UTF-8"):
        run(actor, election, BytesIO(HEADER.encode() + b"64.72.01.1001,1,250,\xff\xfe,road,no\n"))
    with pytest.raises(ImportRejected, match="no rows"):
        run(actor, election, csv())
    with pytest.raises(ImportRejected, match="more fields"):
        run(actor, election, csv("64.72.01.1001,1,250,x,road,no,extra"))
    with override_settings(CSV_IMPORT_MAX_BYTES=1024), pytest.raises(ImportRejected, match="larger than"):
        run(actor, election, csv(*[f"64.72.01.1001,{n},250,,road,no" for n in range(1, 80)]))
    assert PollingStation.objects.count() == 0


@pytest.mark.parametrize("persona", ["samarinda_police", "observer", "province_police", "kpu_role_in_polres"])
def test_only_kpu_roles_import(personas, agencies, election, tree, persona):
    from coordination.choices import Role
    from tests.factories import UserFactory

    personas["kpu_role_in_polres"] = UserFactory(username="mislabelled", role=Role.KPU_STAFF,
                                                 agency=agencies["polresta"])
    with pytest.raises(PermissionDenied):
        run(personas[persona], election, csv("64.72.01.1001,1,250,,road,no"))
    assert PollingStation.objects.count() == 0


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "91"])
def test_non_finite_coordinates_are_rejected(personas, election, tree, value):
    with pytest.raises(ImportRejected) as caught:
        run(personas["samarinda_operator"], election,
            csv(f"64.72.01.1001,1,250,{value},1", header="village_code,number,voters,latitude,longitude\n"))
    assert caught.value.errors == [(2, "latitude/longitude must be decimal degrees")]


def test_repeated_header_column_is_rejected(personas, election, tree):
    with pytest.raises(ImportRejected, match="twice"):
        run(personas["samarinda_operator"], election, csv("64.72.01.1001,1,250,260",
                                                          header="village_code,number,voters,voters\n"))


def test_import_command_needs_a_responsible_actor(personas, election, tree, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "tps.csv"
    path.write_text(HEADER + "64.72.01.1001,1,250,,road,no\n")
    with pytest.raises(CommandError, match="actor"):
        call_command("import_polling_stations", str(path), election="pemilu-2024")
    with pytest.raises(CommandError, match="Only KPU"):
        call_command("import_polling_stations", str(path), election="pemilu-2024", actor="samarinda_police")
    assert PollingStation.objects.count() == 0


def test_province_staff_import_anywhere_in_kaltim(personas, election, tree):
    result = run(personas["province_staff"], election,
                 csv("64.72.01.1001,1,250,,road,no", "64.71.01.1001,1,250,,sea,no"))
    assert result.created == 2


def test_import_command_records_the_named_actor(personas, election, tree, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "tps.csv"
    path.write_text(HEADER + "64.72.01.1001,1,250,,road,no\n")
    call_command("import_polling_stations", str(path), election="pemilu-2024", actor="secretariat")
    assert PollingStation.history.get().history_user == personas["secretariat"]


def test_an_address_longer_than_its_column_is_refused_not_cut(personas, election, tree):
    long_address = "Jl. " + "x" * 300
    with pytest.raises(ImportRejected) as rejected:
        run(personas["samarinda_operator"], election, csv(f"64.72.01.1001,1,250,{long_address},road,no"))
    assert rejected.value.errors == [(2, "address is longer than 255 characters")]
    assert not PollingStation.objects.exists()
