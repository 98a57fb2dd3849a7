"""Steps above one that was sent back were left waiting; with the approvals core a case's pending step
is the first waiting one of all its rounds, so those are marked "not reached" (as workflows.approvals
now does when a step is sent back)."""

from django.db import migrations


def close_returned_rounds(apps, schema_editor):
    from workflows.approvals import close_returned_rounds

    close_returned_rounds(apps.get_model("inspection", "OrderApproval"), "order")


class Migration(migrations.Migration):
    dependencies = [("inspection", "0008_approvals_core_fields")]

    operations = [migrations.RunPython(close_returned_rounds, migrations.RunPython.noop)]
