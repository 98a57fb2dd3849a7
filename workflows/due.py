"""A task's due date after it was set: every move kept in the case's audit trail (action
`task.due_moved`: the step, the due date before and after, why), and the office's clock stopped while
the case waits on the factory (documents asked for, a self-report awaited), then resumed with the
days it stood still added to the due date.

The due date is written once with the task (workflows.nodes.View); whatever moves it afterwards goes
through `move` here, so its history is complete without a hook on every save of a task. A stopped
clock is kept on the task itself (`Task.data["clock_stopped"]`: since when, why, by whom); the SLA job
neither reminds nor escalates a task whose clock stands still (workflows.sla).

The clock is stopped by hand, by the holder of the step, from the case page's next-action panel
(workflows.inspection.clock), for what an inspector asks of the factory while inspecting or following
up (documents, figures): it is recorded nowhere else. It stops on its own while the factory's
compliance period runs: an issued order waits for it in the Timer `await_deadline` (no office step
open, no clock runs; its date counts from receipt in calendar days, workflows.inspection.delivery),
and when the receipt is recorded after the follow-up opened (a registered mail's return receipt
comes back late), the period ends after the follow-up's clock started: `wait_for_compliance` stops
that clock from the follow-up's opening until the period ends, and the SLA job resumes it then
(`resume_elapsed`), the due date moved on by the days it stood still."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
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
ENDED = gettext_lazy("Clock resumed: the compliance period ended")
COUNTED_FROM_END = gettext_lazy("The follow-up's days count from the end of the compliance period")


class ClockError(DomainError):
    pass


def _case(task: Task):
    return getattr(task.process.coerced, "case", None)


def _step(task: Task) -> str:
    return str(getattr(task.flow_task, "task_title", "") or task.flow_task.name)


def move(task: Task, after: datetime | None, *, reason, by=None, case=None, extra: dict | None = None) -> bool:
    """Set the task's due date and keep the change in its case's audit trail (as people read it: the
    dates in the Buddhist era, the reason in the writer's language); False when unchanged. A later date
    is reminded of again (the SLA job writes the reminder anew); an escalation stays once per task."""
    from .models import TaskNotice

    before = task.scheduled
    if before == after:
        return False
    Task.objects.filter(pk=task.pk).update(scheduled=after)
    task.scheduled = after
    if before is not None and after is not None and after > before:  # reminded again before the new date
        TaskNotice.objects.filter(task_id=task.pk, reminded_at__isnull=False).update(reminded_at=None)
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
def resume_clock(*, task: Task, by, now=None, reason=RESUMED) -> Task:
    """The factory answered: the clock runs again and the due date moves on by the days it stood
    still (at the same time of day), kept in the case's audit trail."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().select_related("process").get(pk=task.pk)
    stop = stopped_since(task)
    if stop is None or task.status not in OPEN:
        raise ClockError(_("The clock of this step is not stopped."))
    if by is not None and "until" in stop:  # stopped on its own: the SLA job resumes it (resume_elapsed)
        raise ClockError(_("This clock runs again on its own when the factory's compliance period ends."))
    task.data = {key: value for key, value in task.data.items() if key != CLOCK}
    task.save(update_fields=["data"])
    _push_back(task, datetime.fromisoformat(stop["at"]), now, reason=reason, by=by, waiting_for=stop["reason"])
    return task


def _push_back(task: Task, stopped_at: datetime, resumed_at: datetime, *, reason, by, waiting_for: str) -> None:
    """Move the task's due date on by the days its clock stood still between the two instants."""
    from . import sla

    _days, counting, _remind = sla.rule_for(task.flow_task)
    process = task.process.coerced
    case = getattr(process, "case", None)
    office_id = process.owning_office_id if case is not None else None
    days = days_stood_still(stopped_at, resumed_at, counting, office_id)
    due = timezone.localtime(task.scheduled)
    if counting == DayCount.CALENDAR:
        after = due + timedelta(days=days)
    else:
        day = add_working_days(timezone.localdate(task.scheduled), days, office_id)
        after = timezone.make_aware(datetime.combine(day, due.time()))
    extra = {"days": days, "waiting_for": waiting_for}
    if not move(task, after, reason=reason, by=by, case=case, extra=extra) and case is not None:
        audit.record(subject=case, action="task.clock_resume", label=reason, by=by, after={"task": task.pk, **extra})


def stopped_until(task: Task) -> datetime | None:
    """When a clock stopped on its own runs again by itself (None: stopped by hand, or running)."""
    until = (stopped_since(task) or {}).get("until")
    return datetime.fromisoformat(until) if until else None


@transaction.atomic
def wait_for_compliance(*, task: Task, until: datetime, deadline: date, by, case, now=None) -> bool:
    """The factory's compliance period ends at `until` (the morning after its `deadline`), after the
    follow-up `task` opened — its receipt was recorded late and moved the deadline on: the follow-up's
    clock stands still from its opening until then. When that time has passed already, the due date
    moves on at once by the days it stood still; else the clock stops until then, and the SLA job
    resumes it (`resume_elapsed`). A clock its holder stopped by hand is left to them. True when the
    due date moved or the clock stopped."""
    now = now or timezone.now()
    task = Task.objects.select_for_update().select_related("process").get(pk=task.pk)
    if task.status not in OPEN or task.flow_task_type != "HUMAN" or task.scheduled is None:
        return False
    stop = stopped_since(task)
    if stop is not None and "until" not in stop:
        return False  # stopped by hand: its holder resumes it when the factory answers
    since = datetime.fromisoformat(stop["at"]) if stop else task.created
    if until <= since:
        if stop is None:
            return False
        until = since  # the receipt corrected: the period ended before the step opened, nothing stood still
    with translation.override(settings.LANGUAGE_CODE):  # kept as people read it, as a typed reason is
        why = _("the compliance period of the order, until %(day)s") % {"day": format_be(deadline)}
    if until <= now:
        if stop is not None:
            task.data = {key: value for key, value in task.data.items() if key != CLOCK}
            task.save(update_fields=["data"])
        _push_back(task, since, until, reason=COUNTED_FROM_END, by=by, waiting_for=why)
        return True
    task.data = {**(task.data or {}), CLOCK: {"at": since.isoformat(), "until": until.isoformat(), "reason": why,
                                              "by": by.pk if by else None}}  # fmt: skip
    task.save(update_fields=["data"])
    audit.record(
        subject=case, action="task.clock_stop", label=STOPPED, by=by,
        after={"task": task.pk, "step": _step(task), "waiting_for": why, "deadline": deadline.isoformat(),
               "due": format_be(task.scheduled)},
    )  # fmt: skip
    return True


def resume_elapsed(now=None) -> int:
    """The SLA job's first part: the clocks stopped until a time that has come run again, each due date
    moved on by the days it stood still up to that time. One query finds them (whatever their number,
    they are few: a follow-up whose order's receipt was recorded late); each resumes in a few."""
    now = now or timezone.now()
    waiting = Task.objects.filter(data__clock_stopped__has_key="until", status__in=OPEN).select_related("process")
    waiting = waiting.order_by("pk")  # two runs at once lock the tasks in the same order: one waits, none deadlocks
    resumed = 0
    for task in waiting:
        until = stopped_until(task)
        if until is None or until > now:
            continue
        try:
            resume_clock(task=task, by=None, now=until, reason=ENDED)
        except ClockError:  # resumed meanwhile (by its holder, or another run of the job)
            continue
        resumed += 1
    return resumed
