"""The offices' open tasks by due instant (OfficeState.task_dues) and how far the summary worker has read
the task table (TaskWatermark). No data step: the worker's first pass finds no watermark and recounts
every office's tasks."""

from django.db import migrations, models


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
    ]
