from django.core.management.base import BaseCommand

from permissions.grants import sync_all


class Command(BaseCommand):
    help = "Recompute everyone's access from the organisation (run daily: acting windows open and close by date)."

    def handle(self, *args, **options):
        added, removed = sync_all()
        self.stdout.write(f"Grants added: {added}, removed: {removed}")
