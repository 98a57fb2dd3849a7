from django.core.management.base import BaseCommand

from workflows.sla import sweep


class Command(BaseCommand):
    help = "Remind owners of tasks coming due and escalate overdue tasks (run hourly; Celery beat does)."

    def handle(self, *args, **options):
        reminded, escalated = sweep()
        self.stdout.write(f"Reminded: {reminded}, escalated: {escalated}")
