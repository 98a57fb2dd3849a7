from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from .cases import Inspection


class InspectionProcess(Process):
    """The Viewflow process of one inspection case; gateways read its named predicates."""

    inspection = models.ForeignKey(Inspection, models.PROTECT, null=True, related_name="processes")

    class Meta:
        verbose_name = _("inspection process")
        verbose_name_plural = _("inspection processes")

    @property
    def owning_office_id(self) -> int | None:
        return self.inspection.office_id if self.inspection_id else None
