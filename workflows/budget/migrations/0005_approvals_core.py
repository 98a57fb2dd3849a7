"""Report review rounds become the approvals core's (workflows.models.approvals): who decided and as
what, and the decision as approve / return where a boolean was."""

from django.db import migrations, models


def approved_to_decision(apps, schema_editor):
    ReportRound = apps.get_model("budget", "ReportRound")
    ReportRound.objects.filter(approved=True).update(decision="approve")
    ReportRound.objects.filter(approved=False).update(decision="return")


def decision_to_approved(apps, schema_editor):
    ReportRound = apps.get_model("budget", "ReportRound")
    ReportRound.objects.filter(decision="approve").update(approved=True)
    ReportRound.objects.exclude(decision="approve").update(approved=False)


class Migration(migrations.Migration):
    dependencies = [("budget", "0004_random_file_names")]

    operations = [
        migrations.RenameField("reportround", "by", "decided_by"),
        migrations.RenameField("reportround", "by_as", "decided_as"),
        migrations.RenameField("reportround", "at", "decided_at"),
        migrations.AddField(
            model_name="reportround",
            name="decision",
            field=models.CharField(default="", max_length=10, verbose_name="decision"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="reportround", name="approved", field=models.BooleanField(default=False, verbose_name="approved")
        ),
        migrations.RunPython(approved_to_decision, decision_to_approved),
        migrations.RemoveField(model_name="reportround", name="approved"),
    ]
