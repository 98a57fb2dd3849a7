"""An inspection case and what belongs to it: answers, evidence, review rounds, corrective orders
and their approvals. Each review round and approval is its own row (a return never overwrites); both
are the approvals core's (workflows.models.approvals)."""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from project.links import link
from registry.models import Factory
from workflows.models.approvals import ApprovalStep, DecisionRound
from workflows.uploads import RandomName

from .checklists import ChecklistItem, ChecklistVersion, Severity

NUMBERED = re.compile(r"\s+(?=(?:\(?\d{1,2}[.)]|[-•])\s)")  # before "2. ", "(2) ", "- " inside a line
LEADING_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[-•])\s*")


class InspectionReason(models.TextChoices):
    PLAN = "plan", _("Risk-based plan")
    ROUTINE = "routine", _("Routine")
    COMPLAINT = "complaint", _("Complaint")
    FOLLOW_UP = "follow_up", _("Follow-up of an order")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    COMPLIANT = "compliant", _("Compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")


class Inspection(models.Model):
    ref_no = models.CharField(_("case number"), max_length=30, unique=True)
    # No index of their own: the (office, -created_at) and (factory, -created_at) indexes below start with them, and a
    # case's every write kept two more up to date for nothing.
    factory = models.ForeignKey(
        Factory, models.PROTECT, related_name="inspections", verbose_name=_("factory"), db_index=False
    )
    office = models.ForeignKey(
        Unit, models.PROTECT, related_name="inspections", verbose_name=_("office"), db_index=False
    )
    reason = models.CharField(_("reason"), max_length=10, choices=InspectionReason.choices)
    checklist = models.ForeignKey(ChecklistVersion, models.PROTECT, related_name="+", verbose_name=_("checklist"))
    follows = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="follow_ups", verbose_name=_("follows up")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("inspector")
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_as = models.CharField(_("signed as"), max_length=255, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["office", "-created_at"]),
            models.Index(fields=["factory", "-created_at"]),
            # an office's open cases (their open tasks, the dashboards' officers: a tenth of its cases)
            models.Index(fields=["office", "inspector"], condition=Q(closed_at__isnull=True), name="inspection_open"),
            # each inspector's sign-offs of a year in an office (the office page's people)
            models.Index(fields=["office", "inspector", "signed_off_at"], name="inspection_signed"),
        ]

    def __str__(self):
        return f"{self.ref_no} {self.factory.name}"

    def get_absolute_url(self):
        return link("inspection:case", self.pk)

    @cached_property
    def last_review(self) -> "ReviewRound | None":
        """The latest review round; services.review_decide sets it to the round it records, so the
        gateway after the review reads it without a query."""
        return self.reviews.order_by("-number").first()


class Answer(models.Model):
    # No index of its own: one_answer_per_item (inspection, item) starts with it.
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="answers", db_index=False)
    item = models.ForeignKey(ChecklistItem, models.PROTECT, related_name="+")
    value = models.CharField(_("answer"), max_length=255, blank=True)
    number = models.DecimalField(_("observed value"), max_digits=14, decimal_places=3, null=True, blank=True)
    number_typed = models.CharField(
        _("observed value as typed"),
        max_length=40,
        blank=True,
        help_text=_("e.g. 80.0: shown as the inspector typed it"),
    )
    note = models.TextField(_("note"), blank=True)
    compliant = models.BooleanField(_("compliant"), null=True)
    reported_number = models.DecimalField(
        _("self-reported value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    reported_source = models.CharField(
        _("self-report compared"), max_length=120, blank=True, help_text=_("Which report and period the value is from")
    )
    deviation_pct = models.DecimalField(
        _("deviation from the self-report (%)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    discrepancy = models.BooleanField(_("differs from the self-report"), default=False)

    class Meta:
        ordering = ["item__section__order", "item__order"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="one_answer_per_item")]

    def __str__(self):
        return f"{self.item.code}: {self.value or self.number_shown}"

    @property
    def number_shown(self) -> str:
        """The observed value as the inspector typed it ("80.0"), else the column's without its zeros ("80",
        never "8E+1"); "" when there is none."""
        if self.number is None:
            return ""
        if self.number_typed:
            return self.number_typed
        return f"{self.number.normalize():f}"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo or file")
    SIGNATURE = "signature", _("Signature")


class SignerRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Factory representative (acknowledgement)")
    INSPECTOR = "inspector", _("Inspector")


class Evidence(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="evidence")
    item = models.ForeignKey(ChecklistItem, models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(_("file"), upload_to=RandomName("evidence"))
    original_name = models.CharField(_("file name"), max_length=255)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices, default=EvidenceKind.PHOTO)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    thumbnail = models.FileField(_("thumbnail"), upload_to=RandomName("evidence/thumbs"), blank=True)
    # The stamp, with the inspector's consent: when the photo was taken and where (the device's position).
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("position accuracy (m)"), null=True, blank=True)
    # A signature: who signed and as what (the factory's representative acknowledges the inspection).
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_role = models.CharField(_("signer's role"), max_length=20, choices=SignerRole.choices, blank=True)
    signer_title = models.CharField(_("position of the signer"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def is_signature(self) -> bool:
        return self.kind == EvidenceKind.SIGNATURE

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class DeviceCopyReason(models.TextChoices):
    """Why a device's offline answers could not be sent (the API's refusal the device met, api.errors)."""

    TASK_TAKEN = "task_taken", _("The task was given to someone else")
    TASK_CLOSED = "task_closed", _("The task was completed, or the case closed or cancelled")
    TASK_UNCLAIMED = "task_unclaimed", _("The task was put back in the office queue")
    NOT_YOUR_DUTY = "not_your_duty", _("The inspector may no longer do the task")
    NOT_FOUND = "not_found", _("The task was no longer open to the inspector")


class DeviceCopy(models.Model):
    """The answers an inspector kept on their device while offline and could not send (issue 16, item 3: a
    conflict overwrites nothing): attached to the case as they were, for the group head to read. It changes
    no answer of the case. `answers`: [{item, code, question, value, number, note, photos}] — `photos` the
    names of the photos left on the device (their files are not sent with the copy)."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="device_copies")
    task = models.ForeignKey("viewflow.Task", models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("attached"), auto_now_add=True)
    reason = models.CharField(_("conflict"), max_length=20, choices=DeviceCopyReason.choices)
    answers = models.JSONField(_("answers"), default=list, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    inspected_on = models.DateField(_("day of the visit"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("device copy")
        verbose_name_plural = _("device copies")

    def __str__(self):
        return f"{self.inspection_id}: {self.author_id} {self.created_at:%Y-%m-%d %H:%M}"


class ReviewRound(DecisionRound):
    """The group head's review of a case: approve, or return it to the inspector with comments."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="reviews")

    case_field = "inspection"
    Meta = DecisionRound.meta(case_field, _("review round"), _("review rounds"), unique="one_review_per_round")


class OrderKind(models.TextChoices):
    S37_IMPROVE = "s37", _("Section 37: improve within a period")
    S37_STOP = "s37_stop", _("Section 37: stop operating (partly or wholly) while improving")
    S39_CLOSE = "s39", _("Section 39: suspend or close the factory")


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVING = "approving", _("Awaiting approval")
    ISSUED = "issued", _("Issued")
    COMPLIED = "complied", _("Complied")
    NOT_COMPLIED = "not_complied", _("Not complied — escalated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CorrectiveOrder(models.Model):
    inspection = models.ForeignKey(Inspection, models.PROTECT, related_name="orders")
    kind = models.CharField(_("kind of order"), max_length=10, choices=OrderKind.choices)
    requirement = models.TextField(_("what must be done"), help_text=_("One action per line."))
    period_days = models.PositiveSmallIntegerField(
        _("compliance period (days)"),
        default=30,
        help_text=_("Calendar days from the day the factory receives the order."),
    )
    deadline = models.DateField(
        _("deadline"), help_text=_("The last day of the period: from the issue date until the receipt is recorded.")
    )
    status = models.CharField(_("status"), max_length=15, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    letter_no = models.CharField(_("letter number"), max_length=50, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    signed_as = models.CharField(_("signed as"), max_length=255, blank=True)

    class Meta:
        ordering = ["-drafted_at"]
        verbose_name = _("corrective order")
        verbose_name_plural = _("corrective orders")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.inspection.ref_no}"

    @property
    def owning_office_id(self) -> int:
        return self.inspection.office_id

    @classmethod
    def current_of(cls, inspection_id: int) -> "CorrectiveOrder | None":
        """The order a case is working on: the latest one not withdrawn."""
        orders = cls.objects.filter(inspection_id=inspection_id).exclude(status=OrderStatus.WITHDRAWN)
        return orders.order_by("-drafted_at", "-pk").first()

    @property
    def actions(self) -> list[str]:
        """The required actions, one each: the lines of `requirement`, and numbered items written on
        one line ("1. เปิด… 2. หยุด…") apart, without their numbers (the letter numbers them)."""
        items = []
        for line in self.requirement.splitlines():
            for part in NUMBERED.split(line):
                part = LEADING_NUMBER.sub("", part).strip()
                if part:
                    items.append(part)
        return items


class OrderApproval(ApprovalStep):
    """One step of an order's approval chain, resolved when the order is submitted (a round each time)."""

    order = models.ForeignKey(CorrectiveOrder, models.CASCADE, related_name="approvals")

    case_field = "order"
    Meta = ApprovalStep.meta(case_field, _("order approval"), _("order approvals"), unique="one_approval_per_step")


class CaseCounter(models.Model):
    """The last case number given by an office in a fiscal year (numbers never depend on a scan)."""

    office = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case counter")
        verbose_name_plural = _("case counters")
        constraints = [models.UniqueConstraint(fields=["office", "fiscal_year"], name="one_counter_per_office_year")]

    def __str__(self):
        return f"{self.office_id}/{self.fiscal_year}: {self.last}"
