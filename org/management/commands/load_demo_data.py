from django.core.management.base import BaseCommand
from django.db import transaction

from org.demo import DEMO_PASSWORD, load_demo_org
from org.geo import load_geography
from org.models import Person
from org.services import build_org_tree
from registry.demo import load_demo_factories


class Command(BaseCommand):
    help = "Load the geography, the organisation, demo people for every role and ~2,000 factories (idempotent)."

    def handle(self, *args, **options):
        geo = load_geography()
        self.stdout.write(f"Geography: {geo}")
        with transaction.atomic():
            self.stdout.write(f"Organisation: {build_org_tree()}")
            logins = load_demo_org()
        created = load_demo_factories(by=Person.objects.get(username="admin"))
        self.stdout.write(f"Factories created: {created}")
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}) — http://127.0.0.1:8000/")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role}  [{login.where}]")
