"""Complaints from the public: submission rules, the public status page, triage, answer, access."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from org.models import District
from tests.conftest import LOPBURI, SONGKHLA
from tests.factories import FactoryFactory, image_bytes
from tests.workflows.inspection.test_flow_paths import checklist_answers, do
from workflows.audit import verify
from workflows.complaint import services
from workflows.complaint.errors import ComplaintError
from workflows.complaint.models import Complaint, ComplaintPhoto, ComplaintStatus
from workflows.inspection.models import Inspection

pytestmark = pytest.mark.django_db

BANGKOK = 10
DESCRIPTION = "โรงงานปล่อยน้ำเสียสีดำลงคลองข้างหมู่บ้านทุกคืน มีกลิ่นเหม็นมาก"
JPEG = image_bytes("JPEG")
PNG = image_bytes("PNG")


def district_of(province_code):
    return District.objects.filter(province_id=province_code).order_by("code").first()


def form_data(**over):
    data = {
        "description": DESCRIPTION,
        "province": SONGKHLA,
        "district": district_of(SONGKHLA).pk,
        "factory_text": "",
        "contact_name": "นางสาวผู้ร้อง ทดสอบ",
        "contact_phone": "0812345678",
        "contact_email": "complainant@example.com",
    }
    return {**data, **over}


def jpeg(name="a.jpg", content=JPEG, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def submit(ip="203.0.113.1", photos=(), **over):
    return services.complaint_submit(data=form_data(**over), photos=list(photos), source_ip=ip)


def task_of(complaint, name):
    return Task.objects.get(
        process__complaintprocess__complaint=complaint, flow_task__endswith=f".{name}",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )  # fmt: skip


def task_url(task):
    return reverse(f"complaints:flow:{task.flow_task.name}:execute", args=[task.process_id, task.pk])


def act(client, user, complaint, name, data, *, expect_redirect=True):
    task = task_of(complaint, name)
    client.force_login(user)
    response = client.post(task_url(task), data)
    if expect_redirect:
        assert response.status_code == 302, response.content.decode()[:2000]
    return response


def nothing_stored():
    return not Complaint.objects.exists() and not ComplaintPhoto.objects.exists() and not Process.objects.exists()


# --- submission ---------------------------------------------------------------------------------


def test_submission_opens_a_complaint_and_a_triage_task_for_the_group_head(songkhla):
    complaint = submit(photos=[jpeg(), jpeg("b.png", PNG, "image/png")])
    assert re.fullmatch(r"RC-\d{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{6}", complaint.tracking_no)
    assert complaint.office == songkhla.unit and complaint.status == ComplaintStatus.RECEIVED
    assert complaint.photos.count() == 2
    task = task_of(complaint, "triage")
    assert task.owner == songkhla.head
    assert task.scheduled > task.created
    assert verify(f"complaint:{complaint.pk}") == []


def test_factory_typed_by_registration_number_is_resolved_within_the_province(songkhla, factory):
    complaint = submit(factory_text=factory.reg_no)
    assert complaint.factory == factory
    other = FactoryFactory(province_code=LOPBURI)
    complaint = submit(factory_text=other.reg_no)
    assert complaint.factory is None and complaint.factory_text == other.reg_no


@pytest.mark.parametrize(
    "over, photos, field",
    [
        ({"description": "สั้นเกินไป"}, [], "description"),
        ({"description": "ก" * 5001}, [], "description"),
        ({"district": "lopburi"}, [], "district"),
        ({"province": BANGKOK, "district": "bangkok"}, [], "province"),
        ({"factory": "lopburi"}, [], "factory_text"),
        ({}, ["jpeg"] * 4, "photos"),
        ({}, ["gif"], "photos"),
        ({}, ["big"], "photos"),
        ({}, ["fake"], "photos"),
        ({}, ["svg"], "photos"),
        ({}, ["webp"], "photos"),
    ],
    ids=[
        "short",
        "long",
        "district-elsewhere",
        "bangkok",
        "factory-elsewhere",
        "four-photos",
        "gif",
        "big",
        "fake",
        "svg-as-png",
        "webp",
    ],  # fmt: skip
)
def test_each_submission_rule_refuses_and_stores_nothing(songkhla, over, photos, field):
    over = dict(over)
    if over.get("district") == "lopburi":
        over["district"] = district_of(LOPBURI).pk
    if over.get("district") == "bangkok":
        over["district"] = district_of(BANGKOK).pk
    if over.get("factory") == "lopburi":
        over["factory"] = FactoryFactory(province_code=LOPBURI).pk
    files = {
        "jpeg": lambda: jpeg(),
        "gif": lambda: jpeg("a.gif", b"GIF89a" + b"0" * 10, "image/gif"),
        "big": lambda: jpeg(content=b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024)),
        "fake": lambda: jpeg(content=b"<?php echo 1; ?>"),
        "svg": lambda: jpeg(
            "a.png", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="a.png"/></svg>', "image/png"
        ),
        "webp": lambda: jpeg("a.webp", image_bytes("WEBP"), "image/jpeg"),  # an image, not JPEG or PNG
    }
    with pytest.raises(ComplaintError) as error:
        submit(photos=[files[kind]() for kind in photos], **over)
    assert error.value.field == field
    assert nothing_stored()


def test_bangkok_complaints_are_sent_to_the_department_of_industrial_works(songkhla):
    with pytest.raises(ComplaintError, match="กรมโรงงานอุตสาหกรรม"):
        submit(province=BANGKOK, district=district_of(BANGKOK).pk)


def test_rate_limit_is_five_complaints_per_address_per_hour(songkhla):
    for _i in range(5):
        submit(ip="198.51.100.7")
    with pytest.raises(ComplaintError, match="ครบ 5 เรื่อง"):
        submit(ip="198.51.100.7")
    assert Complaint.objects.count() == 5
    submit(ip="198.51.100.8")  # another address is not affected
    assert Complaint.objects.count() == 6


# --- public pages -------------------------------------------------------------------------------


def test_public_form_files_a_complaint_without_login_and_shows_the_tracking_number(client, songkhla):
    form = client.get(reverse("complaint_public:new"))
    assert form.status_code == 200 and f'data-province="{SONGKHLA}"' in form.content.decode()
    data = form_data(photos=[jpeg()])
    response = client.post(reverse("complaint_public:new"), data, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.source_ip == "192.0.2.44" and complaint.photos.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert complaint.tracking_no in page


def test_public_form_shows_the_rule_that_refused(client, songkhla):
    response = client.post(reverse("complaint_public:new"), form_data(description="สั้น"))
    assert response.status_code in (200, 422)
    assert "20" in response.content.decode() and not Complaint.objects.exists()


def test_public_status_page_shows_only_safe_fields(client, songkhla, factory):
    complaint = submit(ip="192.0.2.99", factory_text=factory.reg_no)
    page = client.get(reverse("complaint_public:status"), {"no": complaint.tracking_no.lower()}).content.decode()
    assert "ได้รับเรื่องแล้ว" in page and complaint.tracking_no in page
    for secret in ("complainant@example.com", "0812345678", "นางสาวผู้ร้อง", "192.0.2.99", DESCRIPTION,
                   factory.name, songkhla.head.display_name):  # fmt: skip
        assert secret not in page
    missing = client.get(reverse("complaint_public:status"), {"no": "RC-2570-ZZZZZZ"}).content.decode()
    assert 'data-testid="not-found"' in missing


# --- triage and answer --------------------------------------------------------------------------


def test_accept_creates_exactly_one_complaint_inspection_and_links_it(client, songkhla, checklist, factory):
    complaint = submit(factory_text=factory.reg_no)
    act(client, songkhla.head, complaint, "triage", {"decision": "accept", "factory_reg_no": factory.reg_no})
    complaint.refresh_from_db()
    inspection = Inspection.objects.get()
    assert complaint.status == ComplaintStatus.ACCEPTED and complaint.inspection == inspection
    assert inspection.reason == "complaint" and inspection.factory == factory
    answer_task = task_of(complaint, "answer")
    assert answer_task.owner == songkhla.head
    page = client.get(task_url(answer_task)).content.decode()
    assert 'data-testid="waiting-for-inspection"' in page and inspection.ref_no in page


def test_accept_without_a_factory_is_refused(client, songkhla, checklist):
    complaint = submit()
    response = act(client, songkhla.head, complaint, "triage", {"decision": "accept"}, expect_redirect=False)
    assert response.status_code in (200, 422)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and not Inspection.objects.exists()


def test_reject_needs_a_reason_and_never_creates_an_inspection(client, songkhla, checklist, factory):
    complaint = submit(factory_text=factory.reg_no)
    response = act(client, songkhla.head, complaint, "triage", {"decision": "reject"}, expect_redirect=False)
    assert response.status_code in (200, 422)
    act(client, songkhla.head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจตาม พ.ร.บ.โรงงาน"})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REJECTED and complaint.inspection is None
    answer = "เรื่องนี้อยู่ในอำนาจของเทศบาล โปรดติดต่อเทศบาลนครสงขลา"
    act(client, songkhla.head, complaint, "answer_rejection", {"answer": answer})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.answer == answer
    assert not Inspection.objects.exists()


def test_full_path_from_submission_to_answer_on_the_public_page(client, songkhla, checklist, factory):
    response = client.post(reverse("complaint_public:new"), form_data(factory_text=factory.reg_no))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    act(client, songkhla.head, complaint, "triage", {"decision": "accept", "factory_reg_no": factory.reg_no})
    complaint.refresh_from_db()
    inspection = complaint.inspection

    early = act(client, songkhla.head, complaint, "answer", {"answer": "ตรวจแล้ว"}, expect_redirect=False)
    assert early.status_code in (200, 422)  # the inspection is still open
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ACCEPTED

    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})
    inspection.refresh_from_db()
    assert inspection.closed_at is not None

    answer = "เจ้าหน้าที่ได้ตรวจโรงงานแล้ว ไม่พบการปล่อยน้ำเสีย"
    act(client, songkhla.head, complaint, "answer", {"answer": answer})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED and complaint.closed_at is not None
    assert verify(f"complaint:{complaint.pk}") == []

    client.logout()
    page = client.get(reverse("complaint_public:status"), {"no": complaint.tracking_no}).content.decode()
    assert answer in page and "ปิดเรื่องแล้ว" in page
    assert "complainant@example.com" not in page and inspection.ref_no not in page


# --- access -------------------------------------------------------------------------------------


def test_lopburi_group_head_cannot_open_or_triage_a_songkhla_complaint(client, songkhla, checklist, lopburi_head):
    complaint = submit()
    task = task_of(complaint, "triage")
    client.force_login(lopburi_head)
    assert client.get(task_url(task)).status_code in (403, 404)
    response = client.post(task_url(task), {"decision": "reject", "reason": "ไม่ใช่เรื่องของเรา"})
    assert response.status_code in (302, 403, 404)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert complaint.tracking_no not in client.get(reverse("complaints:list")).content.decode()
    for photo_pk in complaint.photos.values_list("pk", flat=True):
        assert client.get(reverse("complaints:photo", args=[photo_pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.complaint_triage(complaint=complaint, by=lopburi_head, accept=False, reason="x")
    complaint.refresh_from_db()
    task.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED and task.status == STATUS.ASSIGNED
    assert task.owner == songkhla.head


def test_songkhla_group_head_sees_the_complaint_with_its_contact(client, songkhla):
    complaint = submit(photos=[jpeg()])
    client.force_login(songkhla.head)
    assert client.get(task_url(task_of(complaint, "triage"))).status_code == 200
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert complaint.tracking_no in page and "complainant@example.com" in page
    assert complaint.tracking_no in client.get(reverse("complaints:list")).content.decode()
    photo = complaint.photos.get()
    assert client.get(reverse("complaints:photo", args=[photo.pk])).status_code == 200


def test_each_complaint_step_is_due_by_its_own_rule(songkhla):
    """In working days, due when the office closes on the last of them (org.workdays)."""
    from datetime import datetime, time

    from django.utils import timezone

    from org.workdays import add_working_days
    from workflows.demo import SLA_DAYS, load_demo_rules

    load_demo_rules()
    complaint = submit()
    task = task_of(complaint, "triage")
    due = add_working_days(timezone.localdate(task.created), SLA_DAYS["complaint"]["triage"], songkhla.unit.pk)
    assert timezone.localtime(task.scheduled) == timezone.make_aware(datetime.combine(due, time(16, 30)))


def test_an_overdue_triage_is_escalated_to_the_provincial_industry_officer(
    songkhla, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from workflows import sla

    songkhla.officer.email = "pio@example.go.th"
    songkhla.officer.save()
    complaint = submit()
    Task.objects.filter(pk=task_of(complaint, "triage").pk).update(scheduled=timezone.now() - timedelta(hours=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go through the outbox
        assert sla.sweep() == (0, 1)
    assert [m.to for m in mailoutbox] == [["pio@example.go.th"]] and complaint.tracking_no in mailoutbox[0].body
