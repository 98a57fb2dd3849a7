"""Days the offices do not work besides weekends and the public holidays the `holidays` package
knows: the extra days the cabinet announces (ministry-wide) and an office's own closures, entered by
the process administrator (org.workdays reads them)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from project import memo

from .units import Unit

CACHE_KEY = "kamkap:closures:{year}"


class ClosureDay(models.Model):
    day = models.DateField(_("day"))
    name = models.CharField(_("reason"), max_length=200, help_text=_("e.g. a special holiday the cabinet announced"))
    office = models.ForeignKey(
        Unit, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("office"),
        help_text=_("Blank: every office of the ministry"), limit_choices_to={"kind": "office"},
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        constraints = [models.UniqueConstraint(fields=["day", "office"], name="one_closure_per_day_and_office")]

    def __str__(self):
        return f"{self.day} {self.name}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        memo.forget(CACHE_KEY.format(year=self.day.year))

    def delete(self, *args, **kwargs):
        memo.forget(CACHE_KEY.format(year=self.day.year))
        return super().delete(*args, **kwargs)
