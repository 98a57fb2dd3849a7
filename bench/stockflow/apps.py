from django.apps import AppConfig


class StockflowConfig(AppConfig):
    name = "bench.stockflow"
    label = "stockflow"
    default_auto_field = "django.db.models.BigAutoField"
