from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.processes import CaseProcess

from .cases import Inspection, Outcome


class InspectionProcess(CaseProcess, Process):
    """The Viewflow process of one inspection case; gateways read its named predicates."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, null=True, related_name="processes")

    case_field = "inspection"
    case_related = ("office", "inspector")
    case_open = "closed_at__isnull"  # closing is the flow's last step before its end

    class Meta:
        verbose_name = _("inspection process")
        verbose_name_plural = _("inspection processes")

    @classmethod
    def case_annotations(cls, pk: str = "pk") -> dict:
        """The number of the case's latest review round: the next round's number, read with the case."""
        from .cases import ReviewRound

        latest = ReviewRound.objects.filter(inspection=models.OuterRef(pk)).order_by("-number").values("number")
        return {"last_review_number": models.Subquery(latest[:1])}

    # Named predicates the gateways read (InspectionFlow): properties, since act.process.x reads x.
    @property
    def review_approved(self) -> bool:
        last = self.case.last_review
        return last is not None and last.approved

    @property
    def is_compliant(self) -> bool:
        return self.case.outcome == Outcome.COMPLIANT  # the case the flow holds, set by inspection_submit

    def _order(self):
        from .cases import CorrectiveOrder

        return CorrectiveOrder.current_of(self.inspection_id)

    @property
    def order_awaits_approval(self) -> bool:
        order = self._order()
        return order is not None and order.status == "approving"

    @property
    def order_sent_back(self) -> bool:
        order = self._order()
        return order is not None and order.status == "draft"

    @property
    def order_obeyed(self) -> bool:
        order = self._order()
        return order is not None and order.status == "complied"
