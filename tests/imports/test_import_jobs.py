"""Background imports: the upload answers at once, the worker runs the job to its end,
all or nothing, and a second import of the same data waits its turn."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from coordination.models import PollingStation, Region
from kpu_polda.base.exceptions import Conflict, DomainError, PermissionDenied
from kpu_polda.imports import services
from kpu_polda.imports.models import ImportJob

pytestmark = pytest.mark.usefixtures("english")

HEADER = "village_code,number,voters,address\n"
GOOD = HEADER + "64.72.01.1001,1,250,Jl. Pahlawan\n64.72.01.1001,2,120,\n"
BAD = HEADER + "64.72.01.1001,1,250,\n64.72.01.9999,1,250,\n64.72.01.1001,1,20,\n"


def upload(text: str, name: str = "tps.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_job_runs_to_its_end_with_counts_and_history(personas, election, tree, django_capture_on_commit_callbacks):
    actor = personas["samarinda_operator"]
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_start(actor=actor, kind="polling_stations", upload=upload(GOOD), election=election)
    job.refresh_from_db()
    assert (job.status, job.created, job.updated, job.unchanged, job.rows_read) == ("succeeded", 2, 0, 0, 2)
    assert job.finished_at is not None and job.percent == 100
    assert PollingStation.objects.filter(election=election).count() == 2
    assert list(job.history.values_list("status", flat=True)) == ["succeeded", "running", "queued"]

    with django_capture_on_commit_callbacks(execute=True):
        again = services.import_start(actor=actor, kind="polling_stations", upload=upload(GOOD), election=election)
    again.refresh_from_db()
    assert (again.status, again.created, again.updated, again.unchanged) == ("succeeded", 0, 0, 2)


def test_a_bad_file_is_rejected_by_line_and_writes_nothing(personas, election, tree,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_start(actor=personas["samarinda_operator"], kind="polling_stations",
                                    upload=upload(BAD), election=election)
    job.refresh_from_db()
    assert job.status == "rejected" and job.error_count == 2
    assert [line for line, _text in job.errors] == [3, 4]
    assert "unknown" in job.errors[0][1] and "already on line 2" in job.errors[1][1]
    assert not PollingStation.objects.exists()


def test_a_second_import_of_the_same_target_is_refused_while_one_waits(personas, election, tree):
    actor = personas["samarinda_operator"]
    first = services.import_start(actor=actor, kind="polling_stations", upload=upload(GOOD), election=election)
    with pytest.raises(Conflict) as caught:
        services.import_start(actor=actor, kind="polling_stations", upload=upload(GOOD), election=election)
    assert caught.value.code == "import_running" and str(first.pk) in str(caught.value.message)
    assert ImportJob.objects.count() == 1
    services.run_import_job(first.pk)
    assert services.import_start(actor=actor, kind="polling_stations", upload=upload(GOOD), election=election)


def test_a_redelivered_task_runs_nothing_twice(personas, election, tree):
    job = services.import_start(actor=personas["samarinda_operator"], kind="polling_stations",
                                upload=upload(GOOD), election=election)
    services.run_import_job(job.pk)
    PollingStation.objects.all().delete()
    services.run_import_job(job.pk)
    assert not PollingStation.objects.exists()


def test_refusals_before_anything_is_stored(personas, election, tree):
    with pytest.raises(PermissionDenied):
        services.import_start(actor=personas["samarinda_police"], kind="polling_stations", upload=upload(GOOD),
                              election=election)
    with pytest.raises(DomainError) as caught:
        services.import_start(actor=personas["samarinda_operator"], kind="polling_stations", upload=upload(GOOD))
    assert caught.value.code == "election_required"
    with override_settings(IMPORT_MAX_BYTES={"polling_stations": 10, "regions": 10, "tps_classes": 10}), \
            pytest.raises(DomainError) as caught:
        services.import_start(actor=personas["samarinda_operator"], kind="polling_stations", upload=upload(GOOD),
                              election=election)
    assert caught.value.code == "file_too_large"
    with pytest.raises(DomainError):
        services.import_start(actor=personas["secretariat"], kind="nope", upload=upload(GOOD))
    assert not ImportJob.objects.exists()


def test_the_size_limit_is_per_kind_and_above_the_page_upload_limit(settings):
    assert settings.IMPORT_MAX_BYTES["polling_stations"] >= 100 * 1024 * 1024 > settings.CSV_IMPORT_MAX_BYTES


def test_regions_upload_keeps_boundaries_and_updates_names(personas, tree, django_capture_on_commit_callbacks):
    region = Region.objects.get(code="64.72")
    Region.objects.filter(pk=region.pk).update(boundary={"type": "Point", "coordinates": [117, -0.5]})
    text = ("code,name,level,parent_code,kind,lat,lon\n"
            f"64.72,Kota Samarinda Baru,regency,64,kota,{region.latitude or '-0.5'},{region.longitude or '117.1'}\n")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_start(actor=personas["secretariat"], kind="regions", upload=upload(text))
    job.refresh_from_db()
    assert job.status == "succeeded" and job.updated == 1
    region.refresh_from_db()
    assert region.name == "Kota Samarinda Baru" and region.boundary == {"type": "Point", "coordinates": [117, -0.5]}
    with pytest.raises(PermissionDenied):
        services.import_start(actor=personas["samarinda_operator"], kind="regions", upload=upload(text))


def test_the_command_runs_a_job_and_prints_it(personas, election, tree, tmp_path):
    path = tmp_path / "tps.csv"
    path.write_text(GOOD)
    out = StringIO()
    call_command("import_file", kind="polling_stations", file=str(path), election=election.pk,
                 actor="samarinda_operator", stdout=out)
    printed = json.loads(out.getvalue())
    assert (printed["status"], printed["created"]) == ("succeeded", 2)


def test_pages_upload_follow_and_refuse(client, personas, election, tree, django_capture_on_commit_callbacks):
    client.force_login(personas["samarinda_operator"])
    assert client.get(reverse("imports:new", args=["polling_stations"])).status_code == 200
    job = services.import_start(actor=personas["samarinda_operator"], kind="polling_stations",
                                upload=upload(GOOD), election=election)
    busy = client.post(reverse("imports:new", args=["polling_stations"]),
                       {"election": election.pk, "file": upload(GOOD)})
    assert busy.status_code == 409 and b"import-refused" in busy.content
    page = client.get(reverse("imports:job", args=[job.pk]))
    assert page.status_code == 200 and b'hx-trigger="every 2s"' in page.content
    services.run_import_job(job.pk)
    done = client.get(reverse("imports:job-progress", args=[job.pk]))
    assert b'data-status="succeeded"' in done.content and b"hx-trigger" not in done.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:new", args=["polling_stations"]),
                               {"election": election.pk, "file": upload(GOOD)})
    assert response.status_code == 302
    assert client.get(reverse("imports:job-list")).status_code == 200
    client.force_login(personas["balikpapan_operator"])
    assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404


def test_api_answers_202_then_the_job(client, personas, election, tree, django_capture_on_commit_callbacks):
    client.force_login(personas["samarinda_operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/", {"kind": "polling_stations", "election": election.code,
                                                    "file": upload(GOOD)})
    assert response.status_code == 202
    followed = client.get(response["Location"]).json()
    assert (followed["status"], followed["created"]) == ("succeeded", 2)
    assert client.post("/api/v1/imports/", {"kind": "bogus", "file": upload(GOOD)}).json()["errors"]["kind"]
    services.import_start(actor=personas["samarinda_operator"], kind="polling_stations", upload=upload(GOOD),
                          election=election)
    busy = client.post("/api/v1/imports/", {"kind": "polling_stations", "election": election.code,
                                            "file": upload(GOOD)})
    assert busy.status_code == 409 and busy.json()["code"] == "import_running"
    client.force_login(personas["balikpapan_operator"])
    assert client.get(response["Location"]).status_code == 404
    assert client.get("/api/v1/imports/").json()["results"] == []


def test_admin_shows_jobs_read_only(client, personas, election, tree):
    job = services.import_start(actor=personas["samarinda_operator"], kind="polling_stations", upload=upload(GOOD),
                                election=election)
    client.force_login(personas["secretariat"])
    assert client.get(reverse("admin:imports_importjob_changelist")).status_code == 200
    assert client.get(reverse("admin:imports_importjob_change", args=[job.pk])).status_code == 200
    assert client.post(reverse("admin:imports_importjob_change", args=[job.pk]), {}).status_code == 403
