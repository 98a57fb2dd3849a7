"""The audit trail: one append-only hash chain per case. Rows are written by workflows.audit.record."""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

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
}


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
        return str(dict(field.flatchoices).get(value, value))
    label = ANSWER_LABELS.get(value) if isinstance(value, (str, bool)) else None
    return str(label) if label is not None else value
