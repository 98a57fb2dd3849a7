"""Files stored before uploads got random names are moved to one (workflows.uploads.RandomName): an old
name told what the file was and could be guessed."""

from django.db import migrations

from workflows.uploads import rename_stored_files


def rename(apps, schema_editor):
    rename_stored_files(apps.get_model("budget", "ReportEvidence"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    atomic = False  # each file is moved with its row on its own: a run stopped half-way can be run again

    dependencies = [("budget", "0003_alter_reportevidence_file")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop, elidable=True)]
