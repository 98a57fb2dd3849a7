"""Two indexes for the office dashboard at 1,000,000 cases: an office's open cases (partial: where the
open tasks are; the people's open cases) and each inspector's sign-offs in an office.

On PostgreSQL built CONCURRENTLY: the case table stays writable while they are built over a million
cases (a plain CREATE INDEX blocks every write to it meanwhile). Should the migration fail part way, an
index of its name may be left (invalid if its build broke off, valid if it was the first): drop each of
the two that exists (DROP INDEX CONCURRENTLY) and migrate again."""

from django.conf import settings
from django.db import migrations, models


class AddIndexConcurrently(migrations.AddIndex):
    """AddIndex, built CONCURRENTLY on PostgreSQL (outside a transaction); as AddIndex elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, **_concurrently(schema_editor))

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.remove_index(model, self.index, **_concurrently(schema_editor))


def _concurrently(schema_editor) -> dict:
    return {"concurrently": True} if schema_editor.connection.vendor == "postgresql" else {}


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ('inspection', '0015_device_copies'),
        ('org', '0002_closure_days'),
        ('registry', '0003_reportkind_reportimport_selfreport_reportvalue_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='inspection',
            index=models.Index(condition=models.Q(('closed_at__isnull', True)), fields=['office', 'inspector'], name='inspection_open'),
        ),
        AddIndexConcurrently(
            model_name='inspection',
            index=models.Index(fields=['office', 'inspector', 'signed_off_at'], name='inspection_signed'),
        ),
    ]
