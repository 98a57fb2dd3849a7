"""What the API itself stores: the Idempotency-Key of each create, with the answer it was given, so a
client that sends the same request again (after a timeout, a lost answer) gets that answer back and
nothing is created twice. Kept in the database, so every app server sees every key."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """One Idempotency-Key used by one caller on one endpoint; its answer once the request succeeded.
    Kept IDEMPOTENCY_HOURS (api.idempotency), then forgotten."""

    caller = models.CharField(_("caller"), max_length=100, help_text=_("user:<id>, or ip:<address> for the public"))
    endpoint = models.CharField(_("endpoint"), max_length=50)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64, help_text=_("SHA-256 of the request"))
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    body = models.JSONField(_("answer"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["caller", "endpoint", "key"], name="api_idempotency_key_once_per_caller")
        ]

    def __str__(self):
        return f"{self.caller} {self.endpoint} {self.key}"
