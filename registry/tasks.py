from celery import shared_task

from .imports import run_import
from .models import FactoryImport


@shared_task
def import_factories(job_id: int) -> int:
    job = run_import(FactoryImport.objects.select_related("created_by").get(pk=job_id))
    return job.created_count


from .selfreports.tasks import import_reports  # noqa: E402, F401  (registered for the Celery worker)
