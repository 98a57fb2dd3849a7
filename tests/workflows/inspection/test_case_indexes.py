"""The case tables' indexes as migrated (0017): no foreign key keeps an index of its own where another
index starts with its column, and the queries that read by those columns still find an index."""

import importlib

import pytest
from django.db import connection

from workflows.inspection.models import Answer, Inspection

pytestmark = pytest.mark.django_db

covered = importlib.import_module("workflows.inspection.migrations.0017_fk_indexes_covered").COVERED


def indexes(model) -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: found[name]["columns"] for name in found if found[name]["index"] or found[name]["unique"]}


def test_a_foreign_key_that_starts_another_index_has_none_of_its_own():
    present = {**indexes(Answer), **indexes(Inspection)}
    assert not set(covered) & set(present)
    for _name, (table, column) in covered.items():  # still the first column of an index of its table
        model = Answer if table == Answer._meta.db_table else Inspection
        assert any(columns[0] == column for columns in indexes(model).values()), (table, column)
