from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks as an app of their own (bench.settings only): a database records what was
    generated into it."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
