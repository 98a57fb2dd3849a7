"""Due dates of tasks: the days a node allows (SLA rules, data), the badge a list shows and the
periodic job that reminds and escalates. A human task carries its due date from its creation in
`Task.scheduled` (workflows.nodes.View); what the job did to a task is kept in TaskNotice.

The job (`sweep`, hourly from Celery beat) works on sets: whatever the number of tasks it reads the
tasks coming due and overdue in one query each, claims them (`claim`), loads their cases in one query
per kind of process, and writes the notifications, the audit entries and the outbox row of their
e-mails in a few statements, all in one transaction — a constant number of statements (per chunk of
CLAIM_CHUNK tasks; who fills a post is asked once per office, then cached)."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import format_be
from org.workdays import add_working_days
from project import memo

from . import audit, notify
from .models import DayCount, NoticeKind, SlaRule, TaskNotice
from .processes import CaseProcess

DEFAULT_DAYS = 7
END_OF_DAY = time(16, 30)  # a task due on a day is due when the office closes


def rule_for(flow_task) -> tuple[int, str, int]:
    """(days allowed, how they are counted, working days before to remind) for a node, cached for a
    minute and kept by the process for a few seconds (project.memo; SlaRule.save forgets it); without a
    rule, DEFAULT_DAYS working days."""
    ref = get_task_ref(flow_task)

    def read():
        rule = SlaRule.objects.filter(flow_task=ref).first()
        return (rule.days, rule.counting, rule.remind_days_before) if rule else (DEFAULT_DAYS, DayCount.WORKING, 1)

    return tuple(memo.cached(SlaRule.cache_key(ref), read, 60))


def days_for(flow_task) -> int:
    return rule_for(flow_task)[0]


def due_at(flow_task, office_id: int | None, now=None) -> datetime:
    """When a new task of the node is due: at the close of the office's working day `days` working
    days after today (Bangkok; weekends, public holidays and closure days not counted), or `days`
    calendar days from now where the rule counts calendar days."""
    days, counting, _remind = rule_for(flow_task)
    now = now or timezone.now()
    if counting == DayCount.CALENDAR:
        return now + timedelta(days=days)
    day = add_working_days(timezone.localdate(now), days, office_id)
    return timezone.make_aware(datetime.combine(day, END_OF_DAY))


def due_of(task: Task):
    """When a human task is due: written with the task (workflows.nodes.View, Task.scheduled)."""
    return task.scheduled if task.flow_task_type == "HUMAN" else None


def badge(due_at, now=None) -> str:
    """ "overdue", "due" (within a day) or ""."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    if due_at < now:
        return "overdue"
    if due_at < now + timedelta(days=1):
        return "due"
    return ""


def escalation_target(task: Task, office, on):
    """Who hears of an overdue task: one level up the office's chain from whoever holds it — the group
    head above an inspector (or an unowned task), the provincial industry officer above the group
    head, the assistant PS who oversees the office above the officer (whoever acts for the post
    first). Each post's filler is asked once per office and day, then cached (workflows.roles)."""
    from org.models import PositionKind

    from .roles import filler_for_office

    if office is None:
        return None
    ladder = (PositionKind.GROUP_HEAD, PositionKind.PROVINCIAL_OFFICER, PositionKind.ASSISTANT_PS)
    fillers = [filler_for_office(kind, office, on) for kind in ladder]
    rung = max((i for i, person in enumerate(fillers) if person is not None and person.pk == task.owner_id), default=-1)
    return next((person for person in fillers[rung + 1 :] if person is not None and person.pk != task.owner_id), None)


CLAIM_CHUNK = 1000  # tasks decided, and their cases read, per statement (a few hundred kB of ids at most)


def claim(task_ids: list[int], field: str, now) -> set[int]:
    """Mark `field` (reminded_at or escalated_at) on the notices of `task_ids` that have none yet, and
    return the ids this call marked. One conditional UPDATE decides each task, so of two sweeps
    running at once (two workers, a job run twice) only one reminds or escalates it; a constant
    number of statements per chunk of tasks."""
    from django.db import connection

    if field not in ("reminded_at", "escalated_at"):
        raise ValueError(field)
    claimed: set[int] = set()
    table, column = connection.ops.quote_name(TaskNotice._meta.db_table), connection.ops.quote_name(field)
    stamp = connection.ops.adapt_datetimefield_value(now)
    for start in range(0, len(task_ids), CLAIM_CHUNK):
        chunk = task_ids[start : start + CLAIM_CHUNK]
        TaskNotice.objects.bulk_create([TaskNotice(task_id=pk) for pk in chunk], ignore_conflicts=True)
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE task_id IN ({marks}) AND {column} IS NULL RETURNING task_id",  # noqa: S608 (names quoted, values bound)
                [stamp, *chunk],
            )
            claimed.update(row[0] for row in cursor.fetchall())
    return claimed


OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
ESCALATED = gettext_lazy("Overdue: escalated one level up")


def sweep(now=None) -> tuple[int, int]:
    """The periodic SLA job: remind owners of tasks coming due (each by its rule's working days before),
    and escalate overdue tasks of every flow one level up (escalation_target), once each: a
    notification in the superior's list (and their e-mail), the owner told in the app, an entry in the
    case's audit trail. Returns (reminded, escalated)."""
    from .due import resume_elapsed

    now = now or timezone.now()
    with transaction.atomic():
        resume_elapsed(now)  # clocks stopped until a time that has come (a compliance period's end) run again
        return _remind(now), _escalate(now)


def _open_tasks():
    """Open human tasks with a due date whose clock runs (not stopped while the case waits on the
    factory, workflows.due)."""
    from .due import not_stopped

    tasks = Task.objects.filter(not_stopped(), flow_task_type="HUMAN", status__in=OPEN, scheduled__isnull=False)
    return tasks.select_related("owner", "process")


def _remind(now) -> int:
    today = timezone.localdate(now)
    furthest = max([1, *SlaRule.objects.values_list("remind_days_before", flat=True)])
    window = timezone.make_aware(datetime.combine(add_working_days(today, furthest), END_OF_DAY))
    coming = _open_tasks().filter(scheduled__lte=window, scheduled__gte=now)
    coming = coming.exclude(sla_notice__reminded_at__isnull=False).order_by("pk")
    last_day = {}  # days before → the last due day reminded of today
    due_soon = []
    for task in coming:  # each by its own rule's working days before
        before = rule_for(task.flow_task)[2]
        if before not in last_day:
            last_day[before] = add_working_days(today, before)
        if timezone.localdate(task.scheduled) <= last_day[before]:
            due_soon.append(task)
    mine = claim([task.pk for task in due_soon], "reminded_at", now)
    owned = [task for task in due_soon if task.pk in mine and task.owner_id]
    renewed = _renew_reminders(owned, now)
    fresh = [task for task in owned if task.pk not in renewed]
    processes = processes_of(fresh)
    notify.write_many(
        [
            notify.about_task(
                task, _case(processes, task), person=task.owner, kind=NoticeKind.DUE_SOON, link=notify.task_link(task)
            )
            for task in fresh
        ],
        mail_too=list(renewed.values()),
    )
    return len(mine)


def _renew_reminders(tasks: list[Task], now) -> dict[int, int]:
    """A task whose due date moved on after its owner was reminded (workflows.due.move) is reminded
    again before the new date: its reminder (one per task and person) is written anew — the new due
    date, unread, to be e-mailed — in one statement. {task id: notification id} of those renewed; one
    query finds them (none when nobody is reminded)."""
    from django.db.models import OuterRef, Subquery

    from .models import Notification

    if not tasks:
        return {}
    owners = {task.pk: task.owner_id for task in tasks}
    found = Notification.objects.filter(task_id__in=list(owners), kind=NoticeKind.DUE_SOON)
    renewed = {task_id: pk for task_id, person_id, pk in found.values_list("task_id", "person_id", "pk")
               if owners[task_id] == person_id}  # fmt: skip
    if renewed:
        due = Subquery(Task.objects.filter(pk=OuterRef("task_id")).values("scheduled")[:1])
        Notification.objects.filter(pk__in=list(renewed.values())).update(
            due=due, created_at=now, read_at=None, mailed_at=None
        )
    return renewed


def _escalate(now) -> int:
    overdue = list(
        _open_tasks().filter(scheduled__lt=now).exclude(sla_notice__escalated_at__isnull=False).order_by("pk")
    )
    mine = claim([task.pk for task in overdue], "escalated_at", now)
    tasks = [task for task in overdue if task.pk in mine]
    processes, on = processes_of(tasks), timezone.localdate(now)
    told, quiet, trail = [], [], []
    for task in tasks:
        process = processes.get(task.process_id)
        case = _case(processes, task)
        boss = escalation_target(task, process.case_office if process else None, on)
        if boss is not None:
            link = notify.case_link(process, case) if case is not None else notify.task_link(task)
            told.append(notify.about_task(task, case, person=boss, kind=NoticeKind.ESCALATED, link=link))
        if task.owner_id:  # the owner was reminded by e-mail already: told in the app
            quiet.append(
                notify.about_task(task, case, person=task.owner, kind=NoticeKind.OVERDUE, link=notify.task_link(task))
            )
        if case is not None:  # in the trail of the page that shows the case (a report's: its project's)
            after = {
                "step": notify.step_of(task),
                "held_by": task.owner.display_name if task.owner_id else "",
                "since": format_be(task.created),
                "due": format_be(task.scheduled),
                "escalated_to": str(boss or ""),
            }
            trail.append((notify.page_of(case), after))
    notify.write_many(told, quiet=quiet)
    audit.record_many(trail, action="task.escalate", label=ESCALATED)
    return len(mine)


def processes_of(tasks: list[Task]) -> dict[int, CaseProcess]:
    """{process id: the flow's own process with its case and what the flow reads of it}: one query per
    kind of process among the tasks (per chunk of CLAIM_CHUNK), whatever their number."""
    by_model = defaultdict(list)
    for task in tasks:
        by_model[task.process.flow_class.process_class].append(task.process_id)
    found = {}
    for model, ids in by_model.items():
        if not issubclass(model, CaseProcess):
            continue
        case = model.case_field
        related = {case, f"{case}__{model.case_office_path}", *(f"{case}__{name}" for name in model.case_related)}
        for start in range(0, len(ids), CLAIM_CHUNK):
            found.update(
                (process.pk, process)
                for process in model.objects.filter(pk__in=ids[start : start + CLAIM_CHUNK]).select_related(*related)
            )
    return found


def _case(processes: dict, task: Task):
    process = processes.get(task.process_id)
    return process.case if process is not None else None
