"""Follow-up reviews of an office by the assistant or deputy PS, their directives (ข้อสั่งการ) as
tracked action items, and escalations of projects that stay behind plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from org.models import Position, Unit
from project.links import link

from .projects import Project


class FollowUpReview(models.Model):
    office = models.ForeignKey(Unit, models.PROTECT, related_name="budget_reviews", verbose_name=_("office"))
    projects = models.ManyToManyField(Project, related_name="reviews", verbose_name=_("projects"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reviewer"))
    reviewer_as = models.CharField(_("as"), max_length=255, blank=True)
    meeting_on = models.DateField(_("meeting date"))
    attendees = models.TextField(_("attendees"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_on", "-pk"]
        verbose_name = _("follow-up review")
        verbose_name_plural = _("follow-up reviews")

    def __str__(self):
        return f"{self.office} {self.meeting_on}"

    def get_absolute_url(self):
        return link("budget:review", self.pk)


class DirectiveStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Action reported")
    CLOSED = "closed", pgettext_lazy("directive", "Closed")


class Directive(models.Model):
    review = models.ForeignKey(FollowUpReview, models.CASCADE, related_name="directives")
    office = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name=_("office"))
    text = models.TextField(_("directive"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assignee")
    )
    assignee_position = models.ForeignKey(
        Position, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assigned position")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=DirectiveStatus.choices, default=DirectiveStatus.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        indexes = [models.Index(fields=["office", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | models.Q(assignee_position__isnull=False),
                name="directive_assigned",
            )
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def reporter_ids(self) -> set[int]:
        """Everyone who reported action taken on it (never its checker: workflows.duties)."""
        return set(self.updates.filter(kind=DirectiveUpdate.Kind.REPORT).values_list("by_id", flat=True))


class DirectiveUpdate(models.Model):
    """What the assignee reported, and the reviewer's answer to it (the history of the item)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Action reported")
        ACCEPT = "accept", _("Accepted")
        RETURN = "return", _("Returned")

    directive = models.ForeignKey(Directive, models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["directive", "at", "pk"]

    def __str__(self):
        return f"{self.directive_id} {self.kind}"


class Escalation(models.Model):
    """A project that stays behind plan: a task to the head of office (level 1), then to the
    assistant PS (level 2), who answer with what will be done."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("level"))
    reason = models.TextField(_("behind plan because"))
    opened_on = models.DateField(_("opened"))
    response = models.TextField(_("response"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "level"]
        constraints = [models.UniqueConstraint(fields=["project", "level"], name="one_escalation_per_level")]

    def __str__(self):
        return f"{self.project_id} L{self.level}"
