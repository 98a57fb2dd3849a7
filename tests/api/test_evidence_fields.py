"""An evidence upload's answer, and the inspect step's evidence, carry what the case page shows of each
file: a photo's stamp (when and where it was taken, with the position's accuracy) and a signature's
signer; the schema names them (issue 16 through the API of issue 15)."""

from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.test_task_actions import PNG, assigned  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task

pytestmark = pytest.mark.django_db

TASKS = "/api/v1/tasks/"
STAMP = {"taken_at": "2026-11-20T09:15:00+07:00", "latitude": 7.0086, "longitude": 100.4747, "accuracy": 12.4}
FIELDS = {
    "id", "item", "kind", "name", "content_type", "size", "uploaded_at", "taken_at", "latitude", "longitude",
    "accuracy_m", "signer_role", "signer_name", "signer_title", "url",
}  # fmt: skip


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def upload(client, task, **data):
    return client.post(f"{TASKS}{task.pk}/evidence/", {"file": SimpleUploadedFile("a.png", PNG), **data})


def test_a_stamped_photo_answers_when_and_where_it_was_taken(client, songkhla, assigned):  # noqa: F811
    task = open_task(assigned, "inspect")
    client.force_login(songkhla.inspector)
    response = upload(client, task, **STAMP)
    assert response.status_code == 201, response.content[:500]
    photo = response.json()
    assert set(photo) == FIELDS
    assert photo["kind"] == "photo" and when(photo["taken_at"]) == when(STAMP["taken_at"])
    assert (photo["latitude"], photo["longitude"], photo["accuracy_m"]) == (7.0086, 100.4747, 12)
    assert (photo["signer_role"], photo["signer_name"], photo["signer_title"]) == ("", "", "")
    unstamped = upload(client, task).json()
    assert [unstamped[name] for name in ("taken_at", "latitude", "longitude", "accuracy_m")] == [None] * 4
    needs = client.get(f"{TASKS}{task.pk}/").json()["needs"]["evidence"]
    assert [row["id"] for row in needs] == [photo["id"], unstamped["id"]]
    assert when(needs[0]["taken_at"]) == when(STAMP["taken_at"])
    assert needs[0]["latitude"] == 7.0086 and needs[0]["accuracy_m"] == 12 and set(needs[0]) == FIELDS


def test_a_signature_answers_its_signer(client, songkhla, assigned):  # noqa: F811
    task = open_task(assigned, "inspect")
    client.force_login(songkhla.inspector)
    signer = {"signer_role": "representative", "signer_name": "สมชาย ใจดี", "signer_title": "ผู้จัดการโรงงาน"}
    response = upload(client, task, **signer)
    assert response.status_code == 201, response.content[:500]
    body = response.json()
    assert body["kind"] == "signature" and {name: body[name] for name in signer} == signer
    assert body["taken_at"] is not None and body["latitude"] is None  # signed now, where is not asked


def test_the_schema_names_the_stamp_and_the_signer(client):
    evidence = client.get("/api/v1/schema/?format=json").json()["components"]["schemas"]["Evidence"]
    assert set(evidence["properties"]) == FIELDS and set(evidence["required"]) == FIELDS
    assert evidence["properties"]["latitude"]["nullable"] is True
    assert evidence["properties"]["kind"]["description"] == "One of: photo, signature"
