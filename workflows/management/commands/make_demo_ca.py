"""Creates the demo certificate authority and a signing certificate per office under SIGNING_DIR
(workflows.signing; by default MEDIA_ROOT/secret/signing, never committed). For the demo only:
production puts its own CA's certificates there."""

from django.core.management.base import BaseCommand

from workflows.signing import load_demo_certificates


class Command(BaseCommand):
    help = "Create the demo CA and one signing certificate per office (idempotent; demo only)."

    def handle(self, *args, **options):
        self.stdout.write(load_demo_certificates())
