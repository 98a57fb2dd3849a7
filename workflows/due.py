"""A task's due date after it was set: every move kept in the case's audit trail (action
`task.due_moved`: the step, the due date before and after, why), and the office's clock stopped while
the case waits on the factory (documents asked for, a self-report awaited), then resumed with the
days it stood still added to the due date.

The due date is written once with the task (workflows.nodes.View); whatever moves it afterwards goes
through `move` here, so its history is complete without a hook on every save of a task. A stopped
clock is kept on the task itself (`Task.data["clock_stopped"]`: since when, why, by whom); the SLA job
neither reminds nor escalates a task whose clock stands still (workflows.sla).

The clock is stopped by hand, by the holder of the step, from the case page's next-action panel
(workflows.inspection.clock): the one wait on the factory the inspection flow itself knows — an issued
order, until its receipt and then its compliance period — is the Timer `await_deadline`, during which
no office step is open (no clock runs; its date counts from receipt in calendar days,
workflows.inspection.delivery), and what an inspector asks of the factory while inspecting or
following up (documents, figures) is not recorded anywhere the flow could stop the clock from."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import format_be
from org.errors import DomainError
from org.workdays import add_working_days, working_days_between

from . import audit
from .models import DayCount

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
# Steps during which the case may wait on the factory (documents asked for, a self-report awaited).
WAITS_ON_FACTORY = frozenset({"inspect", "follow_up"})
MOVED = "task.due_moved"
CLOCK = "clock_stopped"  # the key of Task.data while the clock stands still
RESUMED = gettext_lazy("Clock resumed: the factory answered")
STOPPED = gettext_lazy("Clock stopped: waiting on the factory")
DUE_MOVED = gettext_lazy("Due date moved")


class ClockError(DomainError):
    pass


def _case(task: Task):
    return getattr(task.process.coerced, "case", None)


def _step(task: Task) -> str:
    return str(getattr(task.flow_task, "task_title", "") or task.flow_task.name)


def move(task: Task, after: datetime | None, *, reason, by=None, case=None, extra: dict | None = None) -> bool:
    """Set the task's due date and keep the change in its case's audit trail (as people read it: the
    dates in the Buddhist era, the reason in the writer's language); False when unchanged."""
    before = task.scheduled
    if before == after:
        return False
    Task.objects.filter(pk=task.pk).update(scheduled=after)
    task.scheduled = after
    case = case if case is not None else _case(task)
    if case is not None:
        audit.record(
            subject=case,
            action=MOVED,
            label=DUE_MOVED,
            by=by,
            before={"due": format_be(before)},
            after={"task": task.pk, "step": _step(task), "due": format_be(after), "why": str(reason), **(extra or {})},
        )
    return True


def not_stopped() -> Q:
    """Tasks whose clock runs (no stop kept on them)."""
    return ~Q(data__has_key=CLOCK)


def stopped_since(task: Task) -> dict | None:
    """{"at": ISO instant, "reason": …, "by": person id} while the task's clock stands still."""
    return (task.data or {}).get(CLOCK)


@transaction.atomic
def stop_clock(*, task: Task, by, reason: str, now=None) -> Task:
    """The case waits on the factory: the office's clock on the task stands still from now."""
    reason = (reason or "").strip()
    if not reason:
        raise ClockError(_("Say what the factory is asked for."))
    task = Task.objects.select_for_update().select_related("process").get(pk=task.pk)
    if task.status not in OPEN or task.flow_task_type != "HUMAN" or task.scheduled is None:
        raise ClockError(_("Only an open step with a due date has a clock to stop."))
    if stopped_since(task):
        raise ClockError(_("The clock of this step is stopped already."))
    at = now or timezone.now()
    stop = {"at": at.isoformat(), "reason": reason[:255], "by": by.pk if by else None}
    task.data = {**(task.data or {}), CLOCK: stop}
    task.save(update_fields=["data"])
    case = _case(task)
    if case is not None:
        audit.record(
            subject=case, action="task.clock_stop", label=STOPPED, by=by,
            after={"task": task.pk, "step": _step(task), "waiting_for": reason, "due": format_be(task.scheduled)},
        )  # fmt: skip
    return task


def days_stood_still(stopped_at: datetime, resumed_at: datetime, counting: str, office_id: int | None) -> int:
    """The days the clock stood still: the working days after the day it stopped up to and including
    the day it resumed (weekends, public holidays and closure days not counted), or calendar days
    where the step's rule counts calendar days. Stopped and resumed the same day: none."""
    start, end = timezone.localdate(stopped_at), timezone.localdate(resumed_at)
    if counting == DayCount.CALENDAR:
        return (end - start).days
    return working_days_between(start, end, office_id)


@transaction.atomic
def resume_clock(*, task: Task, by, now=None) -> Task:
    """The factory answered: the clock runs again and the due date moves on by the days it stood
    still (at the same time of day), kept in the case's audit trail."""
    from . import sla

    now = now or timezone.now()
    task = Task.objects.select_for_update().select_related("process").get(pk=task.pk)
    stop = stopped_since(task)
    if stop is None:
        raise ClockError(_("The clock of this step is not stopped."))
    task.data = {key: value for key, value in task.data.items() if key != CLOCK}
    task.save(update_fields=["data"])
    _days, counting, _remind = sla.rule_for(task.flow_task)
    process = task.process.coerced
    case = getattr(process, "case", None)
    office_id = process.owning_office_id if case is not None else None
    days = days_stood_still(datetime.fromisoformat(stop["at"]), now, counting, office_id)
    due = timezone.localtime(task.scheduled)
    if counting == DayCount.CALENDAR:
        after = due + timedelta(days=days)
    else:
        day = add_working_days(timezone.localdate(task.scheduled), days, office_id)
        after = timezone.make_aware(datetime.combine(day, due.time()))
    extra = {"days": days, "waiting_for": stop["reason"]}
    if not move(task, after, reason=RESUMED, by=by, case=case, extra=extra) and case is not None:
        audit.record(subject=case, action="task.clock_resume", label=RESUMED, by=by, after={"task": task.pk, **extra})
    return task
