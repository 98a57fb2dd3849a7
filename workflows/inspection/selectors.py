"""Reads for inspection screens and PDFs: a fixed number of queries whatever the case size."""

from django.db.models import Prefetch
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .models import Answer, ChecklistSection, Inspection, OrderApproval

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def case_context(inspection: Inspection) -> dict:
    answers = {a.item_id: a for a in inspection.answers.all()}
    evidence = list(inspection.evidence.select_related("item"))
    photos: dict[int, list] = {}
    for file in evidence:
        photos.setdefault(file.item_id, []).append(file)
    sections = []
    for section in ChecklistSection.objects.filter(version=inspection.checklist_id).prefetch_related("items"):
        rows = [(item, answers.get(item.pk), photos.get(item.pk, [])) for item in section.items.all()]
        sections.append((section, rows))
    orders = list(
        inspection.orders.prefetch_related(
            Prefetch("approvals", queryset=OrderApproval.objects.select_related("approver", "position"))
        )
    )
    return {
        "inspection": inspection,
        "factory": inspection.factory,
        "sections": sections,
        "evidence": evidence,
        "discrepancies": [a for a in answers.values() if a.discrepancy],
        "failures": [a for a in answers.values() if a.compliant is False],
        "reviews": list(inspection.reviews.select_related("reviewer")),
        "orders": orders,
    }


def failing_answers(inspection: Inspection):
    return Answer.objects.filter(inspection=inspection, compliant=False).select_related("item")


def open_tasks(inspection: Inspection, user) -> list[Task]:
    """The case's open tasks, each marked whether `user` may execute it now."""
    tasks = list(
        Task.objects.filter(process__inspectionprocess__inspection=inspection, status__in=OPEN).select_related(
            "owner", "process"
        )
    )
    for task in tasks:
        task.mine = task.owner_id == user.pk
    return tasks
