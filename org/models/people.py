from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(AbstractUser):
    """A user of Kamkap. What a person may see and do follows from the positions they hold
    or act for (org.Holding, org.ActingAssignment), never from flags on the person."""

    title_th = models.CharField(_("title"), max_length=30, blank=True, help_text=_("e.g. นาย, นาง, นางสาว"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        full = f"{self.title_th}{self.first_name} {self.last_name}".strip()
        return full or self.username
