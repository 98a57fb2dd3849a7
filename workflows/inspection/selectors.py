"""Reads for inspection screens and PDFs: a fixed number of queries whatever the case size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Person, PositionKind
from workflows.roles import signed_as

from . import crosscheck
from .models import Answer, ChecklistSection, CorrectiveOrder, Inspection, OrderApproval, OrderStatus

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
LETTER_STATUSES = (OrderStatus.ISSUED, OrderStatus.COMPLIED, OrderStatus.NOT_COMPLIED)  # orders with a letter


def published_results(factory_ids):
    """The signed-off cases of these factories, newest first, each with its issued orders (the
    factory's operator reads them; permissions.operators.visible_results): two queries."""
    orders = CorrectiveOrder.objects.filter(status__in=LETTER_STATUSES).order_by("issued_on", "pk")
    return (
        Inspection.objects.filter(factory_id__in=sorted(factory_ids), signed_off_at__isnull=False)
        .select_related("factory", "office")
        .prefetch_related(Prefetch("orders", queryset=orders, to_attr="issued_orders"))
        .order_by("-signed_off_at", "-pk")
    )


def case_context(inspection: Inspection) -> dict:
    answers = {a.item_id: a for a in inspection.answers.select_related("item")}
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
        "embeds": [file.file.name for file in evidence if file.is_image],  # what the PDF may show
        "discrepancies": [a for a in answers.values() if a.discrepancy],
        "factory_discrepancies": crosscheck.discrepancy_counts([inspection.factory_id]).get(inspection.factory_id, 0),
        "failures": [a for a in answers.values() if a.compliant is False],
        "reviews": list(inspection.reviews.select_related("decided_by")),
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


@dataclass(frozen=True)
class Signature:
    """A signature block of a document: who, as what (acting titles kept), on which day."""

    person: Person | None = None
    title: str = ""
    on: date | None = None


def _day(moment) -> date | None:
    return timezone.localdate(moment) if moment else None


def report_context(inspection: Inspection) -> dict:
    """The inspection report: the case plus its three signatures (inspector, the group head of the
    approving round, the provincial industry officer who signed it off)."""
    context = case_context(inspection)
    inspector, inspector_as = inspection.inspector, ""
    if inspector is not None:
        on = inspection.inspected_on or timezone.localdate()
        inspector_as = signed_as(inspector, PositionKind.INSPECTOR, inspection.office, on)
    approval = next((r for r in reversed(context["reviews"]) if r.approved), None)
    context["inspector_sign"] = Signature(inspector, inspector_as, _day(inspection.submitted_at))
    context["reviewer_sign"] = (
        Signature(approval.decided_by, approval.decided_as, _day(approval.decided_at)) if approval else Signature()
    )
    context["officer_sign"] = Signature(
        inspection.signed_off_by, inspection.signed_off_as, _day(inspection.signed_off_at)
    )
    return context


def order_letter_context(order: CorrectiveOrder) -> dict:
    """The corrective order letter: the case it belongs to and the order itself."""
    return {**case_context(order.inspection), "order": order}


def case_chart(inspection: Inspection) -> str:
    """The flow diagram as SVG with the case's tasks coloured by status (where it stands)."""
    from viewflow.workflow import chart

    from .flows import InspectionFlow

    process = inspection.processes.order_by("-pk").first()
    grid = chart.calc_layout_data(InspectionFlow)
    if process is not None:
        chart.calc_cell_status(InspectionFlow, grid, process.pk)
    return chart.grid_to_svg(grid)
