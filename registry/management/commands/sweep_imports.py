from django.core.management.base import BaseCommand

from registry.sweep import sweep_stuck_imports


class Command(BaseCommand):
    help = (
        "Run again, once, the CSV imports stuck past their limit, and fail those stuck again with the reason "
        "on their page (Celery beat does it every five minutes)."
    )

    def handle(self, *args, **options):
        requeued, failed = sweep_stuck_imports()
        self.stdout.write(f"Re-queued: {requeued}, failed: {failed}")
