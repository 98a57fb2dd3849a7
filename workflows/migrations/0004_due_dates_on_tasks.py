"""A human task's due date moves into the task row (viewflow_task.scheduled, which Viewflow uses only
for timers): written in the INSERT that creates the task, and indexed with the owner and status for
the inbox. The table keeps only what the SLA job did (reminded, escalated)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def due_dates_onto_tasks(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    TaskNotice = apps.get_model("workflows", "TaskNotice")
    due = TaskNotice.objects.filter(task_id=OuterRef("pk")).values("due_at")[:1]
    Task.objects.filter(pk__in=TaskNotice.objects.values("task_id")).update(scheduled=Subquery(due))


def due_dates_back(apps, schema_editor):
    Task = apps.get_model("viewflow", "Task")
    TaskNotice = apps.get_model("workflows", "TaskNotice")
    for task_id, scheduled in Task.objects.filter(flow_task_type="HUMAN", scheduled__isnull=False).values_list(
        "pk", "scheduled"
    ):
        TaskNotice.objects.update_or_create(task_id=task_id, defaults={"due_at": scheduled})


class Migration(migrations.Migration):
    dependencies = [
        ("viewflow", "0015_task_scheduled"),
        ("workflows", "0003_sla"),
    ]

    operations = [
        migrations.RenameModel("TaskDeadline", "TaskNotice"),
        migrations.AlterField(
            model_name="tasknotice",
            name="due_at",
            field=models.DateTimeField(db_index=True, null=True, verbose_name="due"),
        ),
        migrations.AlterField(
            model_name="tasknotice",
            name="task",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="sla_notice",
                serialize=False,
                to="viewflow.task",
            ),
        ),
        migrations.RunPython(due_dates_onto_tasks, due_dates_back),
    ]
