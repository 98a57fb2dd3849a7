"""The approvals core's models: what every approval of every flow records, as two abstract models.

- `DecisionRound`: one person decides on a case in a round (a case review by the group head, a plan
  by the provincial industry officer, a progress report by the head of office): approve or return.
  Each round is its own row, numbered; a return never overwrites.
- `ApprovalStep`: one step of an approval chain (corrective orders, budget projects). The chain is
  resolved when the case is submitted (workflows.chain) and recorded step by step in a round; sent
  back and submitted again, the case gets a new round and the earlier rounds stay as they were.

Decisions are TextChoices; the services that write them are workflows.approvals."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Position, PositionKind


class RoundDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return with comments")


class StepDecision(models.TextChoices):
    PENDING = "", _("Waiting")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")
    SKIPPED = "skipped", _("Skipped: position vacant")
    UNREACHED = "unreached", _("Not reached: sent back at an earlier step")


class CaseRow(models.Model):
    """What rounds and steps share: a foreign key to their case, which the concrete model adds and
    names in `case_field`, and their order within the case (`within`), one row each."""

    case_field: ClassVar[str]  # e.g. "inspection", "order"
    within: ClassVar[tuple[str, ...]]

    class Meta:
        abstract = True

    @classmethod
    def meta(cls, case_field: str, verbose_name, verbose_name_plural, *, unique: str) -> type:
        """The concrete model's Meta: the case's rows in order, one row per place in that order."""
        fields = [case_field, *cls.within]
        constraints = [models.UniqueConstraint(fields=fields, name=unique)]
        options = {"ordering": fields, "verbose_name": verbose_name, "verbose_name_plural": verbose_name_plural}
        return type("Meta", (), {**options, "constraints": constraints})

    @property
    def case_id(self) -> int:
        return getattr(self, f"{self.case_field}_id")


class DecisionRound(CaseRow):
    """One decision on a case by one person, in round `number` (1, 2, … per case)."""

    number = models.PositiveSmallIntegerField(_("round"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_as = models.CharField(_("as"), max_length=255, blank=True, help_text=_("e.g. acting for the position"))
    decision = models.CharField(_("decision"), max_length=10, choices=RoundDecision.choices)
    comments = models.TextField(_("comments"), blank=True)
    decided_at = models.DateTimeField(_("decided"), auto_now_add=True)

    within = ("number",)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.case_id} #{self.number} {self.decision}"

    @property
    def approved(self) -> bool:
        return self.decision == RoundDecision.APPROVE


class ApprovalStep(CaseRow):
    """Step `step` of round `round` of a case's approval chain: the level the rule names, the position
    and the person who filled it when the chain was resolved (how they sign), and their decision."""

    round = models.PositiveSmallIntegerField(_("round"), default=1)
    step = models.PositiveSmallIntegerField(_("step"))
    level = models.CharField(_("level"), max_length=20, choices=PositionKind.choices)
    position = models.ForeignKey(
        Position, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("position")
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approver")
    )
    approver_as = models.CharField(_("as"), max_length=255, blank=True, help_text=_("e.g. acting for the position"))
    decision = models.CharField(_("decision"), max_length=10, choices=StepDecision.choices, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    within = ("round", "step")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.case_id} {self.round}/{self.step} {self.level}"

    @property
    def pending(self) -> bool:
        return self.decision == StepDecision.PENDING

    @property
    def acting_for(self) -> str:
        """The signature when it says the approver acts for the position (what the audit records), else ""."""
        return self.approver_as if self.position and self.approver_as != self.position.title_th else ""
