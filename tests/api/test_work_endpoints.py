"""The office's work through the API beyond tasks: budget progress reports (list, file), directives,
inspection plans, complaints for staff (list, triage, their photos) and evidence files. Each endpoint's persona
matrix — anonymous 401, another province 404 (and an empty list), the right person 200 — and the writes
go through the flow's own step (its duty, form and service), as the pages: a refusal changes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.test_task_actions import PNG, assigned, post, refused  # noqa: F401
from tests.clock import at
from tests.factories import FactoryFactory
from tests.workflows.budget.conftest import approved, fy, month_of, task_of  # noqa: F401
from tests.workflows.complaint.test_complaints import PNG as COMPLAINT_PNG
from tests.workflows.complaint.test_complaints import form_data, submit
from tests.workflows.inspection.test_flow_paths import open_task
from workflows.budget import reviews
from workflows.budget import services as budget_services
from workflows.budget.models import ReportStatus
from workflows.complaint.models import Complaint, ComplaintStatus
from workflows.inspection.models import Inspection
from workflows.planning import services as planning_services

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def matrix(client, url: str, detail: str, *, right, stranger) -> dict:
    """Anonymous 401 on the list and the detail; `stranger` an empty list and a 404; `right` sees
    the object. Returns what `right` reads of it."""
    client.logout()
    for path in (url, detail):
        refused(client.get(path), 401, "not_authenticated")
    client.force_login(stranger)
    assert client.get(url).json()["count"] == 0
    refused(client.get(detail), 404, "not_found")
    client.force_login(right)
    listed = client.get(url)
    assert listed.status_code == 200 and listed.json()["count"] == 1, listed.content[:500]
    read = client.get(detail)
    assert read.status_code == 200 and read.json()["id"] == listed.json()["results"][0]["id"]
    return read.json()


# --- budget progress reports ----------------------------------------------------------------------


@pytest.fixture
def due_report(songkhla, approved, fy):  # noqa: F811
    """The first month's report of the Songkhla project, due: its filing step held by the officer
    who registered the project (songkhla.inspector)."""
    return budget_services.report_open(project=approved, month=month_of(fy, 1))


def test_reports_persona_matrix(client, songkhla, lopburi_officer, due_report):
    url = f"{API}budget/reports/"
    body = matrix(client, url, f"{url}{due_report.pk}/", right=songkhla.inspector, stranger=lopburi_officer)
    assert body["status"] == ReportStatus.DUE and body["project"]["id"] == due_report.project_id
    assert client.get(url, {"status": "approved"}).json()["count"] == 0
    refused(client.get(url, {"status": "maybe"}), 400, "invalid")


def test_the_officer_files_the_report_through_its_step_and_the_head_gets_the_review(
    client, songkhla, lopburi_officer, due_report
):
    kpi = due_report.project.kpis.get()
    url = f"{API}budget/reports/{due_report.pk}/file/"
    payload = {"progress_pct": "8", "disbursed": "90000", f"kpi_{kpi.pk}": "5", "problems": "ผู้ประกอบการสมัครช้า"}
    client.force_login(lopburi_officer)
    refused(post(client, url, payload), 404, "not_found")
    client.force_login(songkhla.officer)  # sees the report, but the step is the project officer's
    refused(post(client, url, payload), 409, "task_taken")
    client.force_login(songkhla.inspector)
    too_much = post(client, url, {**payload, "disbursed": "5000000"})
    assert "disbursed" in refused(too_much, 400, "invalid")["fields"]
    due_report.refresh_from_db()
    assert due_report.status == ReportStatus.DUE and due_report.disbursed is None  # nothing changed
    filed = post(client, url, payload)
    assert filed.status_code == 200, filed.content[:500]
    assert filed.json()["status"] == ReportStatus.SUBMITTED and filed.json()["kpi_actuals"] == {str(kpi.pk): "5.00"}
    assert task_of("review", progressprocess__report=due_report).owner == songkhla.officer
    refused(post(client, url, payload), 409, "task_closed")


def test_a_report_is_filed_with_its_evidence_as_multipart(client, songkhla, due_report):
    client.force_login(songkhla.inspector)
    pdf = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4\n" + b"0" * 100, content_type="application/pdf")
    data = {"progress_pct": "8", "disbursed": "90000", "evidence": pdf}
    response = client.post(f"{API}budget/reports/{due_report.pk}/file/", data)
    assert response.status_code == 200, response.content[:500]
    assert [row["name"] for row in response.json()["evidence"]] == ["receipt.pdf"]


# --- directives -----------------------------------------------------------------------------------


def test_directives_persona_matrix(client, songkhla, lopburi_officer, approved):  # noqa: F811
    today = timezone.localdate()
    review = reviews.review_open(office=songkhla.unit, by=songkhla.dps, meeting_on=today, projects=[approved])
    directive = reviews.directive_add(
        review=review, by=songkhla.dps, text="เร่งรัดการเบิกจ่าย", due_on=today + timedelta(days=30),
        assignee=songkhla.inspector,
    )  # fmt: skip
    url = f"{API}budget/directives/"
    body = matrix(client, url, f"{url}{directive.pk}/", right=songkhla.inspector, stranger=lopburi_officer)
    assert body["text"] == "เร่งรัดการเบิกจ่าย" and body["status"] == "open" and body["history"] == []
    assert body["review"]["id"] == review.pk and body["assignee"] == songkhla.inspector.display_name
    assert client.get(url, {"status": "closed"}).json()["count"] == 0


# --- plans ----------------------------------------------------------------------------------------


@at(2026, 11, 16)  # a plan is made for a quarter not yet over: the second of fiscal 2570 (Jan-Mar 2027)
def test_plans_persona_matrix(client, songkhla, lopburi_officer):
    FactoryFactory.create_batch(3)
    plan = planning_services.plan_generate(office=songkhla.unit, fiscal_year=2570, quarter=2, by=songkhla.head)
    url = f"{API}plans/"
    body = matrix(client, url, f"{url}{plan.pk}/", right=songkhla.inspector, stranger=lopburi_officer)
    assert body["status"] == "draft" and body["planned"] == len(body["items"]) == plan.items.count() > 0
    assert [item["rank"] for item in body["items"]] == sorted(item["rank"] for item in body["items"])
    assert "items" not in client.get(url).json()["results"][0]
    assert client.get(url, {"quarter": 1}).json()["count"] == 0
    refused(client.get(url, {"quarter": 5}), 400, "invalid")


# --- complaints for staff -------------------------------------------------------------------------


def test_complaints_persona_matrix_and_filing_stays_public(client, songkhla, lopburi_officer):
    complaint = submit()
    url = f"{API}complaints/"
    body = matrix(client, url, f"{url}{complaint.pk}/", right=songkhla.head, stranger=lopburi_officer)
    assert body["tracking_no"] == complaint.tracking_no and body["contact_phone"] == "0812345678"
    assert [task["step"] for task in body["open_tasks"]] == ["triage"]
    client.logout()
    filed = client.post(url, form_data(), content_type="application/json")
    assert filed.status_code == 201 and Complaint.objects.count() == 2


def test_the_group_head_triages_through_the_step(client, songkhla, lopburi_officer, checklist, factory):
    complaint = submit(factory_text=factory.reg_no)
    url = f"{API}complaints/{complaint.pk}/triage/"
    client.force_login(lopburi_officer)
    refused(post(client, url, {"decision": "reject", "reason": "ไม่เกี่ยวข้อง"}), 404, "not_found")
    client.force_login(songkhla.inspector)  # of the office, but the step is the group head's
    refused(post(client, url, {"decision": "reject", "reason": "ไม่เกี่ยวข้อง"}), 409, "task_taken")
    client.force_login(songkhla.head)
    assert "reason" in refused(post(client, url, {"decision": "reject"}), 400, "invalid")["fields"]
    refused(post(client, url, {"decision": "maybe"}), 400, "invalid")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not Inspection.objects.exists()
    accepted = post(client, url, {"decision": "accept", "factory_reg_no": factory.reg_no}, key="triage-1")
    assert accepted.status_code == 200, accepted.content[:500]
    inspection = Inspection.objects.get()
    assert accepted.json()["status"] == ComplaintStatus.ACCEPTED and accepted.json()["case"]["id"] == inspection.pk
    again = post(client, url, {"decision": "accept", "factory_reg_no": factory.reg_no}, key="triage-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    refused(post(client, url, {"decision": "reject", "reason": "ซ้ำ"}), 409, "task_closed")
    assert Inspection.objects.count() == 1


def test_complaint_photos_persona_matrix(client, songkhla, lopburi_officer):
    complaint = submit(photos=[SimpleUploadedFile("smoke.png", COMPLAINT_PNG, content_type="image/png")])
    other = submit(ip="203.0.113.2", photos=[SimpleUploadedFile("b.png", COMPLAINT_PNG, content_type="image/png")])
    client.force_login(songkhla.head)
    [photo] = client.get(f"{API}complaints/{complaint.pk}/").json()["photos"]
    url = photo["url"]
    assert url == f"http://testserver{API}complaints/{complaint.pk}/photos/{photo['id']}/"
    client.logout()
    refused(client.get(url), 401, "not_authenticated")
    client.force_login(lopburi_officer)
    refused(client.get(url), 404, "not_found")
    client.force_login(songkhla.head)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == COMPLAINT_PNG
    theirs = other.photos.get().pk  # a photo of another complaint, under this one's path
    refused(client.get(f"{API}complaints/{complaint.pk}/photos/{theirs}/"), 404, "not_found")


# --- evidence files -------------------------------------------------------------------------------


def test_evidence_download_persona_matrix(client, songkhla, lopburi_officer, assigned):  # noqa: F811
    client.force_login(songkhla.inspector)
    task = open_task(assigned, "inspect")
    upload = client.post(f"{API}tasks/{task.pk}/evidence/", {"file": SimpleUploadedFile("site.png", PNG)})
    url = upload.json()["url"]
    assert url == f"{API}evidence/{upload.json()['id']}/"
    client.logout()
    refused(client.get(url), 401, "not_authenticated")
    client.force_login(lopburi_officer)
    refused(client.get(url), 404, "not_found")
    refused(client.get(f"{API}evidence/999999/"), 404, "not_found")
    client.force_login(songkhla.head)  # of the case's office, not the uploader
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
