"""What an official letter prints about the unit that sends it (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงาน
สารบรรณ, หนังสือภายนอก): the emblem at the top (the Garuda, uploaded by the process administrator for
the ministry; a unit below takes the nearest one above it), its address under its name, and the
contact block at the foot (ส่วนราชการเจ้าของเรื่อง, โทร., โทรสาร, ไปรษณีย์อิเล็กทรอนิกส์). Data edited in the
admin, never code."""

from pathlib import PurePath
from uuid import uuid4

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Unit

EMBLEM_EXTENSIONS = ("png", "jpg", "jpeg")


def emblem_path(instance, filename: str) -> str:
    """A random name keeping the image's extension (the PDF renderer tells the type by it)."""
    return f"letterheads/{uuid4().hex}{PurePath(filename).suffix.lower()}"


class Letterhead(models.Model):
    unit = models.OneToOneField(Unit, models.CASCADE, related_name="letterhead", verbose_name=_("unit"))
    emblem = models.ImageField(
        _("emblem (Garuda)"),
        upload_to=emblem_path,
        blank=True,
        validators=[FileExtensionValidator(EMBLEM_EXTENSIONS)],
        help_text=_("The Garuda emblem printed at the top of letters; units below this one use it too."),
    )
    address = models.TextField(_("address"), blank=True, help_text=_("Printed under the unit's name, one line each."))
    section = models.CharField(
        _("section in charge"),
        max_length=200,
        blank=True,
        help_text=_("ส่วนราชการเจ้าของเรื่อง, e.g. a group of the office"),
    )
    phone = models.CharField(_("telephone"), max_length=60, blank=True)
    fax = models.CharField(_("fax"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self):
        return str(self.unit)

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]
