"""The open human tasks of a process, covering what the dashboards read of them: an office's open tasks
are found from its open cases' processes (dashboards.tracking.office_open_tasks: the office page's
people and overdue figures, the briefing, the summary worker's task_dues), one probe per process. Through
viewflow_task's process index each probe read the process's every task row to keep its one open human
task; this partial index holds only the open human tasks (9.7 MB for 200,000 of 6.6 M tasks at 1,000,000
cases) with the owner, due date and id, so the probe reads no table row (an index-only scan on
PostgreSQL). The busiest office's open tasks (7,605 open cases) 132 -> 40 ms under EXPLAIN ANALYZE, its
page 150 -> 130 ms. Built CONCURRENTLY: viewflow_task stays writable meanwhile.

PostgreSQL only: SQLite cannot use a partial index whose predicate the query states with bound
parameters (Django's `status IN (?, ?, ?)`: "no query solution" when told to), so there it would only
cost every task write."""

from django.db import migrations

NAME = "kamkap_task_open_human"
# The predicate is the filter's own text (status IN the open statuses, flow_task_type = 'HUMAN'), so
# that the planner sees the index answers it.
CREATE = (
    f"{NAME} ON viewflow_task (process_id, owner_id, scheduled, id) "
    "WHERE status IN ('NEW', 'ASSIGNED', 'STARTED') AND flow_task_type = 'HUMAN'"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {CREATE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("workflows", "0010_task_keyset_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
