"""Planning fixtures: the Songkhla office of the inspection tests (group head, two inspectors, the
provincial industry officer, the cluster's assistant PS), its checklist, and helpers that give a
factory the inputs of each risk component."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.registry.selfreports.conftest import kinds  # noqa: F401
from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401
from workflows.complaint.models import Complaint, ComplaintStatus
from workflows.inspection.models import Answer, CorrectiveOrder, Inspection, OrderStatus

_seq = iter(range(1, 10**6))


def inspection(plant, version, by, *, closed_days_ago: int | None = 400, **extra) -> Inspection:
    """An inspection row of the factory `plant` (closed `closed_days_ago` days ago, or open when None)."""
    closed = None if closed_days_ago is None else timezone.now() - timedelta(days=closed_days_ago)
    return Inspection.objects.create(
        ref_no=f"TEST-{next(_seq):06d}", factory=plant, office_id=plant.office_id, reason="routine",
        checklist=version, created_by=by, closed_at=closed, **extra,
    )  # fmt: skip


def with_discrepancies(case: Inspection, n: int) -> None:
    items = list(case.checklist.sections.first().items.all()) if n else []
    for item in items[:n]:
        Answer.objects.create(inspection=case, item=item, value="", number=50, discrepancy=True)


def order(case: Inspection, status: str, by) -> CorrectiveOrder:
    return CorrectiveOrder.objects.create(
        inspection=case, kind="s37", requirement="ปรับปรุง", deadline=timezone.localdate() + timedelta(days=30),
        status=status, drafted_by=by,
    )  # fmt: skip


def accepted_complaint(plant, case: Inspection | None = None, status=ComplaintStatus.ACCEPTED) -> Complaint:
    return Complaint.objects.create(
        tracking_no=f"RC-TEST-{next(_seq):06d}", description="น้ำเสียไหลลงคลอง", province_id=plant.province_id,
        district=plant.district, factory=plant, office_id=plant.office_id, status=status, inspection=case,
    )  # fmt: skip


ISSUED, NOT_COMPLIED = OrderStatus.ISSUED, OrderStatus.NOT_COMPLIED


@pytest.fixture
def risky(songkhla, checklist):  # noqa: F811 (the fixtures imported above)
    """Give a factory inputs: risky(factory, discrepancies=2, issued=1, ignored=1, complaints=1, years=3)."""

    def make(plant, *, discrepancies=0, issued=0, ignored=0, complaints=0, years: float | None = None):
        by = songkhla.head
        if years is not None:
            inspection(plant, checklist, by, closed_days_ago=int(years * 365.25))
        if discrepancies or issued or ignored:
            case = inspection(plant, checklist, by, closed_days_ago=500 if years is None else int(years * 365.25))
            with_discrepancies(case, discrepancies)
            for _ in range(issued):
                order(case, ISSUED, by)
            for _ in range(ignored):
                order(case, NOT_COMPLIED, by)
        for _ in range(complaints):
            accepted_complaint(plant)
        return plant

    return make
