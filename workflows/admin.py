from django import forms
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.admin import FlowClassListFilter, ProcessAdmin, TaskAdmin
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from org.admin_forms import AuditedChanges, ShownOnly, ThaiAdmin, be_column
from org.calendar import format_be
from workflows import audit

from .admin_forms import ApprovalRuleForm, levels_text
from .inspection.models import OrderKind, Severity
from .models import ApprovalRule, RuleSubject, SlaRule, UnheldStep
from .processes import case_reference

# A node given no title of its own is titled by Viewflow from its code name, in English ("Start",
# "Check Compliance"): such a step is named by its kind.
UNTITLED_NODES = {
    "START": _("Start of the process"), "HUMAN_START": _("Start of the process"), "END": _("End of the process"),
    "CONDITION": _("Automatic decision"), "SWITCH": _("Automatic decision"),
    "EXCLUSIVE_GATEWAY": _("Automatic decision"),
    "SPLIT": _("Parallel branches"), "PARALLEL_GATEWAY": _("Parallel branches"), "JOIN": _("Branches joined"),
    "TIMER": _("Waiting for a date"), "EVENT": _("Waiting for an event"),
}  # fmt: skip


def step_title(task: Task) -> str:
    node = task.flow_task
    if node is None:
        return "—"
    if node.task_title and node.task_title != node.name.replace("_", " ").title():
        return str(node.task_title)
    return str(UNTITLED_NODES.get(getattr(node, "task_type", ""), _("Automatic step")))


def case_of(process: Process) -> str:
    """How people name the case the process works on (its number), or — when there is none yet."""
    try:
        return case_reference(process.coerced.case)
    except (AttributeError, ObjectDoesNotExist, TypeError):
        return "—"


@admin.display(description=_("process kind"), ordering="flow_class")
def flow_column(*args):  # (obj) as a list column, (model_admin, obj) as a field
    obj = args[-1]
    process = obj if isinstance(obj, Process) else obj.process
    return str(process.flow_class.process_title) if process.flow_class else "—"


@admin.display(description=_("case"))
def case_column(*args):  # (obj) as a list column, (model_admin, obj) as a field
    obj = args[-1]
    return case_of(obj if isinstance(obj, Process) else obj.process)


@admin.display(description=_("workflow step"), ordering="flow_task")
def step_column(*args):  # (obj) as a list column, (model_admin, obj) as a field
    obj = args[-1]
    return step_title(obj)


@admin.display(description=_("status"), ordering="status")
def status_column(*args):  # (obj) as a list column, (model_admin, obj) as a field
    obj = args[-1]
    return obj.get_status_display()


@admin.display(description=_("who may take it"))
def permission_column(*args):  # (obj) as a list column, (model_admin, obj) as a field
    obj = args[-1]
    """The right a task's queue asks for, as the process administrator reads it."""
    if not obj.owner_permission:
        return "—"
    app_label, _dot, codename = obj.owner_permission.partition(".")
    name = Permission.objects.filter(content_type__app_label=app_label, codename=codename).values_list(
        "name", flat=True
    )
    return gettext(name[0]) if name else obj.owner_permission


class FlowFilter(FlowClassListFilter):
    """The tasks of one kind of process, named in Thai."""

    title = _("process kind")

    def lookups(self, request, model_admin):
        return super().lookups(request, admin.site.get_model_admin(Process))

    def queryset(self, request, queryset):
        return queryset.filter(process__flow_class=self.value()) if self.value() else queryset


class TaskRows(ShownOnly, admin.TabularInline):
    """The steps of a process, read-only."""

    model = Task
    fields = ("step", "status", "owner", "created_be", "finished_be")
    readonly_fields = fields
    step, status = step_column, status_column
    created_be, finished_be = be_column("created", _("created")), be_column("finished", _("finished"))
    extra = 0
    show_change_link = True
    template = "admin/edit_inline/tabular_numbered.html"


admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(Process)
class ReadOnlyProcessAdmin(ShownOnly, ThaiAdmin, ProcessAdmin):
    """Each field with a Thai label and dates in the Buddhist era (Viewflow's own labels are English)."""

    actions = None
    date_hierarchy = None  # its years and months would read in the Christian era
    list_display = ("pk", "created", flow_column, case_column, status_column, "people")
    list_display_links = ("pk", "created")
    fields = ("flow", "case", "status", "created_be", "finished_be")
    readonly_fields = fields
    flow, case, status = flow_column, case_column, status_column
    created_be, finished_be = be_column("created", _("created")), be_column("finished", _("finished"))
    inlines = [TaskRows]

    @admin.display(description=_("people who took part"))
    def people(self, obj):
        return ", ".join(sorted({str(task.owner) for task in obj._participant_tasks}))


@admin.register(Task)
class ReadOnlyTaskAdmin(ShownOnly, ThaiAdmin, TaskAdmin):
    """Each field with a Thai label and dates in the Buddhist era (Viewflow's own labels are English)."""

    actions = None
    date_hierarchy = None  # its years and months would read in the Christian era
    list_display = ("pk", "created", flow_column, step_column, case_column, status_column, "owner", "finished")
    list_filter = ("status", FlowFilter)
    list_display_links = ("pk", "created")
    list_select_related = ("process", "owner")
    fields = (
        "flow", "step", "case", "status", "owner", "who_may", "created_be", "assigned_be", "started_be", "finished_be",
        "due_be",
    )  # fmt: skip
    readonly_fields = fields
    flow, step, case, status, who_may = flow_column, step_column, case_column, status_column, permission_column
    created_be, assigned_be = be_column("created", _("created")), be_column("assigned", _("assigned"))
    started_be, finished_be = be_column("started", _("started")), be_column("finished", _("finished"))
    due_be = be_column("scheduled", _("due"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = f"{step_title(obj)} — {case_of(obj.process)}"
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(ThaiAdmin, admin.ModelAdmin):
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

    def delete_model(self, request, obj):
        fields = [f.name for f in ApprovalRule._meta.concrete_fields if not f.primary_key]
        audit.record(
            subject=obj, action="rule.delete", label=_("Approval rule deleted"), by=request.user,
            before=audit.snapshot(obj, fields),
        )  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            self.delete_model(request, rule)


@admin.register(UnheldStep)
class UnheldStepAdmin(ShownOnly, admin.ModelAdmin):
    """The steps nobody could be given (workflows.duties.report_unheld): a row leaves the list once
    someone holds the task or it is closed."""

    list_display = ("step", "case", "office", "reason", "named", "found")
    list_filter = ("reason",)
    list_select_related = ("task", "task__process", "office")

    def get_queryset(self, request):
        open_unowned = {"task__owner__isnull": True, "task__status__in": [STATUS.NEW, STATUS.ASSIGNED]}
        return super().get_queryset(request).filter(**open_unowned)

    @admin.display(description=_("step"))
    def step(self, obj):
        node = obj.task.flow_task
        return f"{node.flow_class.instance.process_title}: {node.task_title or node.name}"

    @admin.display(description=_("case"))
    def case(self, obj):
        return str(obj.task.process.coerced.case)

    @admin.display(description=_("found"), ordering="created_at")
    def found(self, obj):
        return format_be(obj.created_at)


def step_choices() -> list[tuple[str, str]]:
    """Every human step, as (its stored reference, "flow: step") for a choice."""
    from viewflow.workflow.fields import get_task_ref

    from .flows import human_steps

    return [
        (get_task_ref(node), f"{flow.process_title}: {node.task_title or node.name}") for flow, node in human_steps()
    ]


class SlaRuleForm(forms.ModelForm):
    flow_task = forms.ChoiceField(label=_("step"), choices=step_choices)

    class Meta:
        model = SlaRule
        fields = ("flow_task", "days", "counting", "remind_days_before")


@admin.register(SlaRule)
class SlaRuleAdmin(AuditedChanges, ThaiAdmin, admin.ModelAdmin):
    """How long each step may take, in working days (weekends, public holidays and closure days not
    counted) or in calendar days where the law counts days; a step picked from the flows, never typed."""

    form = SlaRuleForm
    audit_action = "admin.sla"
    list_display = ("step", "days", "counting", "remind_days_before")

    @admin.display(description=_("step"))
    def step(self, obj):
        return dict(step_choices()).get(obj.flow_task, obj.flow_task)
