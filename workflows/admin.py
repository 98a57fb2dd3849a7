from django.contrib import admin

from workflows import audit

from .models import ApprovalRule


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    """Approval levels are data the process administrator edits; every change is audited."""

    list_display = ("name", "subject", "order_kind", "min_severity", "min_amount", "levels", "priority", "active")
    list_filter = ("subject", "active")
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(ApprovalRule.objects.get(pk=obj.pk), form.changed_data) if change else {}
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit.record_changes(
            subject=obj, before=before, after=audit.snapshot(obj, form.changed_data), by=request.user,
            action="rule.edit", label="Approval rule edited",
        )  # fmt: skip
