"""What the inspect step's services read once per case object (services.case_answers, photographed_items):
the refusal check, the save, the photos and the submit of one request share one read of the answers and
of the photographed items, kept as written — and forgotten when a save fails half-way, so that nothing
seen afterwards was not written."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows.inspection import services
from workflows.inspection.errors import InspectionError
from workflows.inspection.models import AnswerType, ChecklistItem, Inspection

from .test_inspect_page import case, items, png_file  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(case):  # noqa: F811
    return Inspection.objects.get(pk=case.pk)  # a fresh object, as a request loads it


def every_answer(checklist) -> dict[int, dict]:
    answers = {}
    for item in items(checklist).values():
        if item.answer_type == AnswerType.NUMBER:
            answers[item.pk] = {"value": "", "number": 5}
        elif item.answer_type == AnswerType.CHOICE:
            answers[item.pk] = {"value": item.choices[0]}
        elif item.answer_type != AnswerType.PHOTO:
            answers[item.pk] = {"value": "yes"}
    return answers


def reads(queries, table: str) -> int:
    return sum(1 for query in queries if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"])


def test_one_request_reads_the_answers_and_the_photos_once(assigned, songkhla, checklist):
    inspector = assigned.inspector
    photo_items = [item for item in items(checklist).values() if item.photo_required or item.answer_type == "photo"]
    answers = every_answer(checklist)

    with CaptureQueriesContext(connection) as queries:
        assert services.submit_refusal(assigned, answers, frozenset(item.pk for item in photo_items)) is None
        services.answers_save(inspection=assigned, by=inspector, answers=answers, findings="ตรวจแล้ว")
        for item in photo_items:
            services.evidence_add(inspection=assigned, by=inspector, upload=png_file("a.png"), item_id=item.pk)
        services.inspection_submit(inspection=assigned, by=inspector)

    # every photo the checklist needs was sent or added by this request: which items have one is not read
    assert reads(queries, "inspection_answer") == 1 and reads(queries, "inspection_evidence") == 0
    stored = Inspection.objects.get(pk=assigned.pk)
    assert (stored.outcome, stored.score) == (assigned.outcome, assigned.score) and stored.submitted_at
    assert services.case_answers(stored).keys() == services.case_answers(assigned).keys()
    assert services.checklist_gaps(stored) == services.checklist_gaps(assigned) == ([], [])


def test_a_save_refused_half_way_leaves_what_is_seen_as_written(assigned, checklist):
    inspector, by_code = assigned.inspector, items(checklist)
    number, yes_no = by_code["S2"], by_code["S1"]
    services.answers_save(inspection=assigned, by=inspector, answers={number.pk: {"value": "", "number": 5}})
    assert services.case_answers(assigned)[number.pk].number == 5

    with pytest.raises(InspectionError):  # the number changed in memory, then the yes/no answer refused
        services.answers_save(
            inspection=assigned, by=inspector, answers={number.pk: {"number": 7}, yes_no.pk: {"value": "maybe"}}
        )

    assert services.case_answers(assigned)[number.pk].number == 5  # read again: as written
    assert yes_no.pk not in services.case_answers(assigned)
    assert services.checklist_gaps(assigned)[0] == ["S1"]


@pytest.fixture
def photo_items(checklist) -> list:
    """S1 needs a photo besides its answer; S3 is a photo."""
    by_code = items(checklist)
    ChecklistItem.objects.filter(pk=by_code["S1"].pk).update(photo_required=True)
    section = by_code["S1"].section
    ChecklistItem.objects.create(
        section=section, order=3, code="S3", question_th="ภาพถ่ายป้ายโรงงาน", answer_type="photo"
    )
    return [item for item in items(checklist).values() if item.photo_required or item.answer_type == "photo"]


def test_photos_added_by_the_request_are_not_read_again(assigned, checklist, photo_items):
    inspector = assigned.inspector
    services.answers_save(inspection=assigned, by=inspector, answers=every_answer(checklist))
    assert services.submit_refusal(Inspection.objects.get(pk=assigned.pk), {}, frozenset())[1] == ([], ["S1", "S3"])
    for item in photo_items:
        services.evidence_add(inspection=assigned, by=inspector, upload=png_file("a.png"), item_id=item.pk)

    with CaptureQueriesContext(connection) as queries:
        services.inspection_submit(inspection=assigned, by=inspector)
    assert reads(queries, "inspection_evidence") == 0 and assigned.submitted_at


def test_a_photo_added_by_an_earlier_request_is_read_and_counted(assigned, checklist, photo_items):
    inspector = assigned.inspector
    services.answers_save(inspection=assigned, by=inspector, answers=every_answer(checklist))
    for item in photo_items[1:]:
        services.evidence_add(inspection=assigned, by=inspector, upload=png_file("a.png"), item_id=item.pk)
    later = Inspection.objects.get(pk=assigned.pk)  # the next request
    services.evidence_add(inspection=later, by=inspector, upload=png_file("b.png"), item_id=photo_items[0].pk)

    with CaptureQueriesContext(connection) as queries:
        assert services.checklist_gaps(later) == ([], [])
    assert reads(queries, "inspection_evidence") == 1
    missing_first = Inspection.objects.get(pk=assigned.pk)
    missing_first.evidence.filter(item=photo_items[0]).delete()
    assert services.checklist_gaps(missing_first)[1] == [photo_items[0].code]
