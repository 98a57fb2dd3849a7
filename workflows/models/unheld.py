"""Steps nobody could be given: the process administrator's list of staffing errors."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from org.models import Unit


class UnheldReason(models.TextChoices):
    VACANT = "vacant", _("Nobody fills the post the step needs (vacant, no one acting, up to the top)")
    EXCLUDED = "excluded", _("The only person the step names may not hold it (segregation of duties)")


class UnheldStep(models.Model):
    """A human task that, when it was created, could be given to nobody: the post its duty names is
    vacant with no one acting (up to the top of the chain), or the one person it names is excluded
    from it. The task waits, unowned and unclaimable by anyone else, until the organisation is put
    right; the process administrator sees it here (never an open door: the duty still decides)."""

    task = models.OneToOneField(Task, models.CASCADE, primary_key=True, related_name="unheld")
    office = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("office"))
    reason = models.CharField(_("reason"), max_length=10, choices=UnheldReason.choices)
    named = models.CharField(_("person the step named"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("step nobody may hold")
        verbose_name_plural = _("steps nobody may hold")

    def __str__(self):
        return f"{self.task.flow_task.name} #{self.task_id}"
