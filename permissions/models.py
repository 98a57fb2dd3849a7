"""Object grants on units (direct-FK django-guardian tables: one indexed join, no generic keys).

A grant on a provincial office covers the office's factories and cases; a grant on the ministry
unit means national scope (every office, and the factories no office supervises, e.g. Bangkok)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from org.models import Unit


class UnitUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE, verbose_name=_("unit"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [models.Index(fields=["user", "permission"])]


class UnitGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)
