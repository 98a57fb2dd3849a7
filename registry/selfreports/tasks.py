from celery import shared_task

from .imports import run_import
from .models import ReportImport


@shared_task
def import_reports(job_id: int) -> int:
    job = run_import(ReportImport.objects.select_related("created_by").get(pk=job_id))
    return job.created_count
