"""Risk weights, category risks and office capacities for the process administrator (Django admin).
Every change is audited; a changed weight recomputes every score in the background."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from org.admin_forms import ThaiAdmin, be_column
from workflows import audit

from .models import CategoryRisk, OfficeCapacity, RiskWeight

WEIGHT_FIELDS = ["points_per_unit", "max_points", "explanation_th", "explanation_en"]


class LabelledForm(forms.ModelForm):
    class Meta:
        labels = {"updated_by": _("updated by")}  # the model's own label is the field name, untranslated


@admin.display(description=_("updated by"), ordering="updated_by")
def updated_by_column(obj):
    return obj.updated_by or "—"


class AuditedAdmin(ThaiAdmin, admin.ModelAdmin):
    form = LabelledForm
    updated_at_be = be_column("updated_at", _("updated"))
    fields_audited: list[str] = []
    audit_action = ""
    audit_label = ""

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = audit.snapshot(model.objects.get(pk=obj.pk), self.fields_audited) if change else {}
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit.record_changes(
            subject=obj, before=before, after=audit.snapshot(obj, self.fields_audited), by=request.user,
            action=self.audit_action, label=self.audit_label,
        )  # fmt: skip
        self.after_change()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.after_change()

    def after_change(self):
        """Scores are recomputed once the change is committed, through the outbox (a broker that is
        down neither slows nor fails the save; the relay hands the work over when it is back)."""
        from workflows import outbox

        from .tasks import recompute_risk_all

        outbox.enqueue(recompute_risk_all)


@admin.register(RiskWeight)
class RiskWeightAdmin(AuditedAdmin):
    list_display = ("component", "points_per_unit", "max_points", "explanation_th", "updated_at")
    fields = ("component", *WEIGHT_FIELDS, "updated_at_be", "updated_by")
    readonly_fields = ("updated_at_be", "updated_by")
    fields_audited = WEIGHT_FIELDS
    audit_action = "risk.weight"
    audit_label = _("Risk weight edited")


@admin.register(CategoryRisk)
class CategoryRiskAdmin(AuditedAdmin):
    list_display = ("code", "units", "note")
    search_fields = ("code", "note")
    fields_audited = ["code", "units", "note"]
    audit_action = "risk.category"
    audit_label = _("Category risk edited")


@admin.register(OfficeCapacity)
class OfficeCapacityAdmin(AuditedAdmin):
    list_display = ("office", "cases_per_inspector", "updated_at", updated_by_column)
    fields = ("office", "cases_per_inspector", "updated_at_be", "updated_by")
    readonly_fields = ("updated_at_be", "updated_by")
    fields_audited = ["cases_per_inspector"]
    audit_action = "capacity.edit"
    audit_label = _("Inspection capacity changed")

    def after_change(self):
        pass
