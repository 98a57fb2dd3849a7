import time

from django.core.management.base import BaseCommand

from workflows.planning.risk import BATCH, risk_recompute_all


class Command(BaseCommand):
    help = "Recompute the risk score of every factory (in batches; prints progress)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="factories per batch (default %(default)s)")

    def handle(self, *args, batch, verbosity, **options):
        started = time.monotonic()

        def progress(done, total):
            if verbosity:
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"\r{done:,}/{total:,} factories ({rate:,.0f}/s)", ending="")
                self.stdout.flush()

        done = risk_recompute_all(batch=batch, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{done:,} risk scores in {time.monotonic() - started:.1f} s"))
