from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from workflows import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into one .tar.gz with a manifest of "
        "SHA-256 checksums; `manage.py restore` puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="The archive to write, or a directory for it (default: kamkap-backup-<Bangkok date-time>.tar.gz "
            "in the current directory).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to back up.")

    def handle(self, *args, path=None, database=DEFAULT_DB_ALIAS, **options):
        try:
            result = backups.backup(Path(path) if path else None, using=database, progress=self.stdout.write)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        files = result.manifest["files"]
        size = result.path.stat().st_size / 1024 / 1024
        self.stdout.write(self.style.SUCCESS(f"OK: {result.path} ({size:,.1f} MB, {len(files):,} files)"))
