from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from org.calendar import format_be
from workflows import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: refuse it unless every file matches the manifest, replace "
        "the database, put the media back, then verify the audit trail and that every file a row names exists "
        "(exit status 1 when either fails). Stop the web servers and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask for confirmation."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to replace.")

    def handle(self, *args, path, interactive=True, database=DEFAULT_DB_ALIAS, **options):
        confirm = (lambda manifest: self._confirm(manifest, database)) if interactive else (lambda manifest: True)
        try:
            result = backups.restore(Path(path), using=database, progress=self.stdout.write, confirm=confirm)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if result is None:
            self.stdout.write("Restore cancelled; nothing was changed.")
            return
        if result.left_in_place:
            self.stdout.write(
                f"{result.left_in_place:,} file(s) under MEDIA_ROOT are not in the backup; left in place."
            )
        self._report(result.checks)

    def _confirm(self, manifest: dict, database: str) -> bool:
        config = connections[database].settings_dict
        where = config["NAME"] if not config.get("HOST") else f"{config['NAME']} on {config['HOST']}"
        made = format_be(backups.created_at(manifest), "long")
        question = (
            f"This replaces the database {where} and the files under {settings.MEDIA_ROOT} with the backup made "
            f"{made} (Kamkap {manifest['kamkap_version']}, {len(manifest['files']):,} files).\n"
            "Type 'yes' to continue, or anything else to cancel: "
        )
        return input(question).strip().lower() == "yes"

    def _report(self, checks: backups.Checks) -> None:
        if checks.error:
            raise CommandError(checks.error)
        for problem in checks.audit_problems:
            self.stdout.write(f"BROKEN: {problem.chain} seq {problem.seq} ({problem.kind}): {problem.message}")
        if not checks.audit_problems:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit trail OK: {checks.audit_entries:,} entries in {checks.audit_chains:,} chains"
                )
            )
        for missing in checks.missing_files:
            self.stdout.write(f"MISSING: {missing}")
        if not checks.missing_files:
            self.stdout.write(self.style.SUCCESS(f"Files OK: all {checks.files_checked:,} files named by rows exist"))
        if not checks.ok:
            failures = []
            if checks.audit_problems:
                failures.append(f"the audit trail is broken in {len(checks.audit_problems)} chain(s)")
            if checks.missing_files:
                failures.append(f"{len(checks.missing_files)} file(s) named by rows are missing")
            raise CommandError("The restored data fails its checks: " + "; ".join(failures) + ".")
