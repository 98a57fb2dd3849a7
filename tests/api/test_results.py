"""An operator's results through the API (GET /api/v1/results/): the persona matrix — anonymous 401,
office staff 403 (they read /cases/), another factory's operator nothing, the factory's operator its
signed-off case with the issued order — and `updated_since` for incremental sync."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from tests.workflows.inspection.test_operator_results import order_issued

pytestmark = pytest.mark.django_db
URL = "/api/v1/results/"


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
