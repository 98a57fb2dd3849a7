"""What the API itself stores: the Idempotency-Key of each create, with the answer it was given, so a
client that sends the same request again (after a timeout, a lost answer) gets that answer back and
nothing is created twice. Kept in the database, so every app server sees every key. And the API's
tokens: of people, or of service accounts (other systems), each with its scopes and expiry."""

from django.conf import settings
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


class ServiceAccount(models.Model):
    """Another system that calls the API (the factory registration system, iSingleForm). It acts as its
    own person (no password: it never logs in to the pages), whose scope comes from the organisation like
    anyone's (the administrator appoints it to a position, e.g. in the ministry for every office); each of
    its tokens narrows that to its scopes."""

    name = models.CharField(_("system"), max_length=100, unique=True, help_text=_("e.g. iSingleForm"))
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="service_account", verbose_name=_("acts as")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Who runs it and whom to call"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("service account")
        verbose_name_plural = _("service accounts")

    def __str__(self):
        return self.name


class ApiToken(models.Model):
    """A key to the API (`Authorization: Token <key>`) of a person or of a service account's person:
    only its SHA-256 is kept; it may do what its owner may, within its scopes (api.tokens.SCOPES), until
    it expires or is revoked (by its caller with DELETE /api/v1/token/, or in the admin)."""

    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins"), max_length=8, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("belongs to")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("What it is for"))
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, help_text=_("Empty: never"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… {self.user}"
