"""Idempotency-Key on the complaint and self-report creates: the same key and body from the same
caller replays the first answer (status, body, Location) and creates nothing; another body is a 422;
a refusal frees the key; keys are per caller and forgotten after 24 hours."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Process

from api.models import IdempotencyKey
from registry.models import SelfReport
from tests.api.test_selfreports import H2, RW, mine  # noqa: F401
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from tests.workflows.complaint.test_complaints import JPEG, form_data
from workflows.complaint.models import Complaint, ComplaintPhoto

pytestmark = pytest.mark.django_db

COMPLAINTS, SELFREPORTS = "/api/v1/complaints/", "/api/v1/selfreports/"
KEY = "4f9c2a6e-7d1b-4c3e-9a0f-2b8d5e6c7a10"


def complain(client, key=KEY, ip="198.51.100.20", **over):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(COMPLAINTS, form_data(**over), content_type="application/json", REMOTE_ADDR=ip, **headers)


def stored() -> tuple[int, int, int]:
    return Complaint.objects.count(), ComplaintPhoto.objects.count(), Process.objects.count()


def test_a_complaint_sent_twice_with_one_key_is_filed_once_and_answered_alike(client, songkhla):
    first = complain(client)
    assert first.status_code == 201, first.content
    assert first["Location"] == first.json()["status_url"]
    assert "/api/v1/complaints/status/" in first["Location"]
    before = stored()
    again = complain(client)
    assert again.status_code == 201
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert stored() == before and Complaint.objects.count() == 1


def test_without_a_key_each_complaint_is_a_new_one(client, songkhla):
    assert complain(client, key=None).json() != complain(client, key=None).json()
    assert Complaint.objects.count() == 2


def test_a_multipart_complaint_with_photos_replays_too(client, songkhla):
    def send(content=JPEG):
        data = {**form_data(), "photos": [SimpleUploadedFile("a.jpg", content, content_type="image/jpeg")]}
        return client.post(COMPLAINTS, data, REMOTE_ADDR="198.51.100.21", HTTP_IDEMPOTENCY_KEY=KEY)

    first = send()
    assert first.status_code == 201, first.content
    assert send().json() == first.json()
    assert stored()[:2] == (1, 1)
    other_photo = send(content=JPEG + b"\0")  # same fields, another file: another request
    assert other_photo.status_code == 422
    assert stored()[:2] == (1, 1)


def test_the_same_key_with_another_body_is_a_422_and_creates_nothing(client, songkhla):
    complain(client)
    before = stored()
    response = complain(client, description="เรื่องอื่นที่ต่างออกไป ควันดำจากปล่องโรงงานตลอดทั้งคืนจนถึงเช้า")
    assert response.status_code == 422
    assert response.json() == {
        "code": "idempotency_key_reused", "message": "Idempotency-Key นี้ถูกใช้กับคำขออื่นไปแล้ว กรุณาใช้คีย์ใหม่", "fields": {}
    }  # fmt: skip
    assert stored() == before


def test_the_422_speaks_english_when_chosen(client, songkhla):
    from django.conf import settings

    complain(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = complain(client, contact_name="someone else")
    assert response.status_code == 422
    assert "already used with a different request" in response.json()["message"]


def test_keys_belong_to_their_caller(client, songkhla):
    first = complain(client, ip="198.51.100.30")
    second = complain(client, ip="198.51.100.31")  # someone else who happened to pick the same key
    assert second.status_code == 201 and second.json()["tracking_no"] != first.json()["tracking_no"]
    assert Complaint.objects.count() == 2


def test_a_refused_request_leaves_the_key_free_for_the_corrected_one(client, songkhla):
    refused = complain(client, description="สั้น")
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    assert complain(client).status_code == 201
    assert Complaint.objects.count() == 1


def test_keys_are_forgotten_after_a_day(client, songkhla, time_machine):
    time_machine.move_to(timezone.now())
    first = complain(client)
    time_machine.shift(timedelta(hours=23))
    assert complain(client).json() == first.json()
    time_machine.shift(timedelta(hours=2))
    later = complain(client)
    assert later.status_code == 201 and later.json()["tracking_no"] != first.json()["tracking_no"]
    assert IdempotencyKey.objects.count() == 1  # the expired one is gone


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "ไทย"])
def test_a_malformed_key_is_a_400_naming_the_header(client, songkhla, key):
    response = complain(client, key=key)
    assert response.status_code == 400 and list(response.json()["fields"]) == ["Idempotency-Key"]
    assert not Complaint.objects.exists()


def test_a_replayed_selfreport_gets_the_first_answer_not_already_filed(client, mine):  # noqa: F811
    link, _report = mine
    client.force_login(link.person)
    data = {"factory": link.factory.pk, "kind": "rw", "period": H2.code, "values": RW}

    def post(**over):
        return client.post(
            SELFREPORTS, {**data, **over}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="filing-2567-H2"
        )

    first = post()
    assert first.status_code == 201, first.content
    before = SelfReport.objects.count()
    again = post()
    assert again.status_code == 201 and again.json() == first.json() and again["Location"] == first["Location"]
    assert SelfReport.objects.count() == before
    assert post(values={**RW, "bod": "19"}).status_code == 422
    assert SelfReport.objects.count() == before
    without_key = client.post(SELFREPORTS, data, content_type="application/json")
    assert without_key.status_code == 400  # the period is filed: only the keyed retry replays


def test_another_person_with_the_same_key_is_not_given_my_answer(client, mine):  # noqa: F811
    link, _report = mine
    data = {"factory": link.factory.pk, "kind": "rw", "period": H2.code, "values": RW}
    client.force_login(link.person)
    mine_answer = client.post(SELFREPORTS, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert mine_answer.status_code == 201
    other = OperatorFactory(factory=FactoryFactory(factory_type=3)).person
    client.force_login(other)
    theirs = client.post(SELFREPORTS, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert theirs.status_code == 400 and "factory" in theirs.json()["fields"]  # their own request, judged on its own


def test_the_schema_documents_the_key_and_its_answers(client):
    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (COMPLAINTS, SELFREPORTS):
        operation = document["paths"][path]["post"]
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
        assert {"409", "422"} <= set(operation["responses"])
