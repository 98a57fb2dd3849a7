from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task

from org.admin_forms import BuddhistEraDates, be_column
from workflows import audit

from .admin_forms import ApprovalRuleForm, levels_text
from .inspection.models import OrderKind, Severity
from .models import ApprovalRule, RuleSubject


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
class ReadOnlyProcessAdmin(ReadOnly, BuddhistEraDates, ProcessAdmin):
    actions = None


@admin.register(Task)
class ReadOnlyTaskAdmin(ReadOnly, BuddhistEraDates, TaskAdmin):
    actions = None


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(BuddhistEraDates, admin.ModelAdmin):
    """Approval levels are data the process administrator edits — ticked, never typed as JSON (see
    ApprovalRuleForm); every change is audited."""

    form = ApprovalRuleForm
    list_display = ("name", "subject", "kind", "severity", "min_amount", "chain", "priority", "active", "updated_at")
    list_filter = ("subject", "active")
    fieldsets = (
        (None, {"fields": ("subject", "name", "active", "priority")}),
        (_("When the rule applies"), {"fields": ("order_kind", "min_severity", "min_amount")}),
        (_("Who approves"), {"fields": ("levels",)}),
        (_("Last change"), {"fields": ("updated_at_be", "updated_by")}),
    )
    readonly_fields = ("updated_at_be", "updated_by")
    updated_at_be = be_column("updated_at", _("updated"))

    @admin.display(description=_("order kind"), ordering="order_kind")
    def kind(self, obj):
        if obj.subject != RuleSubject.ORDER:
            return "—"
        return OrderKind(obj.order_kind).label if obj.order_kind in OrderKind.values else _("Any kind of order")

    @admin.display(description=_("from severity"), ordering="min_severity")
    def severity(self, obj):
        if obj.subject != RuleSubject.ORDER:
            return "—"
        return Severity(obj.min_severity).label if obj.min_severity in Severity.values else _("Any severity")

    @admin.display(description=_("approval levels"))
    def chain(self, obj):
        return levels_text(obj.levels)

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(ApprovalRule.objects.get(pk=obj.pk), form.changed_data) if change else {}
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        audit.record_changes(
            subject=obj, before=before, after=audit.snapshot(obj, form.changed_data), by=request.user,
            action="rule.edit", label="Approval rule edited",
        )  # fmt: skip
