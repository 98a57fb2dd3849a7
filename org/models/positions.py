"""Positions in units, the people holding them over time, and acting assignments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .units import Unit


class PositionKind(models.TextChoices):
    INSPECTOR = "inspector", _("Inspector / industrial technical officer")
    GROUP_HEAD = "group_head", _("Group head")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial industry officer")
    ASSISTANT_PS = "assistant_ps", _("Assistant permanent secretary")
    DEPUTY_PS = "deputy_ps", _("Deputy permanent secretary")
    EXECUTIVE_VIEWER = "executive_viewer", _("Executive viewer")
    PROCESS_ADMIN = "process_admin", _("Process administrator")


class Position(models.Model):
    title_th = models.CharField(_("title (Thai)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="positions", verbose_name=_("unit"))
    oversees = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="overseen_by",
        verbose_name=_("oversees"),
        help_text=_("Clusters or offices this position oversees (set by ministry order)."),
    )

    class Meta:
        ordering = ["unit__name_th", "kind", "title_th"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return self.title_th


class HoldingQuerySet(models.QuerySet):
    def active_on(self, on):
        """Holdings in force on `on`: begun by then and not ended before it (open when blank)."""
        return self.filter(models.Q(end__isnull=True) | models.Q(end__gte=on), start__lte=on)


class Holding(models.Model):
    """A person holds a position from `start` until `end` (open when blank)."""

    position = models.ForeignKey(Position, models.PROTECT, related_name="holdings", verbose_name=_("position"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="holdings", verbose_name=_("person")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    objects = HoldingQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.UniqueConstraint(
                fields=["position"], condition=models.Q(end__isnull=True), name="one_open_holding_per_position"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="holding_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.position}"


class ActingKind(models.TextChoices):
    ACTING = "acting", _("Acting for (รักษาราชการแทน)")
    ON_BEHALF = "on_behalf", _("Performing duties for (ปฏิบัติราชการแทน)")


class ActingQuerySet(models.QuerySet):
    def active_on(self, on):
        """Acting assignments in force on `on` (both ends inclusive)."""
        return self.filter(start__lte=on, end__gte=on)


class ActingAssignment(models.Model):
    """A person acts for a position (vacant or its holder absent) from `start` to `end` inclusive."""

    position = models.ForeignKey(Position, models.PROTECT, related_name="acting", verbose_name=_("position"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="acting_for", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ActingKind.choices, default=ActingKind.ACTING)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    order_ref = models.CharField(_("order reference"), max_length=100, blank=True)

    objects = ActingQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("acting assignment")
        verbose_name_plural = _("acting assignments")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="acting_end_after_start"),
        ]

    def __str__(self):
        return f"{self.person} {self.get_kind_display()} {self.position}"
