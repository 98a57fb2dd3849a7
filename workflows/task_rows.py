"""A new task's row and its link to the task before it (Viewflow's `Task.previous`), written together.

On PostgreSQL one statement does both: the model's own INSERT (compiled by Django, its fields' defaults
and `pre_save` included) inside a data-modifying WITH that also writes the link,

    WITH new AS (INSERT INTO viewflow_task (…) VALUES (…) RETURNING id),
         linked AS (INSERT INTO viewflow_task_previous (from_task_id, to_task_id) SELECT id, %s FROM new)
    SELECT id FROM new

instead of `task.save()` then `task.previous.add(previous)` (two round trips, and the related manager's
bulk_create built for one row). Every human task, function and end of a chain is written so (one
statement fewer each). Elsewhere — SQLite (no INSERT inside WITH), a task already saved, a model with
a parent table or its own save, or a model something listens to (save or link signals, which the one statement would
not send) — it is the two writes as before."""

from functools import cache

from django.db import connections, router
from django.db.models import signals
from django.db.models.sql import InsertQuery
from viewflow.workflow.models import AbstractTask


def insert_linked(task, previous) -> None:
    """Save the new `task` and link it to `previous` (a saved task, or None: no link)."""
    model = type(task)
    alias = router.db_for_write(model, instance=task)
    if previous is None or task.pk is not None or not _one_statement(model, connections[alias].vendor):
        task.save(using=alias)
        if previous is not None:
            task.previous.add(previous)
        return
    if task.flow_task and not task.flow_task_type:  # what Viewflow's Task.save adds to the model's save
        task.flow_task_type = task.flow_task.task_type
    meta = model._meta
    query = InsertQuery(model)
    query.insert_values([f for f in meta.local_concrete_fields if f is not meta.auto_field], [task])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = [meta.pk]
    ((insert, params),) = compiler.as_sql()
    with connections[alias].cursor() as cursor:
        cursor.execute(f"WITH new AS ({insert}), {_linked_sql(model)}", [*params, previous.pk])
        (task.pk,) = cursor.fetchone()
    task._state.adding, task._state.db = False, alias


def _one_statement(model, vendor: str) -> bool:
    if vendor != "postgresql" or model._meta.parents or model.save is not AbstractTask.save:
        return False
    senders = (model, model.previous.through)  # asked each time: a receiver may be connected at any time
    heard = (signals.pre_save, signals.post_save, signals.m2m_changed)
    return not any(signal.has_listeners(sender) for signal in heard for sender in senders)


@cache
def _linked_sql(model) -> str:
    """What follows the task's INSERT in the WITH: the link (its other end the last parameter), the new key."""
    field, quote = model.previous.field, connections[router.db_for_write(model)].ops.quote_name
    through, pk = model.previous.through._meta.db_table, quote(model._meta.pk.column)
    columns = f"{quote(field.m2m_column_name())}, {quote(field.m2m_reverse_name())}"
    return f"linked AS (INSERT INTO {quote(through)} ({columns}) SELECT {pk}, %s FROM new) SELECT {pk} FROM new"
