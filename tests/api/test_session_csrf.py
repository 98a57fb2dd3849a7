"""The API with a browser's session (the offline inspections' page, project/offline.py): a post without the CSRF
token is refused and changes nothing; with the token from the csrftoken cookie (X-CSRFToken) it is taken, and the
same Idempotency-Key sent again is answered from the first answer."""

import pytest
from django.test import Client

from tests.api.test_task_actions import answers, assign
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.inspection import services
from workflows.inspection.models import Answer

pytestmark = pytest.mark.django_db


def test_the_api_takes_the_session_with_its_csrf_token(songkhla, checklist, factory):
    inspection = assign(Client(), songkhla, services.inspection_start(factory=factory, by=songkhla.head))
    task = open_task(inspection, "inspect")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(songkhla.inspector)
    token = browser.get("/offline/inspections/").cookies["csrftoken"].value
    url = f"/api/v1/tasks/{task.pk}/draft/"
    body = {"answers": answers(inspection)}

    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["message"]
    assert not Answer.objects.filter(inspection=inspection).exists()

    for _ in range(2):  # the same key twice: kept once
        headers = {"HTTP_X_CSRFTOKEN": token, "HTTP_IDEMPOTENCY_KEY": "k1"}
        sent = browser.post(url, body, content_type="application/json", **headers)
        assert sent.status_code == 200, sent.content
    assert sent["Idempotent-Replayed"] == "true"
    assert Answer.objects.filter(inspection=inspection).count() == 2
