"""Tasks through the API: the queue, one task with what its step needs, claim, complete and evidence —
the same rules and services as the task pages. Wrong person: 403 not_your_duty; taken or closed: 409;
a bad payload: 400 with its fields; each refusal changes nothing. An inspection walked from its
opening (POST /cases/) to its sign-off through the API alone."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.api.conftest import queries_of
from tests.factories import FactoryFactory
from tests.registry.selfreports.conftest import kinds  # noqa: F401
from tests.registry.selfreports.factories import SelfReportFactory
from tests.workflows.complaint.test_complaints import PNG
from tests.workflows.inspection.test_flow_paths import do, open_task
from workflows.inspection import services
from workflows.inspection.models import Evidence, Inspection
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tasks/"


def state(inspection) -> tuple:
    tasks = Task.objects.filter(process__inspectionprocess__inspection=inspection).order_by("pk")
    row = Inspection.objects.filter(pk=inspection.pk).values("inspector", "outcome", "submitted_at", "signed_off_at")
    return tuple(tasks.values_list("pk", "status", "owner")), row.get(), AuditEntry.objects.count()


def post(client, url, data=None, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data or {}, content_type="application/json", **headers, **extra)


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response.json()["code"] == code, response.json()
    return response.json()


def items(inspection) -> dict:
    return {item.code: item for item in services._items(inspection)}


def answers(inspection, *, exit_ok=True, workers="40") -> list[dict]:
    found = items(inspection)
    return [{"item": found["S1"].pk, "value": "yes" if exit_ok else "no"}, {"item": found["S2"].pk, "number": workers}]


def assign(client, songkhla, inspection) -> Inspection:
    """The group head gives the case to the office's first inspector on the assign page."""
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    client.logout()
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def assigned(client, songkhla, checklist, factory):
    """A case whose inspect step the office's first inspector holds."""
    return assign(client, songkhla, services.inspection_start(factory=factory, by=songkhla.head))


def test_the_queue_lists_my_offices_unowned_tasks_and_a_claim_takes_one(client, songkhla, assigned, lopburi_officer):
    task = open_task(assigned, "inspect")
    Task.objects.filter(pk=task.pk).update(owner=None, status=STATUS.NEW)  # put back in the office queue
    client.force_login(songkhla.inspector2)
    [row] = client.get(f"{TASKS}queue/").json()["results"]
    assert row["id"] == task.pk and row["status"] == STATUS.NEW and row["owner"] is None
    assert row["case"]["reference"] == assigned.ref_no
    detail = client.get(f"{TASKS}{task.pk}/").json()
    assert detail["actions"] == {"claim": True, "complete": False}
    response = post(client, f"{TASKS}{task.pk}/claim/")
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == songkhla.inspector2.display_name
    task.refresh_from_db()
    assert task.owner == songkhla.inspector2 and task.status == STATUS.ASSIGNED
    assert client.get(f"{TASKS}queue/").json()["count"] == 0
    client.force_login(lopburi_officer)
    assert client.get(f"{TASKS}queue/").json()["count"] == 0


def test_a_claim_by_someone_the_duty_refuses_is_403_and_changes_nothing(client, songkhla, assigned):
    task = open_task(assigned, "inspect")
    Task.objects.filter(pk=task.pk).update(owner=None, status=STATUS.NEW)
    before = state(assigned)
    client.force_login(songkhla.officer)  # sees the office's cases; does not inspect
    refused(post(client, f"{TASKS}{task.pk}/claim/"), 403, "not_your_duty")
    assert state(assigned) == before


def test_a_task_someone_holds_or_that_is_done_is_a_409(client, songkhla, assigned):
    task = open_task(assigned, "inspect")
    client.force_login(songkhla.inspector2)
    before = state(assigned)
    refused(post(client, f"{TASKS}{task.pk}/claim/"), 409, "task_taken")
    refused(post(client, f"{TASKS}{task.pk}/complete/", {"answers": []}), 409, "task_taken")
    assign = Task.objects.get(process__inspectionprocess__inspection=assigned, flow_task__endswith=".assign")
    client.force_login(songkhla.head)
    refused(post(client, f"{TASKS}{assign.pk}/claim/"), 409, "task_closed")
    refused(post(client, f"{TASKS}{assign.pk}/complete/", {"inspector": songkhla.inspector.pk}), 409, "task_closed")
    assert state(assigned) == before


def test_completing_a_task_still_in_the_queue_is_a_409_claim_first(client, songkhla, assigned):
    task = open_task(assigned, "inspect")
    Task.objects.filter(pk=task.pk).update(owner=None, status=STATUS.NEW)
    client.force_login(songkhla.inspector)
    refused(post(client, f"{TASKS}{task.pk}/complete/", {"answers": []}), 409, "task_unclaimed")


def test_another_office_sees_no_such_task(client, assigned, lopburi_officer):
    task = open_task(assigned, "inspect")
    client.force_login(lopburi_officer)
    refused(client.get(f"{TASKS}{task.pk}/"), 404, "not_found")
    refused(post(client, f"{TASKS}{task.pk}/claim/"), 404, "not_found")


def test_the_inspect_step_needs_the_checklist_answers_reported_values_and_evidence(
    client,
    songkhla,
    assigned,
    kinds,  # noqa: F811
):
    SelfReportFactory(factory=assigned.factory, kind=kinds["ops"], values={"workers": Decimal(120)})
    found = items(assigned)
    services.answers_save(inspection=assigned, by=songkhla.inspector, answers={found["S1"].pk: {"value": "yes"}})
    photo = services.evidence_add(
        inspection=assigned, by=songkhla.inspector, upload=SimpleUploadedFile("a.png", PNG), item_id=found["S1"].pk
    )
    client.force_login(songkhla.inspector)
    detail = client.get(f"{TASKS}{open_task(assigned, 'inspect').pk}/").json()
    assert detail["step"] == "inspect" and detail["actions"] == {"claim": False, "complete": True}
    rows = {row["code"]: row for row in detail["needs"]["items"]}
    assert rows["S1"]["answer"]["value"] == "yes" and rows["S1"]["evidence"] == [photo.pk]
    assert rows["S2"]["answer"] is None and rows["S2"]["unit"] == "คน"
    assert Decimal(rows["S2"]["reported"]["value"]) == 120 and rows["S2"]["reported"]["kind"] == "ops"
    assert [e["id"] for e in detail["needs"]["evidence"]] == [photo.pk]
    assert {field["name"] for field in detail["payload"]} == {"answers", "findings", "inspected_on", "evidence"}


def test_a_review_lists_its_decisions(client, songkhla, assigned):
    client.force_login(songkhla.inspector)
    task = open_task(assigned, "inspect")
    assert post(client, f"{TASKS}{task.pk}/complete/", {"answers": answers(assigned)}).status_code == 200
    client.force_login(songkhla.head)
    detail = client.get(f"{TASKS}{open_task(assigned, 'review').pk}/").json()
    decision = next(field for field in detail["payload"] if field["name"] == "decision")
    assert {choice["value"] for choice in decision["choices"]} == {"approve", "return"} and decision["required"]
    assert detail["needs"] is None


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": "return"}, "non_field_errors"),  # the service: a return needs comments
        ({}, "decision"),
        ({"decision": "approve", "colour": "red"}, "colour"),
        (["approve"], "non_field_errors"),
    ],
    ids=["unknown-choice", "return-without-comments", "missing", "unknown-field", "not-an-object"],
)
def test_a_bad_payload_is_a_400_naming_the_field_and_changes_nothing(client, songkhla, assigned, payload, field):
    client.force_login(songkhla.inspector)
    post(client, f"{TASKS}{open_task(assigned, 'inspect').pk}/complete/", {"answers": answers(assigned)})
    review = open_task(assigned, "review")
    before = state(assigned)
    client.force_login(songkhla.head)
    body = refused(post(client, f"{TASKS}{review.pk}/complete/", payload), 400, "invalid")
    assert field in body["fields"], body
    assert state(assigned) == before


def test_inspect_refuses_an_item_or_evidence_of_another_case_and_keeps_nothing(client, songkhla, assigned, checklist):
    other = assign(client, songkhla, services.inspection_start(factory=FactoryFactory(), by=songkhla.head))
    theirs = services.evidence_add(inspection=other, by=songkhla.inspector, upload=SimpleUploadedFile("b.png", PNG))
    url = f"{TASKS}{open_task(assigned, 'inspect').pk}/complete/"
    client.force_login(songkhla.inspector)
    before = state(assigned)
    body = refused(post(client, url, {"answers": [{"item": 10**12, "value": "yes"}]}), 400, "invalid")
    assert list(body["fields"]) == ["answers.0.item"]
    body = refused(post(client, url, {"answers": answers(assigned), "evidence": [theirs.pk]}), 400, "invalid")
    assert list(body["fields"]) == ["evidence"]
    missing = refused(post(client, url, {"answers": answers(assigned)[:1]}), 400, "invalid")  # S2 unanswered
    assert "S2" in missing["message"]
    assert state(assigned) == before and not assigned.answers.exists()


def test_evidence_upload_returns_an_id_for_the_completion(client, songkhla, assigned):
    task = open_task(assigned, "inspect")
    s1 = items(assigned)["S1"]
    client.force_login(songkhla.inspector)
    upload = {"file": SimpleUploadedFile("site.png", PNG, content_type="image/png"), "item": s1.pk}
    response = client.post(f"{TASKS}{task.pk}/evidence/", upload)
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert evidence.inspection == assigned and evidence.item == s1
    not_a_photo = client.post(f"{TASKS}{task.pk}/evidence/", {"file": SimpleUploadedFile("x.png", b"text")})
    refused(not_a_photo, 400, "invalid")
    client.force_login(songkhla.inspector2)  # not the holder of the step
    refused(client.post(f"{TASKS}{task.pk}/evidence/", {"file": SimpleUploadedFile("y.png", PNG)}), 409, "task_taken")
    assert Evidence.objects.count() == 1


def test_an_inspection_walked_from_start_to_sign_off_through_the_api(client, songkhla, checklist, factory):
    client.force_login(songkhla.head)
    started = post(client, "/api/v1/cases/", {"factory": factory.pk, "reason": "routine"}, key="start-1")
    assert started.status_code == 201, started.content[:500]
    inspection = Inspection.objects.get(pk=started.json()["id"])
    [assign] = client.get(TASKS).json()["results"]
    assert assign["step"] == "assign" and assign["case"]["id"] == inspection.pk
    response = post(client, f"{TASKS}{assign['id']}/complete/", {"inspector": songkhla.inspector.pk})
    assert response.status_code == 200 and response.json()["status"] == STATUS.DONE

    client.force_login(songkhla.inspector)
    [inspect] = client.get(TASKS).json()["results"]
    photo = client.post(f"{TASKS}{inspect['id']}/evidence/", {"file": SimpleUploadedFile("a.png", PNG)}).json()
    payload = {"answers": answers(inspection), "findings": "ทางหนีไฟโล่ง", "inspected_on": "2026-11-20",
               "evidence": [photo["id"]]}  # fmt: skip
    assert post(client, f"{TASKS}{inspect['id']}/complete/", payload).status_code == 200

    client.force_login(songkhla.head)
    [review] = client.get(TASKS).json()["results"]
    assert post(client, f"{TASKS}{review['id']}/complete/", {"decision": "approve"}).status_code == 200

    client.force_login(songkhla.officer)
    [sign_off] = client.get(TASKS).json()["results"]
    assert sign_off["step"] == "sign_off"
    assert post(client, f"{TASKS}{sign_off['id']}/complete/", {"confirm": True}).status_code == 200
    inspection.refresh_from_db()
    assert inspection.outcome == "compliant" and inspection.signed_off_by == songkhla.officer
    assert inspection.findings == "ทางหนีไฟโล่ง" and inspection.inspected_on.isoformat() == "2026-11-20"
    assert inspection.closed_at is not None


def test_a_completion_replayed_with_its_key_is_done_once(client, songkhla, assigned):
    client.force_login(songkhla.inspector)
    url = f"{TASKS}{open_task(assigned, 'inspect').pk}/complete/"
    first = post(client, url, {"answers": answers(assigned)}, key="done-once")
    assert first.status_code == 200
    after = state(assigned)
    again = post(client, url, {"answers": answers(assigned)}, key="done-once")
    assert again.status_code == 200 and again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert state(assigned) == after
    refused(
        post(client, url, {"answers": answers(assigned, workers="41")}, key="done-once"), 422, "idempotency_key_reused"
    )
    refused(post(client, url, {"answers": answers(assigned)}, key="another"), 409, "task_closed")
    assert state(assigned) == after


def test_one_key_on_two_tasks_is_two_requests(client, songkhla, checklist):
    cases = [services.inspection_start(factory=FactoryFactory(), by=songkhla.head) for _ in range(2)]
    tasks = [open_task(case, "assign") for case in cases]
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(owner=None, status=STATUS.NEW)
    client.force_login(songkhla.head)
    assert post(client, f"{TASKS}{tasks[0].pk}/claim/", key="k").status_code == 200
    refused(post(client, f"{TASKS}{tasks[1].pk}/claim/", key="k"), 422, "idempotency_key_reused")


def test_list_and_detail_queries_do_not_grow_with_the_tasks(client, songkhla, checklist, django_assert_max_num_queries):
    def start(n):
        for _ in range(n):
            case = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
            Task.objects.filter(pk=open_task(case, "assign").pk).update(owner=None, status=STATUS.NEW)

    start(3)
    client.force_login(songkhla.head)
    small_queue, body = queries_of(client, f"{TASKS}queue/")
    assert body["count"] == 3
    start(12)
    large_queue, body = queries_of(client, f"{TASKS}queue/")
    assert body["count"] == 15 and large_queue == small_queue
    task = Task.objects.filter(status=STATUS.NEW).first()
    with django_assert_max_num_queries(20):
        assert client.get(f"{TASKS}{task.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(TASKS).status_code == 200


def test_a_draft_keeps_the_answers_sent_and_the_task_open(client, songkhla, assigned):
    task = open_task(assigned, "inspect")
    client.force_login(songkhla.inspector)
    first = answers(assigned)[:1]  # S1 only
    response = post(client, f"{TASKS}{task.pk}/draft/", {"answers": first, "findings": "ยังไม่ครบ"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == STATUS.ASSIGNED
    assert {a.item.code: a.value for a in assigned.answers.select_related("item")} == {"S1": "yes"}
    post(client, f"{TASKS}{task.pk}/draft/", {"answers": answers(assigned)[1:]})  # S2 later; S1 kept
    assert assigned.answers.count() == 2
    assigned.refresh_from_db()
    assert assigned.findings == "ยังไม่ครบ" and assigned.submitted_at is None
    assert post(client, f"{TASKS}{task.pk}/complete/", {}).status_code == 200  # what the draft holds is submitted
    client.force_login(songkhla.head)
    review = open_task(assigned, "review")
    refused(post(client, f"{TASKS}{review.pk}/draft/", {"answers": []}), 400, "invalid")


def test_an_assign_step_offers_the_offices_inspectors(client, songkhla, checklist, factory):
    case = services.inspection_start(factory=factory, by=songkhla.head)
    client.force_login(songkhla.head)
    detail = client.get(f"{TASKS}{open_task(case, 'assign').pk}/").json()
    [inspector] = detail["payload"]
    assert inspector["name"] == "inspector" and inspector["type"] == "integer" and inspector["required"]
    assert {songkhla.inspector.pk, songkhla.inspector2.pk} <= {choice["value"] for choice in inspector["choices"]}


def test_the_schema_describes_the_payload_of_every_human_step(client):
    from workflows.flows import human_steps

    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    body = document["paths"]["/api/v1/tasks/{id}/complete/"]["post"]["requestBody"]["content"]["application/json"]
    refs = [alternative["$ref"].rsplit("/", 1)[1] for alternative in body["schema"]["anyOf"]]
    assert len(refs) == len(human_steps()) and "InspectPayloadRequest" in refs
    review = document["components"]["schemas"]["InspectionFlowReviewPayload"]
    assert review["properties"]["decision"]["allOf"][0]["enum"] == ["approve", "return"]
    assert review["required"] == ["decision"]
    responses = document["paths"]["/api/v1/tasks/{id}/claim/"]["post"]["responses"]
    assert {"403", "404", "409"} <= set(responses)
