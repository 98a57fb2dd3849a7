"""The demo self-reports: filed through the service, some late, some missing, the inspected Songkhla
factories under-reporting, two operator logins; a second run adds nothing."""

import pytest
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from org.demo import DEMO_PASSWORD, load_demo_org
from org.models import Person
from registry.models import FactoryOperator, SelfReport
from registry.selfreports.demo import inspected_factories, load_demo_reports
from registry.selfreports.selectors import latest_values, overdue_counts, overdue_list
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    load_demo_org()
    songkhla = FactoryFactory.create_batch(40, factory_type=3, workers=200, machinery_hp=800)
    FactoryFactory.create_batch(5, factory_type=3, province_code=LOPBURI)
    return songkhla


def test_demo_reports_are_filed_with_late_missing_and_under_reported_ones(demo_world):
    filed = load_demo_reports(by=Person.objects.get(username="admin"))
    assert filed > 100 and SelfReport.objects.filter(is_current=True).count() == filed
    assert AuditEntry.objects.filter(action="selfreport.file").count() == filed
    statuses = {row.status for row in overdue_list(type(demo_world[0]).objects.all(), on=timezone.localdate())}
    assert statuses == {"late", "missing"}
    assert sum(overdue_counts(on=timezone.localdate()).values()) > 0
    for factory in inspected_factories():
        reported = latest_values(factory, ["workers", "machinery_hp"])
        assert reported["workers"].value < factory.workers * 6 / 10  # an inspection will count far more
        assert reported["machinery_hp"].value < factory.machinery_hp * 6 / 10
    for username in ("operator1", "operator2"):
        assert authenticate(HttpRequest(), username=username, password=DEMO_PASSWORD) is not None  # axes: a request
    assert FactoryOperator.objects.filter(person__username="operator1", factory__province_id=90).exists()
    assert FactoryOperator.objects.filter(person__username="operator2", factory__province_id=LOPBURI).exists()

    assert load_demo_reports(by=Person.objects.get(username="admin")) == 0
    assert SelfReport.objects.filter(is_current=True).count() == filed
    assert FactoryOperator.objects.count() == 2
