"""The public complaint API (no login): a complaint filed through it gets a tracking number whose
status reads back without personal data; the form's rules and per-address limit apply, and a
refused complaint stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from viewflow.workflow.models import Process

from tests.conftest import LOPBURI
from tests.workflows.complaint.test_complaints import JPEG, district_of, form_data, submit
from workflows.complaint import services
from workflows.complaint.models import Complaint, ComplaintPhoto

pytestmark = pytest.mark.django_db

URL = "/api/complaints/"
PUBLIC_KEYS = {"tracking_no", "status", "status_code", "received", "updated", "answered", "answer"}


def stored() -> tuple[int, int, int]:
    return Complaint.objects.count(), ComplaintPhoto.objects.count(), Process.objects.count()


def post(client, ip="198.51.100.7", **over):
    return client.post(URL, form_data(**over), content_type="application/json", REMOTE_ADDR=ip)


def test_public_complaint_gets_a_tracking_number_whose_status_reads_back(client, songkhla):
    response = post(client)
    assert response.status_code == 201, response.content
    number = response.json()["tracking_no"]
    complaint = Complaint.objects.get(tracking_no=number)
    assert complaint.office == songkhla.unit and complaint.source_ip == "198.51.100.7"
    status = client.get(response.json()["status_url"])
    assert status.status_code == 200
    assert status.json()["tracking_no"] == number and status.json()["status_code"] == "received"
    assert status.json()["status"] == "ได้รับเรื่องแล้ว"


def test_status_shows_no_personal_data_nor_staff(client, songkhla):
    complaint = submit(ip="198.51.100.8")
    services.complaint_triage(complaint=complaint, by=songkhla.head, accept=False, reason="อยู่นอกอำนาจหน้าที่ภายใน")
    services.complaint_answer(complaint=complaint, by=songkhla.head, answer="เรื่องนี้อยู่ในอำนาจของเทศบาล")
    response = client.get(f"/api/complaints/status/{complaint.tracking_no.lower()}/")
    body = response.json()
    assert set(body) == PUBLIC_KEYS
    assert body["answer"] == "เรื่องนี้อยู่ในอำนาจของเทศบาล" and body["status_code"] == "answered"
    text = response.content.decode()
    for private in ("นางสาวผู้ร้อง", "0812345678", "complainant@example.com", "198.51.100.8",
                    songkhla.head.first_name, "อยู่นอกอำนาจหน้าที่ภายใน"):  # fmt: skip
        assert private not in text


def test_unknown_tracking_number_is_404(client):
    assert client.get("/api/complaints/status/RC-2569-ZZZZZZ/").status_code == 404


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"description": "สั้นเกินไป"}, "description", "กรุณาเล่ารายละเอียด"),
        ({"district": "lopburi"}, "district", "อำเภอ/เขตที่เลือกไม่อยู่ในจังหวัดนี้"),
        ({"province": 999}, "province", "กรุณาเลือกจังหวัด"),
        ({"province": None}, "province", "ฟิลด์นี้"),
        ({"contact_email": "not-an-address"}, "contact_email", "อีเมล"),
    ],
    ids=["short", "district-elsewhere", "unknown-province", "no-province", "bad-email"],
)
def test_bad_input_is_400_per_field_in_thai_and_stores_nothing(client, songkhla, over, field, message):
    if over.get("district") == "lopburi":
        over["district"] = district_of(LOPBURI).pk
    before = stored()
    response = post(client, **over)
    assert response.status_code == 400
    errors = response.json()["fields"]
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert stored() == before


def test_photos_come_as_multipart_and_are_checked_by_the_form_rules(client, songkhla):
    data = {**form_data(), "photos": [SimpleUploadedFile("a.jpg", JPEG, content_type="image/jpeg")]}
    response = client.post(URL, data, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 201
    assert Complaint.objects.get(tracking_no=response.json()["tracking_no"]).photos.count() == 1
    before = stored()
    fake = {**form_data(), "photos": [SimpleUploadedFile("a.jpg", b"<?php 1;", content_type="image/jpeg")]}
    refused = client.post(URL, fake, REMOTE_ADDR="198.51.100.9")
    assert refused.status_code == 400 and list(refused.json()["fields"]) == ["photos"]
    assert stored() == before


def test_same_per_address_limit_as_the_form(client, songkhla):
    for _i in range(services.RATE_LIMIT):
        assert post(client, ip="192.0.2.50").status_code == 201
    before = stored()
    response = post(client, ip="192.0.2.50")
    assert response.status_code == 429
    assert "ในหนึ่งชั่วโมงแล้ว" in response.json()["message"]
    assert stored() == before
    assert post(client, ip="192.0.2.51").status_code == 201  # another address is not held back


def test_form_and_api_share_the_limit(client, songkhla):
    for _i in range(services.RATE_LIMIT):
        submit(ip="192.0.2.60")
    assert post(client, ip="192.0.2.60").status_code == 429


def test_a_logged_in_browser_can_post_without_a_csrf_token(songkhla):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(songkhla.inspector)
    response = browser.post(URL, form_data(), content_type="application/json", REMOTE_ADDR="198.51.100.10")
    assert response.status_code == 201


def test_description_is_required(client, songkhla):
    data = form_data()
    del data["description"]
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 400 and "description" in response.json()["fields"]
    assert stored() == (0, 0, 0)


def test_guessing_tracking_numbers_is_stopped_after_thirty_a_minute(client):
    answers = [client.get(f"/api/complaints/status/RC-2569-{i:06d}/").status_code for i in range(31)]
    assert answers == [404] * 30 + [429]
