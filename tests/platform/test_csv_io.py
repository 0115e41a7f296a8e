"""CSV in and out (kpu_polda/base/csvio.py and every import and export that uses it).

Imports: no malformed file crashes anything or writes anything; each refusal names its
line, through the service, the page, the API and the management commands. Semicolon files
(as a spreadsheet set to Indonesian saves them) and a UTF-8 BOM are read. A village code
outside the user's region says so rather than "unknown". Each import offers a sample file
that the import itself accepts. Exports: formula-safe cells, semicolon, headings and labels
in the request's language.
"""

import csv
import io
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from coordination import services
from coordination.models import ElectionStage, PollingStation, Region, TpsVulnerability
from kpu_polda.base.csvio import csv_response, export_cell, parse_decimal, parse_int, read_rows
from kpu_polda.base.exceptions import ImportRejected
from tests.factories import PollingStationFactory, risk, stage

pytestmark = pytest.mark.usefixtures("english")

HEADER = b"village_code,number,voters\n"
GOOD = b"64.72.01.1002,7,100\n"

# (name, file content, the line named, words of the message or of the line's error)
BAD_FILES = [
    ("field past the csv module's limit", HEADER + GOOD + b"64.72.01.1001,1," + b"9" * 200_000 + b"\n",
     3, "longer than 131072 characters"),
    ("unterminated quote", HEADER + GOOD + b'"64.72.01.1001,1,250\n64.72.01.1002,2,250\n', 3, "quote"),
    ("text after a closing quote", HEADER + GOOD + b'"64.72.01.1001"x,1,250\n', 3, "quote"),
    ("voters past any integer column", HEADER + GOOD + b"64.72.01.1001,1,99999999999999999999\n", 3,
     "voters '99999999999999999999' must be a whole number from 0 to 300"),
    ("TPS number past a small integer", HEADER + GOOD + b"64.72.01.1001,70000,250\n", 3,
     "number '70000' must be a whole number from 1"),
    ("a number of 5000 digits", HEADER + GOOD + b"64.72.01.1001,1," + b"1" * 5000 + b"\n", 3, "voters"),
    ("travel minutes past an integer column", b"village_code,number,voters,travel_minutes\n"
     b"64.72.01.1002,7,100,\n64.72.01.1001,1,250,99999999999\n", 3, "travel_minutes must be a whole number"),
    ("a NUL byte", HEADER + GOOD + b"64.72.01.10\x0001,1,250\n", 3, "binary content"),
    ("a PNG image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 3, "not a CSV text file"),
    ("an xlsx workbook", b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20, 1, "not a CSV text file"),
    ("Windows-1252 text", HEADER + GOOD + "64.72.01.1001,1,250,Jl. Kenari Blok É\n".encode("cp1252"), 3,
     "not UTF-8"),
    ("UTF-16 text", "village_code,number,voters\n64.72.01.1001,1,250\n".encode("utf-16"), 1, "not UTF-8"),
]


def _messages(exc: ImportRejected) -> str:
    return " ".join([str(exc.message), *[message for _line, message in exc.errors]])


# --- the reader --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "line", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_service_refuses_bad_files_by_line_and_writes_nothing(personas, election, tree, name, content, line,
                                                              words):
    with pytest.raises(ImportRejected) as caught:
        services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                            stream=BytesIO(content))
    assert line in [number for number, _message in caught.value.errors]
    assert words in _messages(caught.value)
    assert PollingStation.objects.count() == 0


def test_not_utf8_says_how_to_save_the_file():
    with pytest.raises(ImportRejected) as caught:
        list(read_rows(BytesIO(b"a\nJalan \xc9\n"), required={"a"}, max_bytes=1000))
    assert "CSV UTF-8" in caught.value.message
    assert caught.value.errors == [(2, "byte 8 is not UTF-8")]


def test_semicolon_file_with_bom_and_decimal_commas_is_imported(personas, election, tree):
    content = ("\ufeffvillage_code;number;voters;address;latitude;longitude\n"
               "64.72.01.1001;1;250;Jl. Pahlawan, RT 3;-0,502106;117,153709\n"
               ";;;;;\n"  # what a spreadsheet leaves after the last row
               "64.72.01.1002;2;120;\"Gg. Damai; No. 4\";;\n").encode()
    result = services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                                 stream=BytesIO(content))
    assert (result.created, result.updated) == (2, 0)
    first = PollingStation.objects.get(number=1)
    assert (first.address, str(first.latitude), str(first.longitude)) == ("Jl. Pahlawan, RT 3", "-0.502106",
                                                                          "117.153709")
    assert PollingStation.objects.get(number=2).address == "Gg. Damai; No. 4"


def test_delimiter_is_told_by_the_header():
    rows = list(read_rows(StringIO("a,b\n1;2,3\n"), required={"a", "b"}, max_bytes=1000))
    assert rows == [(2, {"a": "1;2", "b": "3"})]
    rows = list(read_rows(StringIO("a;b\n1,5;3\n"), required={"a", "b"}, max_bytes=1000))
    assert rows == [(2, {"a": "1,5", "b": "3"})]


def test_a_record_over_several_lines_is_named_by_its_first_line():
    text = 'a,b\n"one\ntwo",1\n"three"x,1\n'
    with pytest.raises(ImportRejected) as caught:
        list(read_rows(StringIO(text), required={"a", "b"}, max_bytes=1000))
    assert caught.value.errors[0][0] == 4


@pytest.mark.parametrize(("value", "expected"), [
    ("12", 12), (" 7 ", 7), ("0", 0), ("32767", 32767), ("32768", None), ("-1", None), ("1_000", None),
    ("١٢", None), ("1e3", None), ("", None), ("9" * 5000, None),
])
def test_parse_int_keeps_to_the_column_range(value, expected):
    assert parse_int(value, minimum=0, maximum=32767) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("-0.5", "-0.5"), ("-0,5", "-0.5"), ("1,234.5", None), ("NaN", None), ("Infinity", None), ("x", None),
])
def test_parse_decimal_reads_point_or_comma(value, expected):
    parsed = parse_decimal(value)
    assert (str(parsed) if parsed is not None else None) == expected


# --- scope: outside your region, not unknown ---------------------------------------------


def test_tps_import_says_outside_your_region_for_a_code_that_exists(personas, election, tree):
    content = HEADER + b"64.71.01.1001,1,250\n64.71.01.9999,1,250\n64.71.01,1,250\n"
    with pytest.raises(ImportRejected) as caught:
        services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                            stream=BytesIO(content))
    assert caught.value.errors == [
        (2, "village code '64.71.01.1001' is outside your region"),
        (3, "village code '64.71.01.9999' is unknown"),
        # A kecamatan of Balikpapan: its level is not told either.
        (4, "village code '64.71.01' is outside your region"),
    ]
    assert PollingStation.objects.count() == 0


def test_tps_class_import_says_outside_your_region(personas, election, tree):
    PollingStationFactory(election=election, village=tree["bpn_kel"], number=1)
    content = (b"village_code,number,polri_class\n64.71.01.1001,1,rawan\n64.71.01.1001,9,rawan\n"
               b"64.71.77.1001,1,rawan\n64.72.01.1001,1,rawan\n64.72.01.1001,70000,rawan\n")
    with pytest.raises(ImportRejected) as caught:
        services.tps_vulnerability_import_csv(actor=personas["samarinda_police"], election=election,
                                              stream=BytesIO(content))
    assert caught.value.errors == [
        (2, "village code '64.71.01.1001' is outside your region"),
        # Whether TPS 9 exists in Balikpapan is not told: the same answer as for TPS 1.
        (3, "village code '64.71.01.1001' is outside your region"),
        (4, "TPS 1 in 64.71.77.1001 is unknown for pemilu-2024"),
        (5, "TPS 1 in 64.72.01.1001 is unknown for pemilu-2024"),
        (6, "number '70000' must be a whole number"),
    ]
    assert TpsVulnerability.objects.count() == 0


# --- the page, the API and the commands --------------------------------------------------


@pytest.mark.parametrize(("name", "content", "line", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_page_shows_the_lines_and_keeps_the_input(personas, election, tree, client, name, content, line, words):
    client.force_login(personas["samarinda_operator"])
    client.cookies["django_language"] = "en"
    upload = BytesIO(content)
    upload.name = "tps.csv"
    response = client.post("/polling-stations/import/", {"election": election.pk, "file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and f"Line {line}" in body
    assert f'<option value="{election.pk}" selected>' in body
    assert PollingStation.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "line", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_api_answers_400_in_the_error_format(personas, election, tree, api_for, name, content, line, words):
    upload = BytesIO(content)
    upload.name = "tps.csv"
    response = api_for(personas["samarinda_operator"]).post(
        "/api/v1/polling-stations/import/", {"election": election.code, "file": upload}, format="multipart",
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected" and body["detail"]
    assert f"line {line}" in body["errors"]
    assert PollingStation.objects.count() == 0


def test_tps_class_api_refuses_a_bad_file(personas, election, tree, api_for):
    PollingStationFactory(election=election, village=tree["sam_kel"], number=1)
    upload = BytesIO(b'village_code,number,polri_class\n64.72.01.1001,1,rawan\n"64.72.01.1001,2,rawan\n')
    upload.name = "kelas.csv"
    response = api_for(personas["samarinda_police"]).post(
        "/api/v1/tps-classes/import/", {"election": election.code, "file": upload}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line 3"]
    assert TpsVulnerability.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "line", "words"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_import_command_names_the_lines(personas, election, tree, tmp_path, name, content, line, words):
    path = tmp_path / "tps.csv"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_polling_stations", str(path), election=election.code, actor="samarinda_operator",
                     stderr=err)
    assert f"line {line}:" in err.getvalue()
    assert PollingStation.objects.count() == 0


def test_import_command_refuses_a_missing_file(personas, election, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_polling_stations", str(tmp_path / "none.csv"), election=election.code,
                     actor="samarinda_operator")


@pytest.mark.parametrize(("row", "line", "words"), [
    (b"64.72.01.1001,Rawa Makmur,village,64.72.01,kelurahan,-0.5,117.1\x00\n", 3, "binary content"),
    (b'64.72.01.1001,"Rawa Makmur,village,64.72.01,kelurahan,-0.5,117.1\n', 3, "quote"),
    (b"64.72.01.1001," + b"N" * 121 + b",village,64.72.01,kelurahan,-0.5,117.1\n", 3,
     "name is longer than 120 characters"),
])
def test_region_command_refuses_bad_files_and_writes_nothing(db, tmp_path, row, line, words):
    (tmp_path / "regions.csv").write_bytes(b"code,name,level,parent_code,kind,lat,lon\n"
                                           b"64,Kalimantan Timur,province,,provinsi,0.45,116.45\n" + row)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_regions", dir=tmp_path, stderr=err)
    assert f"line {line}:" in err.getvalue() and words in err.getvalue()
    assert Region.objects.count() == 0


def test_stage_import_refuses_numbers_past_the_column_and_long_names(db, election, tmp_path):
    header = ("election_code,code,parent_code,order,name,name_en,starts_on,ends_on,end_rule,regulation,source,"
              "uncertain\n")
    path = tmp_path / "stages.csv"
    path.write_text(header
                    + "pemilu-2024,1,,70000,Tahapan,,2024-01-01,2024-01-02,,,,false\n"
                    + "pemilu-2024,2,,1" + "0" * 5000 + ",Tahapan,,2024-01-01,2024-01-02,,,,false\n"
                    + "pemilu-2024,3,,1," + "T" * 201 + ",,2024-01-01,2024-01-02,,,,false\n")
    with pytest.raises(ImportRejected) as caught:
        services.stages_import_csv(actor=services.system_actor(), path=path)
    by_line = dict(caught.value.errors)
    assert "order '70000' must be a whole number from 0" in by_line[2]
    assert "must be a whole number from 0" in by_line[3]
    assert "name is longer than 200 characters" in by_line[4]
    assert ElectionStage.objects.count() == 0


# --- sample files ------------------------------------------------------------------------


def _download(client, kind):
    response = client.get(f"/imports/{kind}/sample.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return response.content


@pytest.mark.parametrize(("page", "kind"), [("/polling-stations/import/", "polling-stations"),
                                            ("/tps-classes/import/", "tps-classes")])
def test_import_page_links_its_sample(personas, election, client, page, kind):
    client.force_login(personas["samarinda_operator"])
    assert f'href="/imports/{kind}/sample.csv"' in client.get(page).content.decode()


def test_each_sample_is_accepted_by_its_import(personas, election, tree, client, tmp_path):
    client.force_login(personas["samarinda_operator"])
    tps = services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                              stream=BytesIO(_download(client, "polling-stations")))
    assert tps.created == 2
    assert services.tps_vulnerability_import_csv(actor=personas["samarinda_police"], election=election,
                                                 stream=BytesIO(_download(client, "tps-classes"))).created == 2
    (tmp_path / "regions.csv").write_bytes(_download(client, "regions"))
    counts = services.region_import_csv(actor=services.system_actor(), directory=tmp_path)
    assert sum(counts["district"].values()) == 1
    assert Region.objects.get(code="64.72.01").name == "Palaran"
    path = tmp_path / "stages.csv"
    path.write_bytes(_download(client, "stages"))
    assert services.stages_import_csv(actor=services.system_actor(), path=path).created == 2


def test_indonesian_sample_writes_decimal_commas(personas, client):
    client.force_login(personas["observer"])
    lines = _download(client, "polling-stations").decode("utf-8-sig").splitlines()
    assert lines[0].startswith("village_code;number;voters;")
    assert ";-0,572194;117,177495;" in lines[1]


# --- exports -----------------------------------------------------------------------------


def _parse(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and not text.startswith("\ufeffsep=")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+62 811", "'+62 811"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Banjir", "Banjir"), ("a=b", "a=b"),
    (-3, -3), (None, ""), (date(2024, 2, 14), "2024-02-14"),
])
def test_export_cell_neutralises_formulas(value, expected):
    assert export_cell(value) == expected


def test_decimal_cells_follow_the_language():
    from decimal import Decimal

    with translation.override("id"):
        assert export_cell(Decimal("-0.5")) == "-0,5"
    assert export_cell(Decimal("-0.5")) == "-0.5"
    with translation.override("id"):
        assert _parse(csv_response("x.csv", ["a", "b"], [[Decimal("1.25"), "=1"]])) == [["a", "b"], ["1,25", "'=1"]]


@pytest.fixture
def risky(stations, personas):
    voting = stage(stations["samarinda"].election, "9", date(2024, 2, 14), date(2024, 2, 15))
    return risk(voting, Region.objects.get(code="64.72"), status="mitigating", title="=HYPERLINK(\"http://x\",\"klik\")",
                mitigation="@SUM(1+1)", category="money_politics")


def test_risk_export_in_indonesian(api_for, personas, risky):
    response = api_for(personas["samarinda_operator"]).get("/api/v1/risks/export/", HTTP_ACCEPT_LANGUAGE="id")
    header, row = _parse(response)
    assert header[:4] == ["ID", "Pemilu/Pemilihan", "Tahapan", "Kode wilayah"]
    named = dict(zip(header, row, strict=True))
    assert named["Judul"] == "'=HYPERLINK(\"http://x\",\"klik\")"
    assert named["Rencana mitigasi"] == "'@SUM(1+1)"
    with translation.override("id"):
        from coordination.choices import RiskCategory, RiskStatus

        assert named["Status"] == str(RiskStatus.MITIGATING.label) != "mitigating"
        assert named["Kategori"] == str(RiskCategory.MONEY_POLITICS.label) != "money_politics"


def test_risk_export_in_english(api_for, personas, risky):
    response = api_for(personas["samarinda_operator"]).get("/api/v1/risks/export/", HTTP_ACCEPT_LANGUAGE="en")
    header, row = _parse(response)
    named = dict(zip(header, row, strict=True))
    assert header[:4] == ["ID", "Election", "Stage", "Region code"]
    assert (named["Status"], named["Category"], named["Level"]) == ("Mitigating", "Money politics", "Medium")


def test_plan_export_labels_follow_the_language(api_for, personas, stations):
    english = _parse(api_for(personas["province_staff"]).get("/api/v1/personnel-plan/export/",
                                                             HTTP_ACCEPT_LANGUAGE="en"))
    assert english[0][:4] == ["Level", "Code", "Name", "TPS Kurang rawan"]
    assert [row[0] for row in english[1:]][-1] == "Total"
    assert "Regency/city" in [row[0] for row in english]
    indonesian = _parse(api_for(personas["province_staff"]).get("/api/v1/personnel-plan/export/",
                                                                HTTP_ACCEPT_LANGUAGE="id"))
    assert indonesian[0][:3] == ["Tingkat", "Kode", "Nama"]
    assert indonesian[-1][0] == "Jumlah" and "Kabupaten/kota" in [row[0] for row in indonesian]


def test_an_export_from_an_indonesian_page_is_indonesian_whatever_the_browser_announces(personas, risks, client):
    """The page is Indonesian even when the phone announces English; its export link
    carries the page's language into the API, so the file's headings match the page."""
    import re

    client.force_login(personas["samarinda_operator"])
    page = client.get("/risks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    link = re.search(r'href="(/api/v1/risks/export/[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "lang=id" in link
    heading = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig").splitlines()[0]
    assert "Kemungkinan" in heading and "Likelihood" not in heading
    english = client.get("/api/v1/risks/export/", HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    assert "Likelihood" in english.splitlines()[0]  # a script without ?lang= still follows Accept-Language


def test_a_blank_first_line_and_trailing_empty_columns_are_read(personas, election, tree):
    content = b" \nvillage_code;number;voters;;\n64.72.01.1001;1;250;;\n"
    result = services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                                 stream=BytesIO(content))
    assert result.created == 1
    with pytest.raises(ImportRejected) as caught:  # a value under no heading is not dropped silently
        services.polling_station_import_csv(actor=personas["samarinda_operator"], election=election,
                                            stream=BytesIO(b"village_code;number;voters;\n64.72.01.1001;2;250;x\n"))
    assert caught.value.errors == [(2, "too many fields")]


@pytest.mark.parametrize("cell", [" =1+1", "\n=1+1", "\uff1d1+1", "|calc", "  @SUM(A1)"])
def test_formulas_behind_blanks_or_in_full_width_are_neutralised(cell):
    from kpu_polda.base.csvio import export_cell

    assert export_cell(cell) == "'" + cell
