"""The outbox: work that must follow a commit (e-mails, imports, risk refresh) is written here in the
same transaction as the change that calls for it, then handed to Celery (workflows.outbox)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True, done_at__isnull=True)


class OutboxMessage(models.Model):
    """One Celery task to run once: pending until the broker took it (sent), done when the task's work
    committed. A task that runs again for a done row does nothing (redelivery, retry, a second relay)."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts to send"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The relay reads the few rows not yet done; done rows are the bulk and never read again.
            models.Index(fields=["sent_at"], condition=models.Q(done_at__isnull=True), name="outbox_not_done"),
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"
