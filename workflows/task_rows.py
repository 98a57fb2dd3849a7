"""A new task's row and its link to the task before it (Viewflow's `Task.previous`), written together.

On PostgreSQL one statement does both: the model's own INSERT (project.prepared.insert_of: its fields' defaults
and `pre_save` included) inside a data-modifying WITH that also writes the link,

    WITH new AS (INSERT INTO viewflow_task (…) VALUES (…) RETURNING id),
         linked AS (INSERT INTO viewflow_task_previous (from_task_id, to_task_id) SELECT id, %s FROM new)
    SELECT id FROM new

instead of `task.save()` then `task.previous.add(previous)` (two round trips, and the related manager's
bulk_create built for one row). The outbox row of the e-mail to the task's owner (workflows.notify.task_mail)
is a third INSERT of the same WITH, its argument the new key. Every human task, function and end of a chain
is written so (one statement fewer each). On SQLite (no INSERT inside WITH) the same INSERTs and UPDATE run one
after another (`_written_apart`), each built once, not by the saves and the related manager's add (which build
theirs each time: 0.77 → 0.29 ms a new task in a chain on SQLite, 4 Dec 2026, one-off measurement). A task
already saved, a model with a parent table or its own save, or a model something listens to (save or link
signals, which these statements would not send): its save and the add, as Viewflow writes them.

A human task completed by its page (nodes.ViewActivation.execute) is not saved on its own: its done row
is written by the next task's statement (`done AS (UPDATE …)` in the same WITH), or by `flush` once the
completion's next steps are made when none took it (an end, a timer). So is a flow's start task
(nodes.StartHandleActivation), whose row is new: `done AS (INSERT …)`, the link made to its new key."""

from functools import cache

from django.db import DatabaseError, connections, router, transaction
from django.db.models import signals
from viewflow.workflow.models import AbstractTask

from project.prepared import insert_of, row_inserted, saved_as, saved_plainly, update_of

PENDING = "_kamkap_done_unsaved"  # in a task's __dict__: its done row is still to be written


def save_with_next(task) -> None:
    """`task` (done) is saved by the next task's statement, or by `flush`."""
    task.__dict__[PENDING] = True


def flush(task) -> None:
    """Save `task` if its row is still to be written (no next task's statement took it): an UPDATE that fails
    when the row is gone, as in the next task's statement (never an INSERT of it again); the INSERT of a
    task that has no row yet (a start)."""
    if task is not None and task.__dict__.pop(PENDING, False):
        task.save(force_update=task.pk is not None)


def insert_linked(task, previous, mail=None) -> None:
    """Save the new `task` and link it to `previous` (a task, or None: no link); `previous` saved in the same
    statement when its row is still to be written (save_with_next: updated, or inserted when it has none yet).
    `mail`: an outbox row not yet
    written (workflows.outbox.unwritten) whose arguments are the new task's key alone, written with it."""
    model = type(task)
    alias = router.db_for_write(model, instance=task)
    connection = connections[alias]
    built = previous is not None and task.pk is None and _built_once(model, connection)
    if not built or (mail is not None and not saved_plainly(type(mail))):
        flush(previous)
        task.save(using=alias)
        if previous is not None:
            task.previous.add(previous)
        if mail is not None:
            mail.args = [task.pk]
            mail.save(using=alias)
        return
    done = bool(previous.__dict__.get(PENDING)) and type(previous) is model
    began = done and previous.pk is None  # a start task: its row is new too
    if connection.vendor != "postgresql":
        _written_apart(task, previous, mail, alias, done=done, began=began)
        return
    insert, params = insert_of(_typed(task), alias)
    parts, last = [f"new AS ({insert})"], [] if began else [previous.pk]
    if done:
        written, written_params = insert_of(_typed(previous), alias) if began else update_of(previous, None, alias)
        parts.insert(0, f"done AS ({written})" if began else f"done AS ({written} RETURNING 1)")
        params = [*written_params, *params]
    if mail is not None:
        mail_insert, mail_params = insert_of(mail, alias, {"args": _MAIL_ARGS})
        parts.append(f"mail AS ({mail_insert})")
        params = [*params, *mail_params]
    linked = _linked_sql(model, done=done, began=began, mail=mail is not None)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)}, {linked}", [*params, *last])
        row = cursor.fetchone()
    if done and not began and row[1] != 1:
        raise DatabaseError("Forced update did not affect any rows.")  # as save(force_update=True)
    if done:
        del previous.__dict__[PENDING]
    if began:
        saved_as(previous, row[1], alias)
    saved_as(task, row[0], alias)
    if mail is not None:
        mail.args = [task.pk]
        saved_as(mail, row[-1], alias)


_MAIL_ARGS = "(SELECT jsonb_build_array(id) FROM new)"  # the mail's arguments: the new task's key (PostgreSQL)


def _typed(task):
    """What Viewflow's Task.save adds to the model's save: the node's type."""
    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type
    return task


def _written_apart(task, previous, mail, alias: str, *, done: bool, began: bool) -> None:
    """`insert_linked` where one statement cannot hold it all (SQLite: no INSERT in a WITH): the previous task's
    row, the task's, the link and the mail's, one after another, each statement built once (all or none)."""
    with transaction.atomic(using=alias, savepoint=False), connections[alias].cursor() as cursor:
        if done and began:
            row_inserted(_typed(previous), alias)
        elif done:
            cursor.execute(*update_of(previous, None, alias))
            if cursor.rowcount != 1:
                raise DatabaseError("Forced update did not affect any rows.")  # as save(force_update=True)
        if done:
            del previous.__dict__[PENDING]
        row_inserted(_typed(task), alias)
        cursor.execute(_link_sql(type(task), alias), [task.pk, previous.pk])
        if mail is not None:
            mail.args = [task.pk]
            row_inserted(mail, alias)


@cache
def _link_sql(model, alias: str) -> str:
    return f"INSERT INTO {_link_table(model, alias)} VALUES (%s, %s)"


def _link_table(model, alias: str) -> str:
    """The table of `Task.previous` with its two columns: the new task's, then the previous task's."""
    field, quote = model.previous.field, connections[alias].ops.quote_name
    columns = ", ".join(map(quote, (field.m2m_column_name(), field.m2m_reverse_name())))
    return f"{quote(model.previous.through._meta.db_table)} ({columns})"


def _built_once(model, connection) -> bool:
    """Whether the rows can be written by statements built here: the task model saved as Viewflow's Task
    is, nothing listening to its saves or its links, and a database that returns a new row's key."""
    if not connection.features.can_return_columns_from_insert:
        return False
    if model._meta.parents or model.save is not AbstractTask.save:
        return False
    senders = (model, model.previous.through)  # asked each time: a receiver may be connected at any time
    heard = (signals.pre_save, signals.post_save, signals.m2m_changed)
    return not any(signal.has_listeners(sender) for signal in heard for sender in senders)


@cache
def _linked_sql(model, *, done: bool = False, began: bool = False, mail: bool = False) -> str:
    """What follows the task's INSERT in the WITH: the link (its other end the last parameter, or the previous
    task's new key when its row `began` in the statement), the new key (and, after the previous task's UPDATE,
    how many rows it updated, after its INSERT its key; after the mail's INSERT, its key)."""
    alias = router.db_for_write(model)
    pk = connections[alias].ops.quote_name(model._meta.pk.column)
    written = f", (SELECT {pk} FROM done)" if began else ", (SELECT count(*) FROM done)" if done else ""
    mailed = ", (SELECT id FROM mail)" if mail else ""
    ends = f"new.{pk}, done.{pk} FROM new, done" if began else f"{pk}, %s FROM new"
    return f"linked AS (INSERT INTO {_link_table(model, alias)} SELECT {ends}) SELECT {pk}{written}{mailed} FROM new"
