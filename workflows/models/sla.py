"""Service levels as data: how many days a task of a node may take (edited by the process
administrator), and what the SLA job did about each task."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from project import memo


class DayCount(models.TextChoices):
    WORKING = "working", _("Working days (weekends, public holidays and closure days not counted)")
    CALENDAR = "calendar", _("Calendar days (where the law counts days)")


class SlaRule(models.Model):
    flow_task = models.CharField(
        _("task"), max_length=255, unique=True, help_text=_("e.g. inspection/flows.InspectionFlow.inspect")
    )
    days = models.PositiveSmallIntegerField(_("days allowed"))
    counting = models.CharField(_("days counted as"), max_length=10, choices=DayCount.choices, default=DayCount.WORKING)
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many working days before"), default=1)

    class Meta:
        ordering = ["flow_task"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self):
        return f"{self.flow_task.rsplit('.', 1)[-1]}: {self.days}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        memo.forget(self.cache_key(self.flow_task))

    def delete(self, *args, **kwargs):
        memo.forget(self.cache_key(self.flow_task))
        return super().delete(*args, **kwargs)

    @staticmethod
    def cache_key(flow_task: str) -> str:
        return f"kamkap:sla:{flow_task}"


class TaskNotice(models.Model):
    """What the SLA job did about a task: reminded its owner, escalated it (each once). The due date
    itself is the task's own (`Task.scheduled`, written when the task is created)."""

    task = models.OneToOneField(Task, models.CASCADE, primary_key=True, related_name="sla_notice")
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")

    def __str__(self):
        return f"{self.task_id}"
