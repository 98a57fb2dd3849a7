"""The process administrator's list of steps nobody could be given (workflows.duties.report_unheld):
read-only; a row leaves the list once someone holds the task or it is closed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS

from org.admin_forms import ShownOnly
from org.calendar import format_be

from .models import UnheldStep


@admin.register(UnheldStep)
class UnheldStepAdmin(ShownOnly, admin.ModelAdmin):
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
