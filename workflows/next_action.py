"""The next action on a case or project page: which step is open, who holds it (name, position,
acting title when they act for a post), when it is due (Buddhist-era date, working days left or
overdue by how many), whether its clock stands still while the case waits on the factory, and how
its due date moved (the case's audit trail, workflows.due). A case waiting for a date (an order's
compliance period) shows the step the date opens and who will hold it.

`next_action(case)` reads it in a constant number of statements whatever the number of steps and
moves: the open tasks with their owners, the holdings and acting assignments of those owners, and
the due-date entries of the case's audit trail (workflows/_next_action.html shows it)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import format_be
from org.filling import signature
from org.models import ActingAssignment, Holding
from org.workdays import working_days_between

from . import audit, due, sla
from .models import AuditEntry
from .processes import case_links

WAITING = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)


@dataclass
class Move:
    before: str
    after: str
    at: str
    by: str
    reason: str


@dataclass
class NextStep:
    title: str
    person: str = ""
    position: str = ""
    acting: str = ""
    due: datetime | None = None
    due_be: str = ""
    days_left: int | None = None  # working days left; negative: overdue by that many
    badge: str = ""
    waiting_for_date: bool = False  # a timer: the step opens on its due date
    stopped_since: str = ""  # the clock stands still (waiting on the factory) since
    stopped_for: str = ""
    task_id: int | None = None
    clock: str = ""  # "stop" or "resume": what the reader, who holds the step, may do with its clock
    moves: list[Move] = field(default_factory=list)

    @property
    def overdue_by(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def _tasks_of(case) -> Q:
    """Tasks of every process about `case`: its own flow's, and the flows of records that belong to
    it through their office (a project's reports and escalations) or have no page but its
    (notify.page_of: a follow-up review's directives)."""
    from .notify import PAGE_OWNERS

    found = Q(pk__in=[])
    for model, (accessor, name) in case_links().items():
        related = model._meta.get_field(name).related_model
        if isinstance(case, related):
            found |= Q(**{f"process__{accessor}__{name}": case})
            continue
        pageless = not hasattr(related, "get_absolute_url")
        for link in related._meta.get_fields():
            if getattr(link, "many_to_one", False) and link.related_model is type(case):
                if model.case_office_path.startswith(f"{link.name}__") or (pageless and link.name in PAGE_OWNERS):
                    found |= Q(**{f"process__{accessor}__{name}__{link.name}": case})
    return found


def _title(node) -> str:
    return str(getattr(node, "task_title", "") or node.name)


def _roles(people_ids: set[int], on) -> dict[int, tuple[str, str]]:
    """{person id: (position title, acting signature)} in two statements."""
    found: dict[int, list[str]] = {pk: ["", ""] for pk in people_ids}
    if not people_ids:
        return {}
    for holding in Holding.objects.active_on(on).filter(person__in=people_ids).select_related("position"):
        found[holding.person_id][0] = found[holding.person_id][0] or holding.position.title_th
    acting = ActingAssignment.objects.active_on(on).filter(person__in=people_ids).select_related("position")
    for assignment in acting.order_by("-start"):
        found[assignment.person_id][1] = found[assignment.person_id][1] or signature(
            assignment.position.title_th, assignment.kind
        )
    return {pk: tuple(value) for pk, value in found.items()}


def _moves(case) -> dict[int, list[Move]]:
    """{task id: its due-date moves, oldest first} from the case's audit trail (one statement)."""
    entries = AuditEntry.objects.filter(chain=audit.chain_key(case), action=due.MOVED).select_related("actor")
    moves: dict[int, list[Move]] = {}
    for entry in entries.order_by("seq"):
        reason = entry.after.get("why", "")
        if entry.after.get("days") is not None:
            reason = f"{reason} (+{entry.after['days']} {_('working days')})"
        moves.setdefault(entry.after.get("task"), []).append(
            Move(
                before=entry.before.get("due") or "—",
                after=entry.after.get("due") or "—",
                at=format_be(entry.at),
                by=entry.actor_name or _("the system"),
                reason=reason,
            )
        )
    return moves


def next_action(case, now=None, user=None) -> list[NextStep]:
    """The open steps of the case (and the dated wait before one), soonest due first; `user`: who reads
    it (the holder of a step the factory may hold up may stop and resume its clock)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    tasks = list(
        Task.objects.filter(_tasks_of(case), status__in=WAITING, flow_task_type__in=("HUMAN", "TIMER"))
        .select_related("owner")
        .order_by("scheduled", "pk")
    )
    if not tasks:
        return []
    office_id = getattr(case, "office_id", None)
    inspector = getattr(case, "inspector", None)  # who a dated wait's next step goes to (an inspection)
    people = {task.owner_id for task in tasks if task.owner_id} | ({inspector.pk} if inspector else set())
    roles, moves = _roles(people, today), _moves(case)
    steps = []
    for task in tasks:
        node = task.flow_task
        timer = task.flow_task_type == "TIMER"
        if timer:
            if task.status != STATUS.SCHEDULED:
                continue
            person = inspector
            title = _title(getattr(node, "_next", None) or node)
        else:
            person, title = task.owner, _title(node)
        step = NextStep(
            title=title, waiting_for_date=timer, due=task.scheduled, moves=moves.get(task.pk, []), task_id=task.pk
        )
        if person is not None:
            step.person = person.display_name
            step.position, step.acting = roles.get(person.pk, ("", ""))
        if task.scheduled is not None:
            step.due_be = format_be(timezone.localdate(task.scheduled))
            step.days_left = working_days_between(today, timezone.localdate(task.scheduled), office_id)
            step.badge = "" if timer else sla.badge(task.scheduled, now)
        stop = None if timer else due.stopped_since(task)
        if stop:
            step.stopped_since = format_be(datetime.fromisoformat(stop["at"]))
            step.stopped_for, step.badge = stop["reason"], "stopped"
        mine = user is not None and not timer and task.owner_id is not None and task.owner_id == user.pk
        if mine and node.name in due.WAITS_ON_FACTORY and task.scheduled is not None:
            step.clock = "resume" if stop else "stop"
        steps.append(step)
    return steps
