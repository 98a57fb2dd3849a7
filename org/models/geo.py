"""Thai administrative geography, keyed by the official DOPA codes (loaded from the shared CSVs)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalisedName(models.Model):
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "th").startswith("en") else self.name_th


class Province(LocalisedName):
    code = models.PositiveSmallIntegerField(_("official code"), primary_key=True)
    region = models.CharField(_("region"), max_length=50, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class District(LocalisedName):
    code = models.PositiveIntegerField(_("official code"), primary_key=True)
    province = models.ForeignKey(Province, models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class SubDistrict(LocalisedName):
    code = models.PositiveIntegerField(_("official code"), primary_key=True)
    district = models.ForeignKey(District, models.PROTECT, related_name="sub_districts")
    postcode = models.CharField(_("postcode"), max_length=5)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")
