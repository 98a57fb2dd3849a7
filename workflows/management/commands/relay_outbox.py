from django.core.management.base import BaseCommand

from workflows.outbox import relay


class Command(BaseCommand):
    help = (
        "Hand the broker the outbox rows it could not take when their transaction committed "
        "(Celery beat does it every minute; run it from cron where beat does not run)."
    )

    def handle(self, *args, **options):
        sent, pending = relay()
        self.stdout.write(f"Sent: {sent}, still pending: {pending}")
