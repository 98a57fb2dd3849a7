"""The inspect step's audit (issue 16, fixes): a refused submit writes nothing, not even an audit
entry; a saved checklist's entry holds old → new for each answer changed and no line for the others,
the numbers as the inspector typed them."""

from decimal import Decimal

import pytest

from workflows import audit
from workflows.inspection import services
from workflows.inspection.models import ChecklistItem

from .test_inspect_page import case, items  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def answer_entries(inspection) -> list:
    return [entry for entry in audit.timeline(inspection) if entry.action == "case.answers"]


def test_a_refused_submit_writes_no_answer_and_no_audit_entry(client, case, checklist):  # noqa: F811
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    before = len(audit.timeline(case))
    response = client.post(case.url, {f"item_{s1.pk}": "no", f"item_{s2.pk}": "", "_submit": "1"})
    assert response.status_code == 200 and "S2" in response.content.decode()
    assert len(audit.timeline(case)) == before and not case.answers.exists()


def test_the_audit_keeps_old_and_new_and_skips_what_did_not_change(client, case, checklist):  # noqa: F811
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    client.post(case.url, {f"item_{s1.pk}": "yes", f"item_{s2.pk}": "80.0", "save_draft": "1"})
    first = answer_entries(case)[-1]
    assert first.before == {} and first.after == {"S1": "yes", "S2": "80.0"}  # as typed, not "80" or "8E+1"
    client.post(case.url, {f"item_{s1.pk}": "yes", f"item_{s2.pk}": "60", "save_draft": "1"})
    second = answer_entries(case)[-1]
    assert second.pk != first.pk
    assert (second.before, second.after) == ({"S2": "80.0"}, {"S2": "60"})  # no line for S1, unchanged
    assert [(str(name), old, new) for name, old, new in second.changes()] == [("S2", "80.0", "60")]  # kept as typed


def test_a_save_that_changes_no_answer_writes_no_answer_entry(client, case, checklist):  # noqa: F811
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    client.post(case.url, {f"item_{s1.pk}": "", f"item_{s2.pk}": "", "save_draft": "1"})
    assert answer_entries(case) == []  # blank answers are not "— → —" lines
    client.post(case.url, {f"item_{s1.pk}": "na", f"item_{s2.pk}": "80", "save_draft": "1"})
    client.post(case.url, {f"item_{s1.pk}": "na", f"item_{s2.pk}": "80.00", "save_draft": "1"})  # the same number
    assert len(answer_entries(case)) == 1


def test_the_refusal_is_asked_of_the_answers_and_photos_about_to_be_saved(case, checklist):  # noqa: F811
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    ChecklistItem.objects.filter(pk=s1.pk).update(photo_required=True)
    answers = {s1.pk: {"value": "yes"}, s2.pk: {"value": "", "number": Decimal("80.0")}}
    reason, (missing, no_photo) = services.submit_refusal(case, {s1.pk: {"value": "yes"}})
    assert missing == ["S2"] and "S2" in reason
    reason, (missing, no_photo) = services.submit_refusal(case, answers)
    assert (missing, no_photo) == ([], ["S1"]) and "S1" in reason
    assert services.submit_refusal(case, answers, frozenset({s1.pk})) is None  # the photo sent with the submit
    assert not case.answers.exists()  # asking writes nothing
