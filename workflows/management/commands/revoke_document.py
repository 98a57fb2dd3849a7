"""Revokes an issued document (workflows.inspection.issued.revoke): the verify page then says it is
revoked and since when, from the entry this writes in the case's audit trail (which keeps by whom, as
what, and why).

    manage.py revoke_document KK-XXXX-XXXX-XXXX --by <username> --reason "…" [--as "<acting title>"]
"""

from django.core.management.base import BaseCommand, CommandError

from org.models import Person
from workflows.inspection import issued
from workflows.inspection.models import IssuedDocument


class Command(BaseCommand):
    help = "Revoke an issued (signed) document: who, as what and why are recorded in its case's audit trail."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--by", required=True, help="user name of the person who revokes it")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--as", dest="acting_for", default="", help="the title they revoke it as")

    def handle(self, *args, reference, by, reason, acting_for, **options):
        document = IssuedDocument.objects.filter(reference=reference.strip().upper()).first()
        if document is None:
            raise CommandError(f"No issued document {reference}")
        person = Person.objects.filter(username=by, is_active=True).first()
        if person is None:
            raise CommandError(f"No active user {by}")
        try:
            entry = issued.revoke(document, by=person, reason=reason, acting_for=acting_for)
        except issued.RevocationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{document.reference} revoked at {entry.at:%Y-%m-%d %H:%M} UTC by {person.username}")
