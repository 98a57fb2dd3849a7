"""The partial index of open human tasks (workflows migration 0011, PostgreSQL only) answers the
dashboards' read of an office's open tasks: its predicate is implied by the filter
dashboards.tracking.office_open_tasks writes, so the planner may read the index alone. Should the filter
change (another status, another task type), the planner could no longer use it and this test says so."""

import pytest
from django.db import connection
from django.db.models import Count

from dashboards.tracking import office_open_tasks

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's (migration 0011)"),
]


def test_an_offices_open_tasks_are_read_from_the_partial_index():
    per_owner = office_open_tasks(1).values("owner").annotate(n=Count("pk")).order_by()
    sql, params = per_owner.query.sql_with_params()
    with connection.cursor() as cursor:  # a test database is small: the planner is told to probe
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using kamkap_task_open_human on viewflow_task" in plan, plan
