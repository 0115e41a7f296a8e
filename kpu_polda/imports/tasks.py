from celery import shared_task

from . import services


@shared_task
def import_job_run(job_id: int) -> None:
    services.run_import_job(job_id)
