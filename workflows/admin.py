from django.contrib import admin
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from workflows import audit

from .models import ApprovalRule


class ReadOnly:
    """Workflow state is changed by the flows only (their services write the audit chain): in the
    admin a task or process can be looked at, never edited, added or deleted — blanking a task's
    owner permission made it claimable by anyone, deleting a process orphaned its case."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ReadOnly, ProcessAdmin):
    actions = None


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnly, TaskAdmin):
    actions = None


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
