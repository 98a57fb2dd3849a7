from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from org.demo import DEMO_PASSWORD, load_demo_org
from org.geo import load_geography
from org.models import Person
from org.services import build_org_tree
from registry.demo import load_demo_factories
from registry.selfreports.demo import load_demo_reports
from workflows.budget.demo import load_demo_budget
from workflows.complaint.demo import load_demo_complaints
from workflows.demo import load_demo_rules
from workflows.inspection.demo import load_demo_checklists
from workflows.inspection.demo_cases import load_demo_cases
from workflows.planning.demo import load_demo_planning
from workflows.signing import load_demo_certificates


class Command(BaseCommand):
    help = "Load the geography, the organisation, demo people for every role and ~2,000 factories (idempotent)."

    def handle(self, *args, **options):
        geo = load_geography()
        self.stdout.write(f"Geography: {geo}")
        with transaction.atomic():
            self.stdout.write(f"Organisation: {build_org_tree()}")
            logins = load_demo_org()
        admin = Person.objects.get(username="admin")
        created = load_demo_factories(by=admin)
        self.stdout.write(f"Factories created: {created}")
        self.stdout.write(f"Self-reports filed: {load_demo_reports(by=admin)}")
        # The demo walks cases through the flow; its task e-mails (sent on commit, so the override wraps the
        # transaction) are not shown to the person loading it.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            load_demo_checklists(by=admin)
            load_demo_rules()
            self.stdout.write(f"Inspection cases created: {load_demo_cases()}")
            self.stdout.write(f"Complaints created: {load_demo_complaints()}")
            self.stdout.write(f"Inspection plans created: {load_demo_planning()}")
            self.stdout.write(f"Budget projects created: {load_demo_budget()}")
        self.stdout.write(f"Signing: {load_demo_certificates()}")  # demo CA + office certificates (workflows.signing)
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}) — http://127.0.0.1:8000/")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role}  [{login.where}]")
