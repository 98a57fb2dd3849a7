import pytest
from django.core import mail

from tests.workflows.inspection.test_flow_paths import checklist_answers, do
from workflows.inspection import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def emails(songkhla):
    for i, person in enumerate((songkhla.head, songkhla.inspector, songkhla.officer)):
        person.email = f"p{i}@industry.example"
        person.save(update_fields=["email"])


def test_the_inspector_is_mailed_when_assigned_and_when_returned(
    client, songkhla, checklist, factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
    assert [m.to for m in mail.outbox] == [[songkhla.head.email]]  # the group head assigns
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    assert mail.outbox[-1].to == [songkhla.inspector.email]
    assert inspection.ref_no in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
        do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "ขาดภาพถ่ายถังดับเพลิง"})
    returned = mail.outbox[-1]
    assert returned.to == [songkhla.inspector.email]
    assert "ขาดภาพถ่ายถังดับเพลิง" in returned.body
