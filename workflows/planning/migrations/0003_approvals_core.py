"""Plan reviews become the approvals core's (workflows.models.approvals): who decided and as what."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_default_weights")]

    operations = [
        migrations.RenameField("planreview", "reviewer", "decided_by"),
        migrations.RenameField("planreview", "reviewer_as", "decided_as"),
    ]
