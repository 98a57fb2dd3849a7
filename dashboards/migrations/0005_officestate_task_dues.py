"""The offices' open tasks by due instant (OfficeState.task_dues) and how far the summary worker has read
the task table (TaskWatermark, its one row written here: never read yet, so the worker's first pass
recounts every office's tasks); a mark of new tasks (StaleBucket.tasks)."""

from django.db import migrations, models


def watermark(apps, schema_editor):
    apps.get_model("dashboards", "TaskWatermark").objects.create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0004_officestate_cases_counted'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskWatermark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_id', models.BigIntegerField(null=True)),
                ('gaps', models.JSONField(default=list)),
            ],
        ),
        migrations.AddField(
            model_name='officestate',
            name='task_dues',
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name='stalebucket',
            name='tasks',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(watermark, migrations.RunPython.noop),
    ]
