"""Review rounds and order approvals become the approvals core's (workflows.models.approvals): the
reviewer is who decided and as what; an order's approvals are kept in rounds (a re-drafted order no
longer deletes its earlier approvals), and a step sent back is "returned" as a project's is."""

from django.db import migrations, models


def rejected_to_returned(apps, schema_editor):
    apps.get_model("inspection", "OrderApproval").objects.filter(decision="rejected").update(decision="returned")


def returned_to_rejected(apps, schema_editor):
    apps.get_model("inspection", "OrderApproval").objects.filter(decision="returned").update(decision="rejected")


class Migration(migrations.Migration):
    dependencies = [("inspection", "0006_random_file_names")]

    operations = [
        migrations.RenameField("reviewround", "reviewer", "decided_by"),
        migrations.RenameField("reviewround", "reviewer_as", "decided_as"),
        migrations.AddField(
            model_name="orderapproval",
            name="round",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="round"),
        ),
        migrations.RemoveConstraint(model_name="orderapproval", name="one_approval_per_step"),
        migrations.AddConstraint(
            model_name="orderapproval",
            constraint=models.UniqueConstraint(fields=("order", "round", "step"), name="one_approval_per_step"),
        ),
        migrations.RunPython(rejected_to_returned, returned_to_rejected),
    ]
