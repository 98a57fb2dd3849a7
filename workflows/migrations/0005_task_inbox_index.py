from django.db import migrations

INDEX = "kamkap_task_owner_status_due"


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_due_dates_on_tasks"),
    ]

    operations = [
        migrations.RemoveField(model_name="tasknotice", name="due_at"),
        migrations.AlterModelOptions(
            name="tasknotice",
            options={"verbose_name": "task reminder", "verbose_name_plural": "task reminders"},
        ),
        # A person's open tasks in due order, by index (viewflow_task is Viewflow's table: no Meta of ours).
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON viewflow_task (owner_id, status, scheduled)",
            f"DROP INDEX {INDEX}",
        ),
    ]
