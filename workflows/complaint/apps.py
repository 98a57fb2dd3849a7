from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintConfig(AppConfig):
    name = "workflows.complaint"
    label = "complaint"
    verbose_name = _("Complaints")
