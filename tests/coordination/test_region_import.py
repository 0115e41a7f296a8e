import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from coordination import policies, selectors, services
from coordination.choices import RegionLevel
from coordination.models import Region
from kpu_polda.base.exceptions import ImportRejected
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def kaltim(db):
    actor = services.system_actor()
    return services.region_import_csv(actor=actor)


def test_loads_kaltim_with_official_counts(kaltim):
    assert {level: sum(c.values()) for level, c in kaltim.items()} == {
        "province": 1, "regency": 10, "district": 105, "village": 1038,
    }
    assert Region.objects.count() == 1154
    samarinda = Region.objects.get(code="64.72")
    assert samarinda.name == "Kota Samarinda"
    assert samarinda.boundary["type"] in {"Polygon", "MultiPolygon"}
    assert Region.objects.get(code="64.11").name == "Kabupaten Mahakam Ulu"
    assert Region.objects.filter(level=RegionLevel.DISTRICT, boundary__isnull=False).count() == 105


def test_second_load_changes_nothing(kaltim):
    again = services.region_import_csv(actor=services.system_actor())
    assert sum(c["created"] + c["updated"] for c in again.values()) == 0
    assert sum(c["unchanged"] for c in again.values()) == 1154
    assert Region.history.count() == 1154


def test_scope_of_samarinda_and_province(kaltim):
    kpu_samarinda = AgencyFactory(code="kpu-samarinda", jurisdiction=Region.objects.get(code="64.72"))
    kpu_kaltim = AgencyFactory(code="kpu-kaltim", jurisdiction=Region.objects.get(code="64"))
    samarinda_user = UserFactory(username="kpu.samarinda", agency=kpu_samarinda)
    province_user = UserFactory(username="kpu.kaltim", agency=kpu_kaltim)

    seen = selectors.regions_for(samarinda_user)
    assert seen.filter(level=RegionLevel.DISTRICT).count() == 10
    assert seen.filter(level=RegionLevel.VILLAGE).count() == 59
    assert not seen.filter(code__startswith="64.71").exists()
    assert selectors.regions_for(province_user).count() == 1154
    assert policies.code_in_scope("64.72.01.1001", "64.72")
    assert not policies.code_in_scope("64.71.01", "64.72")


def _copy_data(tmp_path):
    for name in ("regions.csv", "kabkota.geojson"):
        shutil.copy(settings.SEED_DATA_DIR / name, tmp_path / name)
    return tmp_path / "regions.csv"


def test_bad_row_is_reported_by_line_and_nothing_is_written(db, tmp_path):
    path = _copy_data(tmp_path)
    lines = path.read_text().splitlines()
    lines[5] = lines[5].replace(",village,", ",villa,")
    lines[9] = "64.99.01.2001,Nowhere,village,64.99.01,desa,1.0,116.0"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as caught:
        services.region_import_csv(actor=services.system_actor(), directory=tmp_path)
    by_line = dict(caught.value.errors)
    assert "unknown level 'villa'" in by_line[6]
    assert "parent 64.99.01 is unknown" in by_line[10]
    assert Region.objects.count() == 0


def test_duplicate_code_and_wrong_header(db, tmp_path):
    path = _copy_data(tmp_path)
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[3]]) + "\n")
    with pytest.raises(ImportRejected) as caught:
        services.region_import_csv(actor=services.system_actor(), directory=tmp_path)
    assert caught.value.errors == [(len(lines) + 1, "code 64.01.01 appears twice (first on line 4)")]

    path.write_text("kode,nama\n64,Kaltim\n")
    with pytest.raises(ImportRejected, match="header"):
        services.region_import_csv(actor=services.system_actor(), directory=tmp_path)


def test_command_prints_counts_and_reports_errors(db, tmp_path):
    out = StringIO()
    call_command("load_regions", stdout=out)
    assert "village    1,038  created 1,038" in out.getvalue()

    path = _copy_data(tmp_path)
    path.write_text(path.read_text().replace("64.01.01.2010,Busui,village", "64.01.01.2010,Busui,desa"))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_regions", dir=tmp_path, stderr=err)
    assert "line 6: unknown level 'desa'" in err.getvalue()
