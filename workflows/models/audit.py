"""The audit trail: one append-only hash chain per case. Rows are written by workflows.audit.record."""

import re
from datetime import date, datetime
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from project import choices
from workflows.errors import AuditError

GENESIS = "0" * 64  # the "previous hash" of the first entry of every chain


class AuditChain(models.Model):
    """The head of one chain: how many entries it has and the hash of the last one.
    Locked while an entry is appended, so that entries of one case never race."""

    key = models.CharField(_("chain"), max_length=100, primary_key=True)
    seq = models.PositiveIntegerField(_("entries"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("audit chain")
        verbose_name_plural = _("audit chains")

    def __str__(self):
        return f"{self.key} ({self.seq})"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditError(_("Audit entries cannot be changed."))

    def delete(self):
        raise AuditError(_("Audit entries cannot be deleted."))

    update.alters_data = True
    delete.alters_data = True
    delete.queryset_only = True


class AuditEntry(models.Model):
    """Who did what to a case, acting for whom, when, with the data before and after.
    `hash` covers the content and `prev_hash`, the hash of the entry before it in the chain."""

    chain = models.CharField(_("chain"), max_length=100)  # indexed by the (chain, seq) constraint
    seq = models.PositiveIntegerField(_("sequence"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("actor"),
        help_text=_("Blank when the system acted."),
    )
    actor_name = models.CharField(_("actor name"), max_length=200, blank=True)
    acting_for = models.CharField(
        _("acting for"), max_length=300, blank=True, help_text=_("e.g. รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท")
    )
    action = models.CharField(_("action"), max_length=50)
    label = models.CharField(_("label"), max_length=200)
    comment = models.TextField(_("comment"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_chain_seq")]

    def __str__(self):
        return f"{self.chain} #{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditError(_("Audit entries cannot be changed."))
        kwargs["force_insert"] = True  # never an UPDATE, even with a primary key set by hand
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditError(_("Audit entries cannot be deleted."))

    @property
    def title(self) -> str:
        """What the entry did, in the reader's language: its stored label as the catalogue translates
        it; a label stored in another language than the reader's (written with a value in it, or never
        in the catalogue) by its action's label (ACTION_LABELS); never a bare action key."""
        label = self.label or ""
        translated = gettext(label) if label else ""
        if translated and translated != label:
            return translated
        reader_thai = (get_language() or "").startswith("th")
        if label and bool(THAI.search(label)) == reader_thai:
            return label
        known = action_label(self.action)
        return str(known) if known is not None else label or self.action

    def changes(self) -> list[tuple[str, object, object]]:
        """(label, before, after) for every key in either snapshot, for the timeline: a field of the
        case's model shows its verbose name (Thai), other keys (checklist item codes) as they are."""
        keys = sorted(self.before.keys() | self.after.keys())
        return [
            (field_label(self.chain, key), shown(self.chain, key, self.before.get(key)),
             shown(self.chain, key, self.after.get(key)))
            for key in keys
        ]  # fmt: skip


EXTRA_LABELS = {
    "photos": _("photos"),
    "file": _("file"),
    "answer": _("answer"),
    "decision": _("decision"),
    "comments": _("comments"),
    "assignee": _("assignee"),
    "due_on": _("due date"),
    "directive_no": _("directive number"),
    "allocation": _("allocation (baht)"),
    "budget_lines": _("budget lines"),
    "levels": _("approval levels"),
    "cumulative": _("cumulative disbursement (baht)"),
    "disbursed": _("disbursed this month (baht)"),
    "evidence": _("evidence"),
    "kpi_actuals": _("KPI results"),
    "needs": _("needs"),
    "problems": _("problems"),
    "progress_pct": _("physical progress (%)"),
    "inspectors": _("inspectors"),
    # a step's due date, its clock and its escalation (workflows.due, workflows.sla)
    "task": _("task no."),
    "step": _("step"),
    "due": _("due date"),
    "why": _("why"),
    "days": _("days added"),
    "waiting_for": _("waiting on the factory for"),
    "held_by": _("held by"),
    "since": _("held since"),
    "escalated_to": _("escalated to"),
    "owner": _("held by"),
    # how an order reached the factory (workflows.inspection.delivery)
    "method": _("delivered by"),
    "received_on": _("received on"),
    "receiver": _("received by"),
    "tracking_no": _("tracking number"),
    "posted_on": _("mailed on"),
    "note": _("note"),
    "deadline": _("deadline"),
    # a corrective order drafted (workflows.inspection.services.order_draft)
    "period_days": _("compliance period (days)"),
    "requirement": _("what must be done"),
    # a signed document (workflows.inspection.issued)
    "kind": _("kind"),
    "reference": _("reference number"),
    "certificate": _("certificate"),
    # a device's offline copy attached to the case (workflows.inspection.services.device_copy_attach)
    "device_copy": _("device copy no."),
    "conflict": _("conflict"),
    "answered": _("items answered"),
}
EXTRA_DATES = frozenset({"received_on", "posted_on", "deadline"})  # stored ISO, shown in the Buddhist era
EXTRA_TRANSLATED = frozenset({"step"})  # a node's title, stored untranslated
EXTRA_CHOICES = {
    "method": "workflows.inspection.models.DeliveryMethod",
    "conflict": "workflows.inspection.models.DeviceCopyReason",
    "kind": ("workflows.inspection.models.OrderKind", "workflows.inspection.models.DocumentKind"),
}  # (imported when shown: no cycle; a key two records use names the choices of both, whose values differ)


# What each action of the trail did, for the timeline (AuditEntry.title) where the stored label does not
# read in the reader's language (a label written with a value in it, in the writer's language, or one
# the catalogue never knew). Every action key written anywhere is here (tests/workflows/test_audit_labels.py).
ACTION_LABELS = {
    "case.open": _("Case opened"),
    "case.assign": _("Inspector assigned"),
    "case.answers": _("Checklist saved"),
    "case.evidence": _("Evidence added"),
    "case.signature": _("Signature added"),
    "case.device_copy": _("Device copy attached"),
    "case.submit": _("Submitted for review"),
    "case.sign_off": _("Report signed off"),
    "case.close": _("Case closed"),
    "case.edit": _("Case data edited"),
    "review.approve": _("Review: approved"),
    "review.return": _("Review: returned with comments"),
    "review.open": _("Follow-up review recorded"),
    "order.draft": _("Order drafted"),
    "order.skip": _("Approval level vacant: passed up the chain"),
    "order.approve": _("Order approved"),
    "order.return": _("Order sent back"),
    "order.delivered": _("Order delivery recorded"),
    "order.follow_up": _("Follow-up of the order recorded"),
    "document.sign": _("Document signed electronically"),
    "document.revoke": _("Document revoked"),
    "checklist.create": _("Checklist created"),
    "checklist.draft": _("New checklist draft"),
    "checklist.publish": _("Checklist version published"),
    "complaint.submit": _("Complaint received"),
    "complaint.accept": _("Complaint accepted"),
    "complaint.reject": _("Complaint rejected"),
    "complaint.answer": _("Complainant answered"),
    "complaint.close": _("Complaint closed"),
    "plan.generate": _("Plan generated"),
    "plan.add": _("Factory added to the plan"),
    "plan.remove": _("Factory removed from the plan"),
    "plan.submit": _("Plan submitted for approval"),
    "plan.approve": _("Plan approved"),
    "plan.return": _("Plan returned for changes"),
    "plan.start": _("Inspection cases started"),
    "capacity.edit": _("Inspection capacity changed"),
    "risk.weight": _("Risk weight edited"),
    "risk.category": _("Category risk edited"),
    "project.register": _("Project registered"),
    "project.submit": _("Sent for approval"),
    "project.approve": _("Project approved"),
    "project.return": _("Project returned"),
    "project.behind": _("Behind plan"),
    "project.on_track": _("Back on plan"),
    "project.escalate": _("Still behind plan: escalated"),
    "project.escalation_answer": _("Answer to the behind-plan escalation"),
    "project.carry_over": _("Money carried over to the next fiscal year"),
    "project.carried_in": _("Carried over from the previous fiscal year"),
    "project.close": _("Project closed"),
    "report.open": _("Progress report opened"),
    "report.submit": _("Progress report filed"),
    "report.approve": _("Progress report approved"),
    "report.return": _("Progress report returned"),
    "directive.add": _("Directive issued"),
    "directive.report": _("Action reported on a directive"),
    "directive.close": _("Directive closed"),
    "directive.return": _("Directive returned"),
    "selfreport.file": _("Self-report filed"),
    "selfreport.amend": _("Self-report amended"),
    "factory.operator_add": _("Operator added"),
    "factory.register": _("Factory registered through the API"),
    "admin.token.revoke": _("API token revoked in the admin"),
    "admin.apitoken.issue": _("API token issued in the admin"),
    "admin.apitoken.revoke": _("API token revoked in the admin"),
    "rule.edit": _("Approval rule edited"),
    "rule.delete": _("Approval rule deleted"),
    "task.escalate": _("Overdue: escalated one level up"),
    "task.due_moved": _("Due date moved"),
    "task.clock_stop": _("Clock stopped: waiting on the factory"),
    "task.clock_resume": _("Clock resumed: the factory answered"),
    "task.unheld": _("Step could be given to nobody"),
    "task.reassign": _("Step handed to another person"),
}
# Records changed in the admin (org.admin_forms: `admin.<app>.<model>.add`, `…edit`, `…delete`).
ADMIN_LABELS = {"add": _("Added in the admin"), "edit": _("Edited in the admin"), "delete": _("Deleted in the admin")}
THAI = re.compile(r"[\u0e00-\u0e7f]")


def action_label(action: str):
    """The label of an action key (lazy), None when the key is unknown."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    head, _dot, last = action.rpartition(".")
    return ADMIN_LABELS.get(last) if head.startswith("admin") else None


# Checklist answers are keyed by item code; their values are these.
ANSWER_LABELS = {"yes": _("Yes"), "no": _("No"), "na": _("N.A."), True: _("Yes"), False: _("No")}


@cache
def _models_by_name() -> dict:
    return {model._meta.model_name: model for model in apps.get_models()}


def _field(chain: str, key: str):
    """A field of the chain's model (`inspection:42` → Inspection); reverse relations do not count."""
    model = _models_by_name().get(chain.partition(":")[0])
    try:
        field = model._meta.get_field(key) if model is not None else None
    except FieldDoesNotExist:
        return None
    return None if field is None or field.auto_created and not field.concrete else field


def field_label(chain: str, key: str) -> str:
    """The verbose name of field `key` of the model whose chain this is (`inspection:42` → Inspection)."""
    field = _field(chain, key)
    return str(field.verbose_name if field is not None else EXTRA_LABELS.get(key, key))


def shown(chain: str, key: str, value):
    """A stored value as a person reads it: a choice by its label (ปกติ, not routine), yes/no in words."""
    if isinstance(value, list):
        return ", ".join(str(shown(chain, "", item)) for item in value) or None
    if isinstance(value, dict):
        return ", ".join(f"{key}: {shown(chain, '', item)}" for key, item in value.items()) or None
    if value is None:
        return value
    field = _field(chain, key)
    if field is not None and field.choices:
        return str(choices.label(field, value))
    if field is None and key in EXTRA_CHOICES and isinstance(value, str):
        paths = EXTRA_CHOICES[key] if isinstance(EXTRA_CHOICES[key], tuple) else (EXTRA_CHOICES[key],)
        for path in paths:
            labels = dict(import_string(path).choices)
            if value in labels:
                return str(labels[value])
        return value
    if field is None and key in EXTRA_TRANSLATED and isinstance(value, str):
        return gettext(value)
    if isinstance(value, str) and (key in EXTRA_DATES if field is None else isinstance(field, models.DateField)):
        return _be_date(value)
    label = ANSWER_LABELS.get(value) if isinstance(value, (str, bool)) else None
    return str(label) if label is not None else value


def _be_date(value: str) -> str:
    """An ISO date or instant as stored, in the Buddhist era (as it is when it does not parse)."""
    from org.calendar import format_be

    try:
        parsed = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return value
    return format_be(parsed)
