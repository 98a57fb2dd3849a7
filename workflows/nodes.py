"""The flow nodes Kamkap's flows are written with: Viewflow's, with the engine's cheaper paths
(workflows.engine).

A human task (View) is given to the person its `.Assign` names only when its duty lets that person
hold it (workflows.duties); a task nobody may be given waits unowned and is reported to the process
administrator (UnheldStep). It is written with its due date in the INSERT that creates it: `Task.scheduled`,
which Viewflow reads only for timers, holds it, and the inbox reads it by the index (owner, status,
scheduled); `.Due(fn)` sets it from the case, else the node's SLA days (workflows.sla). Its page
runs under the lock that loads its process.

A gateway (If, Switch) is decided inside the completion that reaches it and leaves no task row of
its own: the task after it links to the task before it, and a predicate that fails fails that
completion (the person sees the error, nothing is half done) instead of parking the process in an
errored gateway.

A function node (Function) and the end (End) run inside that completion without a savepoint of their
own, and a process started from code (StartHandle) inside its caller's transaction without one and
without locking the row it has just inserted: with Viewflow's default (an error propagates), the
savepoint only ever rolled back what the whole transaction then rolled back anyway. Where an error is
kept on the task instead (a timer's or a job's run: `propagate_exception` off) the stock guard and
savepoint stay. Four SAVEPOINT/RELEASE pairs, a lock and an UPDATE fewer per inspection chain."""

from contextlib import ExitStack
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connections, router, transaction
from django.urls import path
from django.utils.timezone import now
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.end import EndActivation as StockEndActivation
from viewflow.workflow.nodes.func import FunctionActivation as StockFunctionActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.start import StartHandleActivation as StockStartHandleActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.nodes.view import ViewActivation as StockViewActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import PROCESS, STATUS

from project.prepared import Prepared, inserted, unheard

from . import duties, engine, notify, sla, task_rows


class ViewActivation(StockViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """Viewflow's ViewActivation.create, with the due date set before the task is saved and the e-mail to
        its owner written with it (notify.task_mail: every human task of every flow tells its owner)."""
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        refused = None
        if owner is not None and not flow_task.may_be_given(owner, task):
            refused, owner = owner, None
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        task.scheduled = flow_task.due_at(activation)
        task_rows.insert_linked(task, prev_activation.task, mail=notify.task_mail(task))  # its owner told
        if owner is None and flow_task._duty is not None:
            duties.report_unheld(task, refused=refused)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @StockViewActivation.status.super()
    def assign(self, user):
        """Viewflow's assign (taken from the queue), then the node's `.onAssign` hook."""
        self.task.owner = user
        self.task.save()
        self._changed_hands()
        if self.flow_task._on_assign is not None:
            self.flow_task._on_assign(self)

    _done_with_next = False

    @StockViewActivation.status.super()
    def complete(self):
        _completed(self)

    @StockViewActivation.status.super()
    def execute(self):
        """Viewflow's execute: complete, then the next steps; the task saved on its own at the end when no
        next task's statement saved it (an end, a timer). Where an error is kept on a task (propagate_exception
        off) the next tasks are written as by Viewflow, and so is this one, at once."""
        _completed_with_next(self)

    @StockViewActivation.status.super()
    def unassign(self):
        """Viewflow's unassign (given back to the queue)."""
        self.task.owner = None
        self.task.save()
        self._changed_hands()

    @StockViewActivation.status.super()
    def reassign(self, user=None):
        """Viewflow's reassign (no page of ours offers it; duties.hand_over is the way by hand), to a person
        the step's duty lets hold it only."""
        if user and not self.flow_task.may_hold(user, self.task):
            raise PermissionDenied
        if user:
            self.task.owner = user
        self.task.save()
        self._changed_hands()

    def _changed_hands(self):
        """The dashboard counts each officer's open tasks (dashboards.summary.task_dues): a task that
        changes hands without a task being created marks its office for the next pass."""
        from dashboards import summary

        summary.mark_tasks(getattr(self.process.coerced, "owning_office_id", None))


class View(flow.View):
    activation_class = ViewActivation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._due = None
        self._duty = None
        self._on_assign = None

    def Duty(self, may_hold):
        """Who may hold this step (workflows.duties): a function of (person, task). Asked when the
        task is taken from the queue, given by hand (may_hold) and executed; without one, anyone
        with the node's permission may take it and its owner may execute it."""
        self._duty = may_hold
        return self

    def may_hold(self, person, task) -> bool:
        return self._duty is None or (person is not None and person.is_authenticated and self._duty(person, task))

    def may_be_given(self, person, task) -> bool:
        """Whether the person the node's `.Assign` names may be given the new task: asked of every
        rule but `named`, which holds for that person by definition (and would ask `.Assign` again)."""
        return self._duty is duties.named or self.may_hold(person, task)

    def can_assign(self, user, task):
        if self._duty is None or task.owner_id or user is None or user.is_anonymous:
            return super().can_assign(user, task)
        return self.may_hold(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self.may_hold(user, task)

    def Due(self, due):
        """When the task is due: a function of the activation giving an aware datetime."""
        self._due = due
        return self

    def onAssign(self, ref):
        """Called with the activation when someone takes the task from the queue."""
        self._on_assign = ref
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._due = this.resolve(instance, self._due)
        self._duty = this.resolve(instance, self._duty)
        self._on_assign = this.resolve(instance, self._on_assign)

    def due_at(self, activation):
        if self._due is not None:
            return self._due(activation)
        return sla.due_at(self, activation.process.coerced.owning_office_id)

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            engine.wrap_view(self, self.view),
            name="execute",
        )


class Approval(View):
    """A step of an approval chain (workflows.approvals): given to the approver the case's pending
    step names, and held by that person only — never by anyone the flow excludes for that step
    (segregation of duties), however the task reached them. Approval steps are never handed over by
    hand: when the chain changes, the next step names its approver again.

    `chain`: a function of the process giving the case's approval steps (a related manager), or None
    while there is none; `never`: a function of (process, pending step) giving the ids of people who
    may never decide it (e.g. the case's inspector; the order's drafter above the first level)."""

    def __init__(self, view, *, chain, never):
        super().__init__(view)
        self._chain, self._never = chain, never

    def _resolve(self, instance):
        """On the node the flow keeps (Viewflow copies the nodes a class declares), its owner and
        duty are its own approver and pending-approver rule."""
        super()._resolve(instance)
        self._chain = this.resolve(instance, self._chain)
        self._never = this.resolve(instance, self._never)
        self._owner, self._duty = self.approver, self.is_pending_approver

    def pending(self, process):
        from . import approvals

        steps = self._chain(process.coerced)
        return approvals.pending(steps) if steps is not None else None

    def approver(self, activation):
        step = self.pending(activation.process)
        return step.approver if step else None

    def is_pending_approver(self, person, task) -> bool:
        process = task.process.coerced
        step = self.pending(process)
        if step is None or person.pk in self._never(process, step):
            return False
        return step.approver_id == person.pk


class InlineGateway:
    """Activation of a gateway that is not written to the database: `previous` is the activation of
    the persisted task that reached it, which the next task links to."""

    previous = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        activation = cls(task)
        activation.previous = (
            prev_activation.previous if isinstance(prev_activation, InlineGateway) else prev_activation
        )
        return activation

    # The task has no primary key: an activation is itself (Viewflow hashes activations by task).
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other


class InlineIfActivation(InlineGateway, IfActivation):
    @Activation.status.super()
    def activate(self):
        self._condition_result = self.flow_task._condition(self)

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()

    @Activation.status.super()
    def create_next(self):
        node, data, seed = (
            (self.flow_task._on_true, self.flow_task._on_true_data, self.flow_task._on_true_seed)
            if self._condition_result
            else (self.flow_task._on_false, self.flow_task._on_false_data, self.flow_task._on_false_seed)
        )
        if node:
            yield node._create(
                self.previous, self.task.token, data=data(self) if data else None, seed=seed(self) if seed else None
            )


class InlineSwitchActivation(InlineGateway, SwitchActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition in self.flow_task._branches:
            if condition is None:
                self.next_task = node  # the default, unless a later case holds
            elif condition(self):
                self.next_task = node
                break
        if self.next_task is None:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()

    @Activation.status.super()
    def create_next(self):
        yield self.next_task._create(self.previous, self.task.token)


class If(flow.If):
    activation_class = InlineIfActivation


class Switch(flow.Switch):
    activation_class = InlineSwitchActivation


def _guarded(activation) -> ExitStack:
    """Viewflow's exception guard and savepoint where an error is kept on the task (propagate_exception
    off); none where it propagates and fails the whole completion."""
    stack = ExitStack()
    if not context.propagate_exception:
        stack.enter_context(activation.exception_guard())
        stack.enter_context(transaction.atomic(savepoint=True))
    return stack


def _completed(activation) -> None:
    """Viewflow's complete; in `execute` (`_completed_with_next`) the task's done row is written by the next
    task's statement (task_rows.insert_linked), not on its own."""
    assert transaction.get_connection().in_atomic_block
    activation.task.finished = now()
    if activation._done_with_next:
        task_rows.save_with_next(activation.task)
    else:
        activation.task.save()
    task_finished.send(sender=activation.flow_class, process=activation.process, task=activation.task)


def _completed_with_next(activation, between=lambda: None) -> None:
    """Complete, `between()`, then the next steps, the task's row written by the first next task's statement
    or, when none took it (an end, a timer), on its own at the end."""
    activation._done_with_next = context.propagate_exception
    try:
        activation.complete()
    finally:
        activation._done_with_next = False
    between()
    activation.activate_next()
    task_rows.flush(activation.task)


class StartHandleActivation(StockStartHandleActivation):
    _done_with_next = False

    @StockStartHandleActivation.status.super()
    def execute(self):
        """Viewflow's start, in the caller's transaction: the process row is this transaction's own
        (nobody else sees it before the commit), so it is neither locked nor re-read. Its two tables (Viewflow's
        and the case's process) are written by one statement (project.prepared.inserted), and the start task's
        row by the first next task's (`_completed_with_next`)."""
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with transaction.atomic(savepoint=False):
            inserted(self.process)
            _completed_with_next(self, lambda: flow_started.send(
                sender=self.flow_class, process=self.process, task=self.task))  # fmt: skip

    @StockStartHandleActivation.status.super()
    def complete(self):
        _completed(self)


class StartHandle(flow.StartHandle):
    activation_class = StartHandleActivation


class WrittenOnce(Activation):
    """Activation of a node run inside the completion that reaches it (Function, End) where an error
    propagates: its task row is written once, done, when it completes (an INSERT), not made at its
    creation and updated at its completion. Where an error is kept on the task (propagate_exception off)
    it is made at once, as by Viewflow, so that the error has a row to be kept on."""

    _previous_task = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous_task = prev_activation.task
        return activation

    @Activation.status.super()
    def complete(self):
        """Viewflow's complete, the task linked to the one before it once it has its row."""
        self.task.finished = now()
        task_rows.insert_linked(self.task, self._previous_task)
        self._previous_task = None
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    # Until it is written the task has no primary key: an activation is itself (Viewflow hashes
    # activations by task).
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other


class FunctionActivation(WrittenOnce, StockFunctionActivation):
    @StockFunctionActivation.status.super()
    def activate(self):
        with _guarded(self):
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.flow_task._func(self)


class Function(flow.Function):
    activation_class = FunctionActivation


class EndActivation(WrittenOnce, StockEndActivation):
    @StockEndActivation.status.super()
    def activate(self):
        """Viewflow's end: the process is done when no other task of it is open; only the process
        table's row is written (not the subclass row, which it does not change)."""
        with _guarded(self):
            task_rows.flush(self._previous_task)  # a step just done, its row still to be written, is not open
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            last = _done_if_last(self.flow_class.task_class, self.process, self.task.pk or 0)
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if last:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


def _done_if_last(task_class, process, task_pk: int) -> bool:
    """Mark the process done (its status and end, in Viewflow's table only) if no task of it but `task_pk` (0:
    none) is unfinished; whether it was. One UPDATE on the condition that no such task exists (the check and the
    write were two statements); where something listens to the process's saves, the check, then its save."""
    model = type(process)
    if not unheard(model):
        if _others_open(task_class, process.pk, task_pk):
            return False
        process.status, process.finished = PROCESS.DONE, now()
        process.save(update_fields=["status", "finished"])
        return True
    finished, alias = now(), router.db_for_write(model, instance=process)
    connection = connections[alias]
    value = model._meta.get_field("finished").get_db_prep_save(finished, connection)
    with connection.cursor() as cursor:
        cursor.execute(_done_sql(task_class, model, alias), [PROCESS.DONE, value, process.pk, process.pk, task_pk])
        last = cursor.rowcount == 1
    if last:
        process.status, process.finished = PROCESS.DONE, finished
    return last


@cache
def _done_sql(task_class, process_class, alias: str) -> str:
    quote, status = connections[alias].ops.quote_name, process_class._meta.get_field("status")
    table, finished = status.model._meta, process_class._meta.get_field("finished").column  # Viewflow's Process
    tasks = task_class._meta
    process_of, task_finished_at = tasks.get_field("process").column, tasks.get_field("finished").column
    others = (
        f"SELECT 1 FROM {quote(tasks.db_table)} WHERE {quote(process_of)} = %s AND {quote(task_finished_at)} IS NULL "
        f"AND {quote(tasks.pk.column)} <> %s"
    )
    return (
        f"UPDATE {quote(table.db_table)} SET {quote(status.column)} = %s, {quote(finished)} = %s "
        f"WHERE {quote(table.pk.column)} = %s AND NOT EXISTS ({others})"
    )


_OTHERS_OPEN: dict[type, Prepared] = {}  # by task model


def _others_open(task_class, process_pk: int, task_pk: int) -> bool:
    """Whether a task of the process other than `task_pk` (0: none) is not finished; compiled once per task
    model (asked at every end of a case: building it cost more than running it)."""
    prepared = _OTHERS_OPEN.get(task_class)
    if prepared is None:
        open_tasks = task_class._default_manager.filter(finished__isnull=True)
        prepared = _OTHERS_OPEN[task_class] = Prepared(
            lambda process, task: open_tasks.filter(process=process).exclude(pk=task).values_list("pk")[:1], int, int
        )
    return bool(prepared.rows(process_pk, task_pk))


class End(flow.End):
    activation_class = EndActivation
