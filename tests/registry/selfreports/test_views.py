"""The screens: the operator's page, the filing form with the service's messages on its fields, a report
with its history, an office's late and missing list, and the factory page's reports."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import SelfReport
from registry.selfreports.periods import Period
from registry.selfreports.services import selfreport_file
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory, SelfReportFactory

pytestmark = pytest.mark.django_db

RW = {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"}


def last_half(today) -> Period:
    return Period.containing("half", today).previous()


def test_operator_page_lists_own_factories_and_what_is_still_to_file(client, kinds, today):
    link = OperatorFactory(factory=FactoryFactory(factory_type=3, name="บริษัท ของฉัน จำกัด"))
    FactoryFactory(name="บริษัท ของคนอื่น จำกัด")
    client.force_login(link.person)
    page = client.get(reverse("registry:selfreports:index")).content.decode()
    assert "บริษัท ของฉัน จำกัด" in page and "บริษัท ของคนอื่น จำกัด" not in page
    assert last_half(today).label("th") in page  # the last half year is still to file
    assert reverse("registry:selfreports:file", args=[link.factory.pk, "rw"]) in page


def test_the_form_shows_the_services_messages_on_the_fields(client, kinds, today):
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    client.force_login(link.person)
    url = reverse("registry:selfreports:file", args=[link.factory.pk, "rw"])
    response = client.post(
        url, {**RW, "ph": "15", "bod": "", "period": last_half(today).code}, HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-ph"' in page and 'data-testid="error-bod"' in page
    assert not SelfReport.objects.exists()


def test_filing_twice_without_amend_is_a_form_error_then_amend_keeps_history(client, kinds, today):
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    client.force_login(link.person)
    url = reverse("registry:selfreports:file", args=[link.factory.pk, "rw"])
    period = last_half(today).code
    assert client.post(url, {**RW, "period": period}).status_code == 302
    again = client.post(url, {**RW, "bod": "40", "period": period})
    assert again.status_code == 200 and 'data-testid="error-period"' in again.content.decode()
    first = SelfReport.objects.get()
    form = client.get(f"{url}?amend={first.pk}").content.decode()
    assert 'value="18"' in form  # the amendment starts from the current values
    amended = client.post(url, {**RW, "bod": "40", "period": period, "amend": "on"})
    second = SelfReport.objects.get(is_current=True)
    assert amended["Location"] == second.get_absolute_url() and second.revision == 2
    detail = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="revisions"' in detail and "บีโอดี (BOD): 18 มก./ล." in detail and "บีโอดี (BOD): 40" in detail


def test_office_list_shows_late_and_missing_reports_of_the_office_only(client, kinds, songkhla_head, today):
    period = Period.containing("half", today - timedelta(days=31)).previous()  # its due date has passed
    missing = FactoryFactory(factory_type=3, name="โรงงานที่ยังไม่ส่ง")
    late = FactoryFactory(factory_type=3, name="โรงงานที่ส่งช้า")
    filed_late = timezone.make_aware(
        timezone.datetime.combine(period.due(30) + timedelta(days=3), timezone.datetime.min.time())
    )
    SelfReportFactory(factory=late, kind=kinds["rw"], period=period, first_filed_at=filed_late)
    FactoryFactory(factory_type=3, name="โรงงานลพบุรี", province_code=LOPBURI)
    client.force_login(songkhla_head)
    page = client.get(reverse("registry:selfreports:overdue")).content.decode()
    assert missing.name in page and late.name in page and "โรงงานลพบุรี" not in page
    assert 'data-testid="overdue-list"' in page


def test_office_list_query_count_does_not_grow_with_factories(client, kinds, songkhla_head):
    client.force_login(songkhla_head)
    FactoryFactory.create_batch(2, factory_type=3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registry:selfreports:overdue"))
    FactoryFactory.create_batch(20, factory_type=3)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("registry:selfreports:overdue"))
    assert len(many) == len(few)


def test_factory_page_shows_its_reports(client, kinds, songkhla_inspector):
    factory = FactoryFactory(factory_type=3)
    report = selfreport_file(factory=factory, kind=kinds["rw"], period=Period(date(2024, 1, 1), "half"), values=RW,
                             by=songkhla_inspector)  # fmt: skip
    client.force_login(songkhla_inspector)
    page = client.get(reverse("registry:factory:detail", args=[factory.pk])).content.decode()
    assert report.get_absolute_url() in page and "ครึ่งปีแรก 2567" in page


def test_operators_home_page_and_menu_work(client, kinds):
    link = OperatorFactory()
    client.force_login(link.person)
    assert client.get("/").status_code == 200
    page = client.get(reverse("registry:selfreports:index")).content.decode()
    assert reverse("registry:selfreports:index") in page
    assert client.get(reverse("registry:factory:list")).status_code == 403  # no registry access
