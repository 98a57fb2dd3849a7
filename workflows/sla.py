"""Due dates of tasks: the days a node allows (SLA rules, data), the badge a list shows and the
periodic job that reminds and escalates. A human task carries its due date from its creation in
`Task.scheduled` (workflows.nodes.View); what the job did to a task is kept in TaskNotice."""

from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task

from org.calendar import format_be
from org.workdays import add_working_days

from .models import DayCount, SlaRule, TaskNotice
from .processes import case_reference

DEFAULT_DAYS = 7
END_OF_DAY = time(16, 30)  # a task due on a day is due when the office closes


def rule_for(flow_task) -> tuple[int, str, int]:
    """(days allowed, how they are counted, working days before to remind) for a node, cached for a
    minute (SlaRule.save clears it); without a rule, DEFAULT_DAYS working days."""
    key = SlaRule.cache_key(get_task_ref(flow_task))
    found = cache.get(key)
    if found is None:
        rule = SlaRule.objects.filter(flow_task=get_task_ref(flow_task)).first()
        found = (rule.days, rule.counting, rule.remind_days_before) if rule else (DEFAULT_DAYS, DayCount.WORKING, 1)
        cache.set(key, found, 60)
    return tuple(found)


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
    """Who hears of an overdue task: the office's provincial industry officer (or whoever acts for
    them); when the task is theirs, the assistant PS who oversees the office."""
    from org.models import PositionKind

    from .roles import filler_for_office

    if office is None:
        return None
    for kind in (PositionKind.PROVINCIAL_OFFICER, PositionKind.ASSISTANT_PS):
        boss = filler_for_office(kind, office, on)
        if boss is not None and boss.pk != task.owner_id:
            return boss
    return None


CLAIM_CHUNK = 500


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


def sweep(now=None) -> tuple[int, int]:
    """The periodic SLA job: remind owners of tasks coming due, and escalate overdue tasks of every
    flow one level up (escalation_target), once each. Returns (reminded, escalated)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    open_tasks = Task.objects.filter(
        flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED", "STARTED"], scheduled__isnull=False
    ).select_related("owner")
    reminded = escalated = 0
    with translation.override(settings.LANGUAGE_CODE):
        today = timezone.localdate(now)
        furthest = max([1, *SlaRule.objects.values_list("remind_days_before", flat=True)])
        window = timezone.make_aware(datetime.combine(add_working_days(today, furthest), END_OF_DAY))
        coming = open_tasks.filter(scheduled__lte=window, scheduled__gte=now)
        due_soon = [
            task
            for task in coming.exclude(sla_notice__reminded_at__isnull=False)
            if timezone.localdate(task.scheduled) <= add_working_days(today, rule_for(task.flow_task)[2])
        ]  # each by its own rule's days
        mine = claim([task.pk for task in due_soon], "reminded_at", now)
        for task in (task for task in due_soon if task.pk in mine):
            owner = task.owner
            if owner and owner.email:
                send_mail(
                    _("[Kamkap] A task is due soon"),
                    _("Your task is due on %(due)s.") % {"due": format_be(timezone.localdate(task.scheduled))},
                    settings.DEFAULT_FROM_EMAIL,
                    [owner.email],
                )
            reminded += 1
        overdue = list(open_tasks.filter(scheduled__lt=now).exclude(sla_notice__escalated_at__isnull=False))
        mine = claim([task.pk for task in overdue], "escalated_at", now)
        for task in (task for task in overdue if task.pk in mine):
            process = task.process.coerced
            case = process.case
            boss = escalation_target(task, process.case_office, timezone.localdate(now))
            if boss and boss.email:
                send_mail(
                    _("[Kamkap] Overdue task escalated"),
                    _("A task of case %(case)s is overdue since %(due)s.")
                    % {"case": case_reference(case), "due": format_be(timezone.localdate(task.scheduled))},
                    settings.DEFAULT_FROM_EMAIL,
                    [boss.email],
                )
            escalated += 1
    return reminded, escalated
