"""The organisation tree: ministry → office of the PS → clusters → provincial offices → groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .geo import LocalisedName, Province


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    OPS = "ops", _("Office of the Permanent Secretary")
    CLUSTER = "cluster", _("Provincial cluster")
    OFFICE = "office", _("Provincial industry office")
    GROUP = "group", _("Group")


class Unit(LocalisedName):
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    province = models.OneToOneField(
        Province,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="office",
        verbose_name=_("province"),
        help_text=_("Only for a provincial industry office."),
    )

    class Meta:
        ordering = ["kind", "name_th"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        permissions = [
            ("see_office", _("May see the office's factories and cases")),
            ("work_in_office", _("May work on the office's cases")),
            ("manage_registry", _("May register and edit the office's factories")),
            ("oversee_office", _("May oversee and approve for the office")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="office", province__isnull=False)
                | (~models.Q(kind="office") & models.Q(province__isnull=True)),
                name="unit_office_has_province",
            )
        ]

    def ancestors(self) -> list["Unit"]:
        """This unit and every unit above it, nearest first."""
        chain, unit = [], self
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    @property
    def office(self) -> "Unit | None":
        """The provincial office this unit belongs to (itself for an office), if any."""
        return next((u for u in self.ancestors() if u.kind == UnitKind.OFFICE), None)
