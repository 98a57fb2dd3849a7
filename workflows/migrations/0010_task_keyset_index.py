"""The index the task lists page by (workflows.keyset): a person's tasks of one status by due date,
then id — (owner, status, scheduled, id) — so the page after (due, id) is a range read of it on
PostgreSQL too (SQLite's indexes end with the rowid already). It replaces 0005's (owner, status,
scheduled), its prefix. Built CONCURRENTLY on PostgreSQL: viewflow_task stays writable meanwhile."""

from django.db import migrations

OLD, NEW = "kamkap_task_owner_status_due", "kamkap_task_owner_status_due_id"


def _run(schema_editor, create: str, drop: str):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX{concurrently} IF NOT EXISTS {create}")
    schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {drop}")


def forwards(apps, schema_editor):
    _run(schema_editor, f"{NEW} ON viewflow_task (owner_id, status, scheduled, id)", OLD)


def backwards(apps, schema_editor):
    _run(schema_editor, f"{OLD} ON viewflow_task (owner_id, status, scheduled)", NEW)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("workflows", "0009_notifications"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
