"""Reads for inspection screens and PDFs: a fixed number of queries whatever the case size."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import Prefetch
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Holding, Person, PositionKind, Unit
from workflows.roles import signed_as

from . import crosscheck
from .models import (
    Answer,
    ChecklistSection,
    CorrectiveOrder,
    Inspection,
    Letterhead,
    OrderApproval,
    OrderStatus,
    OrderWording,
    SignerRole,
)

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
    files = list(inspection.evidence.select_related("item"))
    evidence = [file for file in files if not file.is_signature]
    signatures = {file.signer_role: file for file in files if file.is_signature}  # the latest of each role
    photos: dict[int, list] = {}
    for file in evidence:
        photos.setdefault(file.item_id, []).append(file)
    sections = []
    for section in ChecklistSection.objects.filter(version=inspection.checklist_id).prefetch_related("items"):
        rows = [(item, answers.get(item.pk), photos.get(item.pk, [])) for item in section.items.all()]
        sections.append((section, rows))
    orders = list(
        inspection.orders.select_related("delivery").prefetch_related(
            Prefetch("approvals", queryset=OrderApproval.objects.select_related("approver", "position"))
        )
    )
    return {
        "inspection": inspection,
        "factory": inspection.factory,
        "sections": sections,
        "evidence": evidence,
        "signatures": [signatures[role] for role in SignerRole.values if role in signatures],
        # what the PDF may show: the photos' thumbnails (the photo where it has none) and the signatures
        "embeds": [(file.thumbnail or file.file).name for file in files if file.is_image],
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


ACTING_PREFIXES = ("รักษาราชการแทน", "ปฏิบัติราชการแทน", "รักษาการในตำแหน่ง")


def signer_lines(person: Person | None, signed_as: str, on: date | None, delegated_from: str = "") -> list[str]:
    """The lines under the signer's name: their own position, the post they act for when they act
    (รักษาราชการแทน …), and the authority they sign for (ปฏิบัติราชการแทน …) when the order's power is
    delegated to them; one query."""
    lines = []
    if signed_as.startswith(ACTING_PREFIXES) and person is not None:
        own = Holding.objects.active_on(on or timezone.localdate()).filter(person=person).select_related("position")
        held = own.order_by("start", "pk").first()
        if held is not None:
            lines.append(held.position.title_th)
    if signed_as:
        lines.append(signed_as)
    if delegated_from and delegated_from not in lines:
        lines.append(delegated_from)
    return lines


def letterhead_of(office: Unit) -> tuple[Letterhead | None, Letterhead | None]:
    """(the office's letterhead, the nearest one above or at it that has an emblem); two queries."""
    chain = [unit.pk for unit in office.ancestors()]
    found = {row.unit_id: row for row in Letterhead.objects.filter(unit__in=chain)}
    own = found.get(office.pk)
    emblem = next((found[pk] for pk in chain if pk in found and found[pk].emblem), None)
    return own, emblem


def order_letter_context(order: CorrectiveOrder) -> dict:
    """The corrective order letter (หนังสือภายนอก): the case, the order, its kind's wording (admin
    data), the letterhead and emblem, and the signature block's lines."""
    inspection = order.inspection
    context = case_context(inspection)
    wording = OrderWording.for_kind(order.kind)
    letterhead, emblem = letterhead_of(inspection.office)
    if emblem is not None:
        context["embeds"] = [*context["embeds"], emblem.emblem.name]
    return {
        **context,
        "order": order,
        "wording": wording,
        "letterhead": letterhead,
        "emblem": emblem.emblem if emblem else None,
        "signer_lines": signer_lines(order.signed_by, order.signed_as, order.issued_on, wording.delegated_from),
    }


def case_chart(inspection: Inspection) -> str:
    """The flow diagram as SVG with the case's tasks coloured by status (where it stands): each node
    the status of its latest task, as Viewflow's chart.calc_cell_status colours it (a new task does not
    hide an earlier one's). One query; the diagram is drawn once per set of statuses and language."""
    from .flows import InspectionFlow

    statuses: dict[str, str] = {}
    process = inspection.processes.order_by("-pk").values("pk")[:1]
    tasks = InspectionFlow.task_class._default_manager.filter(process__in=process).order_by("flow_task", "created")
    for flow_task, status in tasks.values_list("flow_task", "status"):
        if not (flow_task.name in statuses and status == STATUS.NEW):
            statuses[flow_task.name] = status
    return _chart(InspectionFlow, tuple(sorted(statuses.items())), translation.get_language())


@lru_cache(maxsize=128)
def _chart(flow_class, statuses: tuple[tuple[str, str], ...], language: str) -> str:
    """Viewflow's diagram of `flow_class` with its nodes coloured by `statuses`: laid out and drawn
    anew only for a set of statuses not drawn before (its layout was a third of a case page)."""
    from viewflow.workflow import chart

    grid = chart.calc_layout_data(flow_class)
    coloured = dict(statuses)
    for node in grid.nodes:
        if node.name in coloured:
            grid[node].status = coloured[node.name]
    with translation.override(language):
        return chart.grid_to_svg(grid)
