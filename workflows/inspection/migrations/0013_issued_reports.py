# The inspection report is issued and signed as well: an issued document has a kind, its case, and
# (for a letter) its order; who signed it and as what.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def cases_of_letters(apps, schema_editor):
    IssuedDocument = apps.get_model("inspection", "IssuedDocument")
    for document in IssuedDocument.objects.select_related("order").only("pk", "order__inspection_id"):
        IssuedDocument.objects.filter(pk=document.pk).update(inspection_id=document.order.inspection_id)


class Migration(migrations.Migration):
    dependencies = [
        ("inspection", "0012_evidence_caption"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="issueddocument",
            name="kind",
            field=models.CharField(
                choices=[("order", "Order letter"), ("report", "Inspection report")],
                default="order",
                max_length=10,
                verbose_name="kind of document",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="inspection",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issued_documents",
                to="inspection.inspection",
            ),
        ),
        migrations.RunPython(cases_of_letters, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="issueddocument",
            name="inspection",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issued_documents",
                to="inspection.inspection",
            ),
        ),
        migrations.AlterField(
            model_name="issueddocument",
            name="order",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issued_document",
                to="inspection.correctiveorder",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="signed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signed by",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="signed_as",
            field=models.CharField(blank=True, max_length=300, verbose_name="signed as"),
        ),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "report")), fields=("inspection",), name="issued_one_report_per_case"
            ),
        ),
        migrations.AddConstraint(
            model_name="issueddocument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "report"), ("order__isnull", True)),
                    models.Q(("kind", "order"), ("order__isnull", False)),
                    _connector="OR",
                ),
                name="issued_order_letter_has_its_order",
            ),
        ),
    ]
