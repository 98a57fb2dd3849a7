"""Indexes added to the large tables of a running ministry (cases, tasks) are built CONCURRENTLY on
PostgreSQL: a plain CREATE INDEX over a million cases blocks every write to the table while it builds.
SQLite builds them as usual: the suite's SQLite database is migrated through the same operations."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="CONCURRENTLY is PostgreSQL's"),
]


def sql_of(app: str, migration: str, *, backwards: bool = False) -> list[str]:
    out = StringIO()
    call_command("sqlmigrate", app, migration, backwards=backwards, stdout=out)
    return [line for line in out.getvalue().splitlines() if line and not line.startswith("--")]


def test_the_dashboards_case_indexes_are_built_without_blocking_writes():
    built, dropped = sql_of("inspection", "0016"), sql_of("inspection", "0016", backwards=True)
    assert len(built) == len(dropped) == 2
    assert all(line.startswith("CREATE INDEX CONCURRENTLY") for line in built), built
    assert all(line.startswith("DROP INDEX CONCURRENTLY") for line in dropped), dropped
