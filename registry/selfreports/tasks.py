from celery import shared_task

from project.celery import LONG_TASK

from .imports import run_import
from .models import ReportImport


@shared_task(**LONG_TASK)
def import_reports(job_id: int) -> int:
    job = run_import(ReportImport.objects.select_related("created_by").get(pk=job_id))
    return job.created_count
