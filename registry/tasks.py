from celery import shared_task

from project.celery import LONG_TASK

from . import sweep
from .imports import run_import
from .models import FactoryImport


@shared_task(**LONG_TASK)
def import_factories(job_id: int) -> int:
    job = run_import(FactoryImport.objects.select_related("created_by").get(pk=job_id))
    return job.created_count


@shared_task
def sweep_stuck_imports() -> tuple[int, int]:
    """Every five minutes (beat): imports waiting or running past their limit, re-queued or failed."""
    return sweep.sweep_stuck_imports()


from .selfreports.tasks import import_reports  # noqa: E402, F401  (registered for the Celery worker)
