from django.core.management.base import BaseCommand, CommandError

from workflows import audit
from workflows.models import AuditChain, AuditEntry


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail; report the first broken link of each chain (exit status 1)."

    def add_arguments(self, parser):
        parser.add_argument("--chain", metavar="KEY", help="Verify one chain only, e.g. inspection:42.")

    def handle(self, *args, chain=None, **options):
        heads, entries = AuditChain.objects.all(), AuditEntry.objects.all()
        if chain is not None:
            heads, entries = heads.filter(key=chain), entries.filter(chain=chain)
            if not heads.exists() and not entries.exists():
                raise CommandError(f"No audit chain {chain}.")
        problems = audit.verify(chain)
        if problems:
            for problem in problems:
                self.stdout.write(f"BROKEN: {problem.chain} seq {problem.seq} ({problem.kind}): {problem.message}")
            raise CommandError(f"The audit trail is broken in {len(problems)} chain(s).")
        self.stdout.write(self.style.SUCCESS(f"OK: {entries.count()} entries in {heads.count()} chains verified"))
