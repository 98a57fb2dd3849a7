"""Approval rules as data: which levels a case needs, edited by the process administrator."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import PositionKind

CHAIN_KINDS = (PositionKind.PROVINCIAL_OFFICER, PositionKind.ASSISTANT_PS, PositionKind.DEPUTY_PS)


class RuleSubject(models.TextChoices):
    ORDER = "order", _("Corrective order")
    BUDGET_PROJECT = "budget_project", _("Budget project")


def validate_levels(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_('List at least one level, e.g. ["provincial_officer", "assistant_ps"].'))
    unknown = [v for v in value if v not in CHAIN_KINDS]
    if unknown:
        raise ValidationError(_("Unknown level(s): %(levels)s") % {"levels": ", ".join(map(str, unknown))})
    order = [CHAIN_KINDS.index(v) for v in value]
    if order != sorted(set(order)):
        raise ValidationError(_("Levels must climb the chain without repeating (office → assistant PS → deputy PS)."))


class ApprovalRule(models.Model):
    """The most specific active rule that matches a case decides its approval levels
    (higher priority first). With no matching rule the provincial industry officer alone approves."""

    subject = models.CharField(_("applies to"), max_length=20, choices=RuleSubject.choices)
    name = models.CharField(_("name"), max_length=200)
    order_kind = models.CharField(_("order kind"), max_length=10, blank=True, help_text=_("Blank: any kind"))
    min_severity = models.PositiveSmallIntegerField(_("from severity"), null=True, blank=True)
    min_amount = models.DecimalField(_("from amount (baht)"), max_digits=15, decimal_places=2, null=True, blank=True)
    levels = models.JSONField(_("approval levels"), validators=[validate_levels])
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["subject", "-priority", "name"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")

    def __str__(self):
        return self.name
