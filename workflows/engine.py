"""Kamkap's part of the workflow engine: how a task is taken and completed, in as few statements as
the work allows (issue 4: ≤ 12 for one completion, audit included).

Stock Viewflow locks the process row, then reloads the task, the process and its subclass row, and
the flow reads the case in a fourth query; every gateway is a task row of its own, written three times.
Here the lock statement itself loads the process (`SELECT … FOR UPDATE OF` its row on PostgreSQL;
SQLite takes its write lock at BEGIN IMMEDIATE). Completing a task, the lock statement is the task's
own: it locks the task and its process's row and loads them with the task's owner, the process's
own subclass row and its case (`process.case`, workflows.processes: what the flow reads of it and the
head of its audit chain); gateways are decided inside the completion that reaches them (workflows.nodes).
The services change that case object (`activation.process.case`, or the caller's own given to
`activation(task, case=…)`), so that the flow's functions read what they just changed.

What is locked is the row of Viewflow's process table (and, completing, the task's row): every lock
of a process takes that row, so they exclude each other. Locked rows are read as they are once the
lock is held (PostgreSQL re-reads a row updated while it waited): a task completed meanwhile is seen
done."""

import threading
from contextlib import contextmanager
from functools import cache, partial, update_wrapper

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.lock import lock_scope
from viewflow.workflow.models import Process

from project.prepared import Prepared

from .processes import CaseProcess

_held = threading.local()


class _LockTimedOut(Exception):
    pass


def _parent_link(process_class) -> str | None:
    """The field of a process subclass pointing at its row of Viewflow's process table."""
    link = process_class._meta.parents.get(Process)
    return link.name if link is not None else None


def load_process(flow_class, process_pk, *, lock: bool = False):
    """The flow's process (its own subclass) or None; `lock`: its row of Viewflow's process table,
    held to the transaction's end. Its case is read when first asked for (`process.case`): a case read
    before the service changes it would give the flow's functions stale values, so services take
    `process.case` itself."""
    process_class = flow_class.process_class
    processes = process_class._default_manager.filter(pk=process_pk, flow_class=flow_class)
    if lock:
        processes = processes.select_for_update(of=(_parent_link(process_class) or "self",))
    return processes.first()


def load_task(flow_class, task_pk, process_pk, *, lock: bool = False):
    """The flow's task with its owner, its process (the flow's own subclass) and the process's case
    (`process.case`, as workflows.processes reads it: what the flow reads of it and its figures) in one
    statement, or None; `lock`: the task's row and its process's row, held to the transaction's end."""
    process_class = flow_class.process_class
    task = _task_query(flow_class, lock).one(task_pk, process_pk)
    if task is not None and _parent_link(process_class):
        process = getattr(task.process, _child(process_class), None)
        if process is None:
            return None
        task.process = process
        if _has_case(process_class):
            _case_loaded(task, process)
    return task


def _has_case(process_class) -> bool:
    return issubclass(process_class, CaseProcess) and bool(process_class.case_field)


def _case_loaded(task, process) -> None:
    """The case the task's statement loaded made `process.case`, its figures moved from the task to it."""
    case = getattr(process, process.case_field)  # (loaded with the task: no query)
    figures = {name: task.__dict__.pop(f"case_{name}") for name in _figure_names(type(process))}
    if case is not None:
        case.__dict__.update(figures)
        process.__dict__["case"] = case


@cache
def _figure_names(process_class) -> tuple[str, ...]:
    return tuple(process_class.case_figures())


@cache
def _task_query(flow_class, lock: bool) -> Prepared:
    """The query of `load_task` for the task's and its process's keys, compiled once per flow
    (project.prepared: building and compiling it was twice its time in PostgreSQL). The case comes with
    it: a fourth of a completion's statements was reading it on its own (`process.case`)."""
    process_class = flow_class.process_class
    tasks = flow_class.task_class._default_manager.filter(process__flow_class=flow_class)
    related = ["owner", "process"]
    if _parent_link(process_class):
        related.append(f"process__{_child(process_class)}")
        if _has_case(process_class):
            path = f"process__{_child(process_class)}__{process_class.case_field}"
            related += [path, *(f"{path}__{name}" for name in process_class.case_related)]
            figures = process_class.case_figures(pk=path)
            tasks = tasks.annotate(**{f"case_{name}": figure for name, figure in figures.items()})
    tasks = tasks.select_related(*related)
    tasks = tasks.select_for_update(of=("self", "process")) if lock else tasks
    return Prepared(lambda task_pk, process_pk: tasks.filter(pk=task_pk, process_id=process_pk), int, int)


def _child(process_class) -> str:
    return process_class._meta.parents[Process].remote_field.get_accessor_name()


def held_process(flow_class, process_pk):
    """The process loaded by the lock this thread holds on it (no query)."""
    return getattr(_held, "processes", {}).get((flow_class, process_pk))


def held_task(task_pk):
    """The task loaded by the lock this thread holds on it (no query)."""
    return getattr(_held, "tasks", {}).get(task_pk)


class ProcessLock:
    """The lock of every Kamkap flow (VIEWFLOW.md trap 1: the stock default is no lock): a blocking
    row lock on the process, taken by the statement that loads it. A second submit of the same task
    waits for the first to commit, then finds the task done; lock_timeout (settings) bounds the wait
    and `attempts` how often it is tried before FlowLockFailed ("someone else is acting …")."""

    def __init__(self, attempts: int = 2):
        self.attempts = attempts

    @contextmanager
    def __call__(self, flow_class, process_pk, task_pk=None):
        """`task_pk`: the lock is taken by loading that task of the process (`load_task`); the task
        is then `held_task(task_pk)`, its process `held_process`."""
        key = (flow_class, process_pk)
        for attempt in range(1, self.attempts + 1):
            try:
                with transaction.atomic():
                    try:
                        if task_pk is None:
                            task, process = None, load_process(flow_class, process_pk, lock=True)
                        else:
                            task = load_task(flow_class, task_pk, process_pk, lock=True)
                            process = task.process if task is not None else None
                    except DatabaseError as exc:
                        raise _LockTimedOut from exc
                    with _holding("processes", key, process), _holding("tasks", task_pk, task):
                        yield
                return
            except _LockTimedOut:
                if attempt == self.attempts:
                    raise FlowLockFailed(f"Lock failed for {flow_class}") from None


@contextmanager
def _holding(kind: str, key, value):
    """`value` held under `key` by this thread for the block (an outer holding restored after it)."""
    held = _held.__dict__.setdefault(kind, {})
    outer = held.get(key)
    held[key] = value
    try:
        yield
    finally:
        if outer is None:
            held.pop(key, None)
        else:
            held[key] = outer


def task_lock(flow_class, process_pk, task_pk):
    """The flow's lock on the process, taken by the statement that re-reads the task (ProcessLock);
    another lock implementation: its own lock, then the task read under it."""
    lock_impl = flow_class.lock_impl
    if isinstance(lock_impl, ProcessLock):
        return lock_scope(partial(lock_impl, task_pk=task_pk), flow_class, process_pk)
    return _lock_then_read(flow_class, process_pk, task_pk)


@contextmanager
def _lock_then_read(flow_class, process_pk, task_pk):
    with flow_class.lock(process_pk):
        task = load_task(flow_class, task_pk, process_pk)
        with _holding("processes", (flow_class, process_pk), task.process if task else None):
            with _holding("tasks", task_pk, task):
                yield


@contextmanager
def activation(task, case=None):
    """Viewflow's `task.activation()` in one statement instead of four: lock the process and re-read
    the task with it (another person may have completed it meanwhile). Pass `activation.process.case`
    to the service: the flow's functions read that object (loaded by the same statement). `case`: the
    caller's own object of the task's case, which the service changes, made `process.case` instead."""
    flow_class = task.flow_task.flow_class
    with task_lock(flow_class, task.process_id, task.pk):
        fresh = held_task(task.pk)
        if fresh is None:
            raise FlowRuntimeError(f"No task {task.pk} of process {task.process_id} of {flow_class}")
        if case is not None:
            _case_given(fresh.process, case)
        for field in task._meta.concrete_fields:  # as refresh_from_db: the caller keeps its object
            setattr(task, field.attname, getattr(fresh, field.attname))
            if field.is_relation:
                if field.is_cached(fresh):
                    field.set_cached_value(task, field.get_cached_value(fresh))
                elif field.is_cached(task):
                    field.delete_cached_value(task)
        yield task.flow_task.activation_class(task)


def _case_given(process, case) -> None:
    field = process._meta.get_field(process.case_field)
    if case.pk != getattr(process, field.attname) or not isinstance(case, field.related_model):
        raise FlowRuntimeError(f"{type(case).__name__} {case.pk} is not the case of process {process.pk}")
    field.set_cached_value(process, case)
    process.__dict__["case"] = case


def wrap_view(flow_task, origin_view):
    """The execute page of a human task (replaces viewflow's wrap_view): a POST runs under the
    process lock in one transaction; the task must be this node's task of the process in the address."""
    flow_class = flow_task.flow_class

    def run(request, task, args, kwargs):
        if task is None or task.flow_task != flow_task:
            raise Http404("No task matches the given query.")
        request.activation = flow_task.activation_class(task)
        if not flow_task.can_execute(request.user, task=task):
            raise PermissionDenied
        request.activation.start(request)
        return origin_view(request, *args, **kwargs)

    def view(request, *args, **kwargs):
        process_pk, task_pk = kwargs["process_pk"], kwargs["task_pk"]
        try:
            if request.method == "POST":
                with task_lock(flow_class, process_pk, task_pk):
                    return run(request, held_task(task_pk), args, kwargs)
            return run(request, load_task(flow_class, task_pk, process_pk), args, kwargs)
        except TransitionNotAllowed as exc:
            raise PermissionDenied(",".join(exc.args)) from exc

    update_wrapper(view, origin_view)
    return view
