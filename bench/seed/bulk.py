"""Bulk-insert helpers: primary keys chosen here (so rows can point at each other before they are
written), batched bulk_create, the child table of a multi-table Process subclass, historic
timestamps past auto_now, and sequences put right afterwards (PostgreSQL)."""

import itertools
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

BATCH = 2000


def id_counter(model: type[Model]) -> Iterable[int]:
    """Fresh primary keys for `model`, after the highest one stored."""
    highest = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    return itertools.count(highest + 1)


def insert(model: type[Model], objs: list[Model]) -> None:
    if objs:
        model._base_manager.bulk_create(objs, batch_size=BATCH)


def insert_children(model: type[Model], objs: list[Model]) -> None:
    """Rows of a multi-table subclass's own table only (its parent rows are inserted first);
    bulk_create refuses multi-table inheritance, so this writes the child columns directly."""
    if not objs:
        return
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


@contextmanager
def historic_timestamps(*models: type[Model]):
    """Let auto_now / auto_now_add fields of `models` keep the (past) values we set."""
    switched = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reset_sequences(*models: type[Model]) -> None:
    """After inserting explicit primary keys: PostgreSQL's sequences continue past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
