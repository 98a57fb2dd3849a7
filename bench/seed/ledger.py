"""What a benchmark database holds (its bench.Generation row, written when a generation finished),
and emptying a database before generating — only ever a benchmark database or an empty one."""

from pathlib import Path

from django.core.management import call_command
from django.db import connection

from bench import boot

MARK = "stockflow_stockprocess"  # only a benchmark database has this table


def record_of() -> dict | None:
    """The finished generation this database holds; None when there is none."""
    from bench.models import Generation

    if Generation._meta.db_table not in connection.introspection.table_names():
        return None
    last = Generation.objects.order_by("-pk").first()
    return last.record if last else None


def remember(record: dict) -> None:
    from bench.models import Generation

    Generation.objects.create(record=record)


def empty(url: str) -> None:
    """Remove the SQLite file, or flush the PostgreSQL database, if it is a benchmark database."""
    tables = set(connection.introspection.table_names())
    if tables and MARK not in tables:
        raise SystemExit(
            f"{boot.database_label(url)} holds data that bench/generate.py did not make: refusing to empty it. "
            "Name an empty or a benchmark database (--database-url / DATABASE_URL)."
        )
    path = boot.sqlite_path(url)
    if path is not None:
        connection.close()  # Django opens a fresh file at the next statement
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif tables:
        call_command("flush", interactive=False, verbosity=0)
