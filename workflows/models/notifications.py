"""Notifications in the app: what happened that a person should know of (a task given to them, a task
due soon, an overdue task escalated to them, …), each linking to its task or case; the bell in the page
header counts the unread ones. Written by the services that cause them (workflows.notify, workflows.sla);
e-mailed too unless the person said no (NoticePreference)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

CLOSED = (STATUS.DONE, STATUS.CANCELED)  # a notice about a task that is over needs nobody's attention


class NoticeKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to you")
    RETURNED = "returned", _("Returned to you")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATED = "escalated", _("Overdue task escalated to you")
    DIRECTIVE = "directive", _("Directive issued to you")
    ANSWERED = "answered", _("Complaint answered")


class NotificationQuerySet(models.QuerySet):
    def of(self, person):
        return self.filter(person=person)

    def unread(self):
        """Not read, and not about a task that is over (done or cancelled): what the bell counts."""
        return self.filter(read_at__isnull=True).exclude(task__status__in=CLOSED)


class Notification(models.Model):
    """One thing a person is told of. The facts are kept as they were when it was written (the case's
    number, the step, who held it since when, when it was due), so the text does not change when the
    task moves on; `step` is the node's untranslated title, shown in the reader's language."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    task = models.ForeignKey(Task, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("task"))
    link = models.CharField(_("link"), max_length=300, help_text=_("The page of the task or case (a path)."))
    case_ref = models.CharField(_("case"), max_length=100, blank=True)
    step = models.CharField(_("step"), max_length=200, blank=True)
    holder = models.CharField(_("held by"), max_length=200, blank=True)
    since = models.DateTimeField(_("held since"), null=True, blank=True)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["person", "-created_at"], name="notice_list"),
            models.Index(fields=["person"], condition=Q(read_at__isnull=True), name="notice_unread"),
        ]
        constraints = [
            # A task is announced to a person once per kind: a sweep or a message run twice writes nothing more.
            models.UniqueConstraint(
                fields=["task", "kind", "person"], condition=Q(task__isnull=False), name="one_notice_per_task_kind"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.case_ref}"

    @property
    def unread(self) -> bool:
        """As NotificationQuerySet.unread (load the task with it: select_related("task"))."""
        return self.read_at is None and (self.task_id is None or self.task.status not in CLOSED)


class NoticePreference(models.Model):
    """A person's choice of how to be told; without a row, by e-mail too."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, primary_key=True, related_name="notice_preference"
    )
    by_email = models.BooleanField(_("also send me e-mails"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.person_id}: {self.by_email}"

    @classmethod
    def wants_email(cls, person_id: int) -> bool:
        return not cls.objects.filter(person_id=person_id, by_email=False).exists()
