from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from org.models import ActingAssignment, Holding, Position, Unit

        from .roles import forget

        for model in (Unit, Position, Holding, ActingAssignment):
            post_save.connect(forget, sender=model, dispatch_uid=f"roles-forget-save-{model.__name__}")
            post_delete.connect(forget, sender=model, dispatch_uid=f"roles-forget-delete-{model.__name__}")
