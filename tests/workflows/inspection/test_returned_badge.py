"""A task that came back (returned with comments) carries a "returned" badge in the inbox; a first
visit does not. Read in the same query as the list (no query per row)."""

import pytest
from django.urls import reverse

from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do
from workflows.inspection import services

pytestmark = pytest.mark.django_db


def inbox(client, person) -> str:
    client.force_login(person)
    return client.get(reverse("inspection:inbox")).content.decode()


def test_a_returned_task_is_marked_in_the_inbox(client, songkhla, checklist):
    first = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, first, "assign", {"inspector": songkhla.inspector.pk})
    assert 'data-testid="returned"' not in inbox(client, songkhla.inspector)
    do(client, songkhla.inspector, first, "inspect", checklist_answers(first, exit_ok=True))
    do(client, songkhla.head, first, "review", {"decision": "return", "comments": "ถ่ายภาพเพิ่ม"})
    page = inbox(client, songkhla.inspector)
    assert page.count('data-testid="returned"') == 1 and first.ref_no in page
