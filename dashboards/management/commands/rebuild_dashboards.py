"""Recompute the dashboard's summary tables from the cases (after an import, a restore or a repair;
the services keep them current otherwise)."""

from django.core.management.base import BaseCommand

from dashboards import summary


class Command(BaseCommand):
    help = "Recompute the dashboard's summary tables from the cases."

    def add_arguments(self, parser):
        parser.add_argument("--fy", type=int, action="append", help="only this fiscal year (BE); may be repeated")

    def handle(self, *args, fy=None, **options):
        count = summary.rebuild(fy)
        self.stdout.write(f"{count} office-years recomputed")
