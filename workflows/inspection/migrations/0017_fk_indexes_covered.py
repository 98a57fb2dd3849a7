"""Three foreign keys lose the index Django gives them: another index starts with each (Answer's
one_answer_per_item with inspection; Inspection's (office, -created_at) and (factory, -created_at)), and
every case written kept them up to date for nothing.

Only the indexes are dropped (altering the fields would also have dropped and re-added their foreign key
constraints, PostgreSQL checking every row again, and copied both tables on SQLite); on PostgreSQL
CONCURRENTLY, as 0016 builds its indexes: the tables stay writable meanwhile."""

import django.db.models.deletion
from django.db import migrations, models

COVERED = {  # the index: its table and column
    "inspection_answer_inspection_id_2bd34944": ("inspection_answer", "inspection_id"),
    "inspection_inspection_factory_id_6eddba93": ("inspection_inspection", "factory_id"),
    "inspection_inspection_office_id_f7f7951b": ("inspection_inspection", "office_id"),
}


def _concurrently(schema_editor) -> str:
    return " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""


def drop(apps, schema_editor):
    for name in COVERED:
        schema_editor.execute(f'DROP INDEX{_concurrently(schema_editor)} IF EXISTS "{name}"')


def build(apps, schema_editor):
    for name, (table, column) in COVERED.items():
        schema_editor.execute(f'CREATE INDEX{_concurrently(schema_editor)} "{name}" ON "{table}" ("{column}")')


def _covered_key(on_delete, to, **options):
    return models.ForeignKey(db_index=False, on_delete=on_delete, to=to, **options)


class Migration(migrations.Migration):
    atomic = False  # DROP INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("inspection", "0016_open_and_signed_indexes"),
        ("org", "0002_closure_days"),
        ("registry", "0003_reportkind_reportimport_selfreport_reportvalue_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, build)],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="inspection",
                    field=_covered_key(
                        django.db.models.deletion.CASCADE, "inspection.inspection", related_name="answers"
                    ),
                ),
                migrations.AlterField(
                    model_name="inspection",
                    name="factory",
                    field=_covered_key(
                        django.db.models.deletion.PROTECT,
                        "registry.factory",
                        related_name="inspections",
                        verbose_name="factory",
                    ),
                ),
                migrations.AlterField(
                    model_name="inspection",
                    name="office",
                    field=_covered_key(
                        django.db.models.deletion.PROTECT, "org.unit", related_name="inspections", verbose_name="office"
                    ),
                ),
            ],
        )
    ]
