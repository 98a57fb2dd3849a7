"""Reads for complaint screens: the factory a complainant typed, the public view, the open tasks."""

from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import ActingAssignment, Holding, Person, PositionKind, Province
from permissions import access
from registry.models import Factory
from workflows import duties

from .models import Complaint

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
HANDED_OVER = (STATUS.NEW, STATUS.ASSIGNED)  # a step being worked on (started) is not handed over
HANDS_OVER = duties.fills(PositionKind.GROUP_HEAD)  # who hands a complaint's step over


def find_factory(province: Province, text: str) -> Factory | None:
    """The one factory of the province whose registration number is `text`, or whose name contains
    it; None when nothing or more than one matches (the text is then kept as written)."""
    text = (text or "").strip()
    if len(text) < 3:
        return None
    factories = Factory.objects.filter(province=province)
    by_number = list(factories.filter(reg_no=text.replace("-", "").replace(" ", ""))[:2])
    if len(by_number) == 1:
        return by_number[0]
    by_name = list(factories.filter(Q(name__icontains=text))[:2])
    return by_name[0] if len(by_name) == 1 else None


def public_status(tracking_no: str) -> dict | None:
    """Only what the public may see of a complaint: never contact data, the address it came from,
    the people who handled it or internal notes."""
    number = (tracking_no or "").strip().upper()
    complaint = Complaint.objects.filter(tracking_no=number).only(
        "tracking_no", "status", "created_at", "updated_at", "answered_at", "answer"
    ).first() if number else None  # fmt: skip
    if complaint is None:
        return None
    return {
        "tracking_no": complaint.tracking_no,
        "status": complaint.get_status_display(),
        "status_code": complaint.status,
        "received": complaint.created_at,
        "updated": complaint.updated_at,
        "answered": complaint.answered_at,
        "answer": complaint.answer if complaint.is_answered else "",
    }


def open_tasks(complaint: Complaint, user) -> list[Task]:
    tasks = list(
        Task.objects.filter(process__complaintprocess__complaint=complaint, status__in=OPEN).select_related(
            "owner", "process"
        )
    )
    for task in tasks:
        task.mine = task.owner_id == user.pk
        task.claimable = task.owner_id is None and task.flow_task.can_assign(user, task)
        task.may_hand_over = may_hand_over(user, task)
    return tasks


def may_hand_over(person, task: Task) -> bool:
    """A group head of the complaint's office (or who acts as one) hands its open steps over."""
    if person is None or not person.is_authenticated or task.status not in HANDED_OVER:
        return False
    return access.can(person, "work", task.process.coerced.complaint) and HANDS_OVER(person, task)


def hand_over_candidates(task: Task) -> list[Person]:
    """Who a complaint's step may be handed to: the group heads of its office today (holding or
    acting), as the node's duty judges them, except whoever holds it now."""
    office = task.process.coerced.complaint.office
    today = timezone.localdate()
    where = Q(position__kind=PositionKind.GROUP_HEAD) & (Q(position__unit=office) | Q(position__unit__parent=office))
    people = Person.objects.filter(
        Q(pk__in=Holding.objects.active_on(today).filter(where).values("person_id"))
        | Q(pk__in=ActingAssignment.objects.active_on(today).filter(where).values("person_id"))
    ).exclude(pk=task.owner_id or 0)
    return [person for person in people.order_by("pk") if task.flow_task.may_hold(person, task)]
