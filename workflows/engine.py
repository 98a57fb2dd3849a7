"""Kamkap's part of the workflow engine: how a task is taken and completed, in as few statements as
the work allows (issue 4: ≤ 12 for one completion, audit included).

Stock Viewflow locks the process row, then reloads the task, the process and its subclass row, and
the flow reads the case in a fourth query; every gateway is a task row of its own, written three times.
Here the lock statement itself loads the process (`SELECT … FOR UPDATE OF` its row on PostgreSQL;
SQLite takes its write lock at BEGIN IMMEDIATE), the task is re-read once, the case is read once
(`process.case`, workflows.processes) and gateways are decided inside the completion that reaches
them (workflows.nodes)."""

import threading
from contextlib import contextmanager
from functools import update_wrapper

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError

_held = threading.local()


class _LockTimedOut(Exception):
    pass


def load_process(flow_class, process_pk, *, lock: bool = False):
    """The flow's process (its own subclass) or None; `lock`: held to the transaction's end. Its case
    is read when first asked for (`process.case`): a case read before the service changes it would
    give the flow's functions stale values, so services take `process.case` itself."""
    processes = flow_class.process_class._default_manager.filter(pk=process_pk, flow_class=flow_class)
    if lock:
        processes = processes.select_for_update(of=("self",))
    return processes.first()


def held_process(flow_class, process_pk):
    """The process loaded by the lock this thread holds on it (no query)."""
    return getattr(_held, "processes", {}).get((flow_class, process_pk))


class ProcessLock:
    """The lock of every Kamkap flow (VIEWFLOW.md trap 1: the stock default is no lock): a blocking
    row lock on the process, taken by the statement that loads it. A second submit of the same task
    waits for the first to commit, then finds the task done; lock_timeout (settings) bounds the wait
    and `attempts` how often it is tried before FlowLockFailed ("someone else is acting …")."""

    def __init__(self, attempts: int = 2):
        self.attempts = attempts

    @contextmanager
    def __call__(self, flow_class, process_pk):
        key = (flow_class, process_pk)
        for attempt in range(1, self.attempts + 1):
            try:
                with transaction.atomic():
                    try:
                        process = load_process(flow_class, process_pk, lock=True)
                    except DatabaseError as exc:
                        raise _LockTimedOut from exc
                    processes = _held.__dict__.setdefault("processes", {})
                    outer = processes.get(key)
                    processes[key] = process
                    try:
                        yield
                    finally:
                        if outer is None:
                            processes.pop(key, None)
                        else:
                            processes[key] = outer
                return
            except _LockTimedOut:
                if attempt == self.attempts:
                    raise FlowLockFailed(f"Lock failed for {flow_class}") from None


@contextmanager
def activation(task):
    """Viewflow's `task.activation()` in two statements instead of four: lock + load the process,
    re-read the task (another person may have completed it meanwhile). Pass `activation.process.case`
    to the service: the flow's functions read that object."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id):
        process = held_process(flow_class, task.process_id)
        if process is None:
            raise FlowRuntimeError(f"No process {task.process_id} of {flow_class}")
        task.refresh_from_db()
        task.process = process
        yield task.flow_task.activation_class(task)


def wrap_view(flow_task, origin_view):
    """The execute page of a human task (replaces viewflow's wrap_view): a POST runs under the
    process lock in one transaction; the task must be this node's task of the process in the address."""
    flow_class = flow_task.flow_class

    def run(request, process, args, kwargs):
        task = flow_class.task_class._default_manager.filter(
            pk=kwargs["task_pk"], process_id=kwargs["process_pk"]
        ).first()
        if process is None or task is None or task.flow_task != flow_task:
            raise Http404("No task matches the given query.")
        task.process = process
        request.activation = flow_task.activation_class(task)
        if not flow_task.can_execute(request.user, task=task):
            raise PermissionDenied
        request.activation.start(request)
        return origin_view(request, *args, **kwargs)

    def view(request, *args, **kwargs):
        process_pk = kwargs["process_pk"]
        try:
            if request.method == "POST":
                with flow_class.lock(process_pk):
                    return run(request, held_process(flow_class, process_pk), args, kwargs)
            return run(request, load_process(flow_class, process_pk), args, kwargs)
        except TransitionNotAllowed as exc:
            raise PermissionDenied(",".join(exc.args)) from exc

    update_wrapper(view, origin_view)
    return view
