"""Service levels as data: how many days a task of a node may take (edited by the process
administrator), and the due moment stamped on each task when it is created."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task


class SlaRule(models.Model):
    flow_task = models.CharField(
        _("task"), max_length=255, unique=True, help_text=_("e.g. inspection/flows.InspectionFlow.inspect")
    )
    days = models.PositiveSmallIntegerField(_("days allowed"))
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before"), default=1)

    class Meta:
        ordering = ["flow_task"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self):
        return f"{self.flow_task.rsplit('.', 1)[-1]}: {self.days}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.cache_key(self.flow_task))

    def delete(self, *args, **kwargs):
        cache.delete(self.cache_key(self.flow_task))
        return super().delete(*args, **kwargs)

    @staticmethod
    def cache_key(flow_task: str) -> str:
        return f"kamkap:sla:{flow_task}"


class TaskDeadline(models.Model):
    task = models.OneToOneField(Task, models.CASCADE, primary_key=True, related_name="deadline")
    due_at = models.DateTimeField(_("due"), db_index=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        verbose_name = _("task deadline")
        verbose_name_plural = _("task deadlines")

    def __str__(self):
        return f"{self.task_id} {self.due_at:%Y-%m-%d}"
