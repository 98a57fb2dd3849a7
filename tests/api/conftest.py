"""API fixtures: the Songkhla office of the inspection tests (head, inspectors, officer, cluster
approvers), its checklist and approval rules, a Lopburi group head as the stranger, and helpers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import PositionKind
from tests.conftest import LOPBURI, staff
from tests.workflows.inspection.conftest import checklist, factory, rules, songkhla  # noqa: F401


@pytest.fixture
def lopburi_officer(db):
    return staff(LOPBURI, PositionKind.PROVINCIAL_OFFICER)


def queries_of(client, url: str) -> tuple[int, dict]:
    """(number of SQL statements, JSON body) of one GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries), response.json()
