"""Self-reports through the API: operators see and file their own factories' reports, office staff
those of their offices; bad input is a 400 with per-field messages (Thai by default) and saves nothing."""

from datetime import date

import pytest
from django.conf import settings

from registry.models import ReportValue, SelfReport
from registry.selfreports.periods import Period
from registry.selfreports.services import selfreport_file
from tests.api.conftest import queries_of
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory, SelfReportFactory
from workflows import audit
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

H1, H2 = Period(date(2024, 1, 1), "half"), Period(date(2024, 7, 1), "half")
RW = {"wastewater_m3_per_day": "120", "bod": "18", "cod": "75", "tss": "30", "ph": "7.1"}
URL = "/api/selfreports/"


@pytest.fixture
def mine(kinds):
    """A Songkhla type-3 factory, its operator and its รว. for the first half of 2567."""
    link = OperatorFactory(factory=FactoryFactory(factory_type=3, name="บริษัท สงขลาน้ำยาง จำกัด"))
    report = selfreport_file(factory=link.factory, kind=kinds["rw"], period=H1, values=RW, by=link.person)
    return link, report


def state() -> tuple:
    return SelfReport.objects.count(), ReportValue.objects.count(), AuditEntry.objects.count()


def filing(target, **over) -> dict:
    return {"factory": target.pk, "kind": "rw", "period": H2.code, "values": RW, **over}


def post(client, data):
    return client.post(URL, data, content_type="application/json")


# --- reading ------------------------------------------------------------------------------------


def test_operator_lists_only_their_own_reports_with_values(client, mine):
    link, report = mine
    SelfReportFactory(factory=FactoryFactory(), values={"bod": 10})
    client.force_login(link.person)
    body = client.get(URL).json()
    assert [row["id"] for row in body["results"]] == [report.pk]
    row = body["results"][0]
    assert row["kind"] == "rw" and row["period"] == "2567-H1" and row["factory"]["id"] == link.factory.pk
    assert {"key": "bod", "value": "18", "unit": "มก./ล."} in row["values"]
    assert client.get(f"{URL}{report.pk}/").status_code == 200


def test_factory_filter_and_strangers(client, songkhla, lopburi_officer, mine):
    link, report = mine
    other = OperatorFactory(factory=FactoryFactory(factory_type=3)).person
    client.force_login(songkhla.inspector)
    assert [r["id"] for r in client.get(URL, {"factory": link.factory.pk}).json()["results"]] == [report.pk]
    assert client.get(URL, {"factory": link.factory.pk + 100000}).json()["count"] == 0
    for stranger in (other, lopburi_officer):
        client.force_login(stranger)
        assert client.get(URL, {"factory": link.factory.pk}).json()["count"] == 0
        assert client.get(f"{URL}{report.pk}/").status_code == 404


def test_list_queries_do_not_grow_with_the_page(client, songkhla, kinds):
    client.force_login(songkhla.officer)
    for _i in range(5):
        SelfReportFactory(factory=FactoryFactory(), values={"bod": 10, "cod": 20})
    small, body = queries_of(client, URL)
    assert len(body["results"]) == 5
    for _i in range(45):
        SelfReportFactory(factory=FactoryFactory(), values={"bod": 10, "cod": 20})
    large, body = queries_of(client, URL)
    assert len(body["results"]) == 50 and all(len(row["values"]) == 2 for row in body["results"])
    assert small == large, (small, large)


# --- filing -------------------------------------------------------------------------------------


def test_operator_files_through_the_service(client, mine):
    link, _report = mine
    client.force_login(link.person)
    response = post(client, filing(link.factory, note="ส่งผ่านระบบของบริษัท"))
    assert response.status_code == 201, response.content
    report = SelfReport.objects.get(pk=response.json()["id"])
    assert report.channel == "api" and report.filed_by == link.person and report.period_start == H2.start
    assert response["Location"].endswith(f"/api/v1/selfreports/{report.pk}/")  # links name the version
    assert AuditEntry.objects.filter(action="selfreport.file", chain=audit.chain_key(report)).exists()


def test_office_staff_file_on_behalf_of_a_factory(client, songkhla, mine):
    link, _report = mine
    client.force_login(songkhla.inspector)
    assert post(client, filing(link.factory)).status_code == 201


def test_amend_keeps_the_earlier_revision(client, mine):
    link, report = mine
    client.force_login(link.person)
    response = post(client, filing(link.factory, period=H1.code, amend=True, values={**RW, "bod": "19"}))
    assert response.status_code == 201 and response.json()["revision"] == 2
    report.refresh_from_db()
    assert report.is_current is False


@pytest.mark.parametrize(
    "over, errors",
    [
        ({"values": {**RW, "bod": "สิบแปด"}}, {"values.bod": ["บีโอดี (BOD): ต้องเป็นตัวเลข"]}),
        ({"values": {k: v for k, v in RW.items() if k != "tss"}}, {"values.tss": ["สารแขวนลอย (TSS): ต้องระบุ"]}),
        ({"kind": "nosuch"}, {"kind": ["ไม่รู้จักประเภทรายงาน nosuch"]}),
        ({"period": "2567-13"}, {"period": None}),
        ({"period": H1.code}, {"period": None}),  # already filed, not amending
        ({"values": "18"}, {"values": None}),
        ({"factory": None}, {"factory": None}),
    ],
    ids=[
        "not-a-number",
        "required-missing",
        "unknown-kind",
        "bad-period",
        "filed-twice",
        "values-not-object",
        "no-factory",
    ],  # fmt: skip
)
def test_bad_input_is_400_per_field_and_saves_nothing(client, mine, over, errors):
    link, _report = mine
    client.force_login(link.person)
    before = state()
    response = post(client, filing(link.factory, **over))
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"
    body = response.json()["fields"]  # a nested value by its dotted path (values.bod)
    assert set(body) == set(errors)
    for field, expected in errors.items():
        if expected is not None:
            assert body[field] == expected
    assert state() == before


def test_missing_fields_are_named_in_thai(client, mine):
    client.force_login(mine[0].person)
    body = post(client, {}).json()["fields"]
    assert set(body) == {"factory", "kind", "period", "values"}
    assert body["kind"] == ["ฟิลด์นี้จำเป็น"]


def test_messages_follow_the_chosen_language(client, mine):
    link, _report = mine
    client.force_login(link.person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = post(client, filing(link.factory, values={**RW, "bod": "x"})).json()
    assert body["fields"] == {"values.bod": ["BOD: must be a number"]}


def test_a_factory_the_caller_may_not_see_is_refused_like_an_unknown_one(client, songkhla, lopburi_officer, mine):
    link, _report = mine
    other_operator = OperatorFactory(factory=FactoryFactory(factory_type=3)).person
    lopburi_factory = FactoryFactory(factory_type=3, province_code=LOPBURI)
    client.force_login(other_operator)
    unknown = post(client, filing(link.factory, factory=lopburi_factory.pk + 100000)).json()
    before = state()
    for person, factory in ((other_operator, link.factory), (lopburi_officer, link.factory),
                            (songkhla.inspector, lopburi_factory)):  # fmt: skip
        client.force_login(person)
        response = post(client, filing(factory))
        assert response.status_code == 400
        assert response.json() == unknown  # no hint that the factory exists
    assert state() == before


def test_anonymous_token_less_caller_cannot_file(client, mine):
    before = state()
    assert post(client, filing(mine[0].factory)).status_code == 401
    assert state() == before


def test_who_may_only_see_gets_403_and_nothing_is_saved(client, songkhla, mine):
    link, _report = mine
    client.force_login(songkhla.aps)  # oversees the cluster: sees the factory, does not work in the office
    assert client.get(URL, {"factory": link.factory.pk}).json()["count"] == 1
    before = state()
    response = post(client, filing(link.factory))
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert state() == before


def test_figures_may_be_sent_as_json_numbers(client, mine):
    link, _report = mine
    client.force_login(link.person)
    numbers = {"wastewater_m3_per_day": 120, "bod": 18.5, "cod": 75, "tss": 30, "ph": 7.1}
    response = post(client, filing(link.factory, values=numbers))
    assert response.status_code == 201, response.content
    assert {"key": "bod", "value": "18.5", "unit": "มก./ล."} in response.json()["values"]
