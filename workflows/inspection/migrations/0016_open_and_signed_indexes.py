"""Two indexes for the office dashboard at 1,000,000 cases: an office's open cases (partial: where the
open tasks are; the people's open cases) and each inspector's sign-offs in an office."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0015_device_copies'),
        ('org', '0002_closure_days'),
        ('registry', '0003_reportkind_reportimport_selfreport_reportvalue_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(condition=models.Q(('closed_at__isnull', True)), fields=['office', 'inspector'], name='inspection_open'),
        ),
        migrations.AddIndex(
            model_name='inspection',
            index=models.Index(fields=['office', 'inspector', 'signed_off_at'], name='inspection_signed'),
        ),
    ]
