from django.conf import settings
from django.db import models
from viewflow.workflow.models import Process

from registry.models import Factory


class StockProcess(Process):
    """A plain Process subclass carrying the case data the way the Viewflow cookbook does."""

    factory = models.ForeignKey(Factory, models.PROTECT, null=True, related_name="+")
    head = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    findings = models.TextField(blank=True)
    approved = models.BooleanField(default=False)
