"""The offices' case counts (OfficeState.cases, added by 0003) filled in from the cases, so that a
database migrated with its summaries in place needs no `rebuild_dashboards` for them."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_cases(apps, schema_editor):
    OfficeState = apps.get_model("dashboards", "OfficeState")
    Inspection = apps.get_model("inspection", "Inspection")
    counted = Inspection.objects.filter(office=OuterRef("office")).order_by().values("office")
    OfficeState.objects.update(cases=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_stalebucket_officestate_cases"),
        ("inspection", "0001_initial"),
    ]

    operations = [migrations.RunPython(count_cases, migrations.RunPython.noop)]
