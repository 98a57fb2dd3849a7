"""Who may see, file and amend a Songkhla factory's self-reports, through the real screens: the status
code *and* that nothing changed when refused. Operators see only their own factories' reports."""

from datetime import date

import pytest
from django.urls import reverse

from registry.models import SelfReport
from registry.selfreports.kinds import ensure_standard_kinds
from registry.selfreports.models import ReportKind
from registry.selfreports.periods import Period
from registry.selfreports.services import selfreport_file
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

H1, H2 = Period(date(2024, 1, 1), "half"), Period(date(2024, 7, 1), "half")
RW = {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"}


@pytest.fixture
def rw(db):
    ensure_standard_kinds()
    return ReportKind.objects.get(code="rw")


@pytest.fixture
def mine(rw):
    """A Songkhla factory, its operator and its filed รว. for the first half of 2567."""
    link = OperatorFactory(factory=FactoryFactory(factory_type=3, name="บริษัท สงขลาน้ำยาง จำกัด"))
    report = selfreport_file(factory=link.factory, kind=rw, period=H1, values=RW, by=link.person)
    return link, report


@pytest.fixture
def other_operator(rw):
    return OperatorFactory(factory=FactoryFactory(factory_type=3, name="บริษัท ข้างเคียง จำกัด")).person


def state() -> tuple:
    return list(SelfReport.objects.order_by("pk").values()), AuditEntry.objects.count()


def attempt(client, user, link, report):
    """View the report, file H2, amend H1: the three responses."""
    if user is not None:
        client.force_login(user)
    file_url = reverse("registry:selfreports:file", args=[link.factory.pk, "rw"])
    return (
        client.get(reverse("registry:selfreports:detail", args=[report.pk])),
        client.post(file_url, {**RW, "period": H2.code}),
        client.post(file_url, {**RW, "bod": "99", "period": H1.code, "amend": "on"}),
    )


def test_anonymous_is_sent_to_login_and_nothing_changes(client, mine):
    before = state()
    for response in attempt(client, None, *mine):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert state() == before


def test_operator_of_another_factory_cannot_find_it_and_nothing_changes(client, mine, other_operator):
    before = state()
    assert [r.status_code for r in attempt(client, other_operator, *mine)] == [404, 404, 404]
    assert mine[0].factory.name not in client.get(reverse("registry:selfreports:index")).content.decode()
    assert client.get(reverse("registry:selfreports:overdue")).status_code == 403  # no office to list
    assert state() == before


def test_officer_of_another_province_cannot_find_it_and_nothing_changes(client, mine, lopburi_head):
    before = state()
    assert [r.status_code for r in attempt(client, lopburi_head, *mine)] == [404, 404, 404]
    assert mine[0].factory.name not in client.get(reverse("registry:selfreports:index")).content.decode()
    assert state() == before


def test_person_without_role_is_refused_and_nothing_changes(client, mine, nobody):
    before = state()
    assert [r.status_code for r in attempt(client, nobody, *mine)] == [403, 403, 403]
    assert client.get(reverse("registry:selfreports:index")).status_code == 403
    assert state() == before


def test_assistant_ps_reads_the_cluster_but_does_not_file(client, mine, songkhla_cluster_aps):
    before = state()
    assert [r.status_code for r in attempt(client, songkhla_cluster_aps, *mine)] == [200, 403, 403]
    assert state() == before


def test_the_operator_sees_files_and_amends(client, mine):
    link, report = mine
    viewed, filed, amended = attempt(client, link.person, link, report)
    assert viewed.status_code == 200 and filed.status_code == 302 and amended.status_code == 302
    current = SelfReport.objects.filter(factory=link.factory, is_current=True)
    assert sorted((r.period_start, r.revision) for r in current) == [(H1.start, 2), (H2.start, 1)]
    assert SelfReport.objects.filter(factory=link.factory).count() == 3


def test_an_inspector_of_the_office_sees_and_may_file_on_the_factorys_behalf(client, mine, songkhla_inspector):
    link, report = mine
    viewed, filed, _amended = attempt(client, songkhla_inspector, link, report)
    assert viewed.status_code == 200 and filed.status_code == 302
    assert SelfReport.objects.get(factory=link.factory, period_start=H2.start).filed_by == songkhla_inspector
