"""An operator's results through the API (GET /api/v1/results/): the persona matrix — anonymous 401,
office staff 403 (they read /cases/), another factory's operator nothing, the factory's operator its
signed-off case with the issued order — `updated_since` for incremental sync, and the case's documents
(the signed report, the order letters) by token, through their pages' own views and rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api import tokens
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from tests.workflows.inspection.test_flow_paths import do, s37_drafted
from tests.workflows.inspection.test_operator_results import order_issued
from workflows.inspection import issued, services
from workflows.signing import TimestampUnavailable

pytestmark = pytest.mark.django_db
URL = "/api/v1/results/"


def token(person) -> str:
    _token, key = tokens.token_issue(user=person, scopes=["read"])
    return f"Token {key}"


def test_results_persona_matrix_and_updated_since(client, songkhla, checklist, factory, rules, time_machine):
    operator = OperatorFactory(factory=factory).person
    stranger = OperatorFactory(factory=FactoryFactory(factory_type=factory.factory_type)).person
    inspection, order = order_issued(client, songkhla, factory)
    client.logout()
    response = client.get(URL)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    client.force_login(songkhla.officer)
    assert client.get(URL).json()["code"] == "permission_denied"
    client.force_login(stranger)
    assert client.get(URL).json()["count"] == 0
    client.force_login(operator)
    body = client.get(URL).json()
    assert [(r["id"], [o["id"] for o in r["orders"]]) for r in body["results"]] == [(inspection.pk, [order.pk])]

    before, later = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(hours=1)
    assert [r["id"] for r in client.get(URL, {"updated_since": before.isoformat()}).json()["results"]] == [
        inspection.pk
    ]
    time_machine.move_to(later + timedelta(minutes=5))
    client.force_login(operator)  # an hour on, the session has lapsed
    assert client.get(URL, {"updated_since": later.isoformat()}).json()["count"] == 0
    refused = client.get(URL, {"updated_since": "soon"})
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["updated_since"]


def test_the_documents_download_with_a_token_for_who_may_read_the_case(
    client, songkhla, lopburi_officer, checklist, factory, rules
):
    operator = OperatorFactory(factory=factory).person
    stranger = OperatorFactory(factory=FactoryFactory(factory_type=factory.factory_type)).person
    inspection, order = order_issued(client, songkhla, factory)
    client.logout()
    report, letter = f"{URL}{inspection.pk}/report/", f"{URL}{inspection.pk}/orders/{order.pk}/letter/"
    for url in (report, letter):
        response = client.get(url)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
        for person in (stranger, lopburi_officer):
            response = client.get(url, HTTP_AUTHORIZATION=token(person))
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        for person in (operator, songkhla.officer):  # the factory's operator, the case's office
            response = client.get(url, HTTP_AUTHORIZATION=token(person))
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf", url
            assert response.getvalue().startswith(b"%PDF")
    result = client.get(URL, HTTP_AUTHORIZATION=token(operator)).json()["results"][0]
    assert result["report_url"] == f"http://testserver{report}"
    assert result["orders"][0]["letter_url"] == f"http://testserver{letter}"
    other, _order = order_issued(client, songkhla, FactoryFactory(factory_type=factory.factory_type))
    response = client.get(f"{URL}{other.pk}/orders/{order.pk}/letter/", HTTP_AUTHORIZATION=token(songkhla.officer))
    assert response.status_code == 404  # an order of another case under this one's path


def test_a_document_not_yet_signed_is_a_503_document_pending(client, songkhla, checklist, factory, rules, monkeypatch):
    operator = OperatorFactory(factory=factory).person
    inspection, _order = order_issued(client, songkhla, factory)

    def no_time_stamp(*args, **kwargs):
        raise TimestampUnavailable("the authority does not answer")

    monkeypatch.setattr(issued, "report_pdf", no_time_stamp)
    response = client.get(f"{URL}{inspection.pk}/report/", HTTP_AUTHORIZATION=token(operator))
    assert response.status_code == 503 and response.json()["code"] == "document_pending"
    assert int(response["Retry-After"]) > 0


def test_updated_since_tells_the_operator_only_what_the_operator_sees(client, songkhla, checklist, factory, rules):
    """A signed-off case whose s.37 order is only drafted has not changed for its factory (the draft is
    the office's); once the order is issued it has."""
    operator = OperatorFactory(factory=factory).person
    inspection = s37_drafted(client, songkhla, factory)
    since = services.current_order(inspection).drafted_at  # after the sign-off
    client.force_login(operator)
    assert client.get(URL, {"updated_since": since.isoformat()}).json()["count"] == 0
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    client.force_login(operator)
    assert [r["id"] for r in client.get(URL, {"updated_since": since.isoformat()}).json()["results"]] == [inspection.pk]
