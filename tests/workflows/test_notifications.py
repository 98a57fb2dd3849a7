# ruff: noqa: F811 (pytest fixtures imported from the inspection conftest are arguments of the test)
"""Notifications in the app: written where their event happens (a task given, returned, a complaint
answered), counted under the bell with one query a request, listed, opened and marked read by their
own person only, and e-mailed only to whoever wants e-mails."""

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import PersonFactory
from tests.workflows.complaint.test_complaints import act, submit
from tests.workflows.inspection.conftest import checklist, factory, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows.inspection import services
from workflows.models import NoticeKind, NoticePreference, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(songkhla):
    return Notification.objects.create(
        person=songkhla.inspector, kind=NoticeKind.ASSIGNED, link="/inspection/inbox/", case_ref="90-2570/0001",
        step="Inspect the factory",
    )  # fmt: skip


def test_a_task_given_and_a_task_returned_are_each_a_notification_linking_to_the_task(
    client, songkhla, checklist, factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    given = Notification.objects.get(person=songkhla.inspector)
    task = open_task(inspection, "inspect")
    assert (given.kind, given.task_id, given.link) == (NoticeKind.ASSIGNED, task.pk, task.reverse("execute"))
    assert given.case_ref == inspection.ref_no and given.due == task.scheduled
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
        do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "ขาดภาพถ่าย"})
    returned = Notification.objects.filter(person=songkhla.inspector).first()  # newest first
    assert returned.kind == NoticeKind.RETURNED and returned.task_id == open_task(inspection, "inspect").pk


def test_a_complaint_answered_is_told_to_the_provincial_industry_officer(
    client, songkhla, checklist, django_capture_on_commit_callbacks
):
    complaint = submit()
    act(client, songkhla.head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจ"})
    with django_capture_on_commit_callbacks(execute=True):
        act(client, songkhla.head, complaint, "answer_rejection", {"answer": "โปรดติดต่อเทศบาล"})
    (answered,) = Notification.objects.filter(kind=NoticeKind.ANSWERED)
    assert answered.person == songkhla.officer and answered.link == complaint.get_absolute_url()
    assert answered.case_ref == complaint.tracking_no  # the one who answered is not told


def test_the_bell_counts_the_unread_with_one_query_a_request(songkhla, notice, django_assert_num_queries):
    Notification.objects.create(person=songkhla.head, kind=NoticeKind.ASSIGNED, link="/")  # someone else's
    request = RequestFactory().get("/")
    request.user = songkhla.inspector
    page = Template("{% include 'kamkap/_bell.html' %}{% include 'kamkap/_bell.html' %}")
    with django_assert_num_queries(1):
        html = page.render(Context({"request": request, "user": songkhla.inspector}))
    assert html.count('data-testid="bell-count">1<') == 2


def test_a_notice_about_a_task_that_is_over_is_no_longer_counted(
    client, songkhla, checklist, factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
    assert Notification.objects.of(songkhla.head).unread().count() == 1  # the assign step, given to her
    with django_capture_on_commit_callbacks(execute=True):
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    assert Notification.objects.of(songkhla.head).unread().count() == 0  # she did it
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notice"' in page and "kk-unread" not in page and 'data-testid="bell-count"' not in page


def test_the_bell_is_in_every_page_header(client, songkhla, notice):
    client.force_login(songkhla.inspector)
    page = client.get(reverse("inspection:inbox")).content.decode()
    assert 'data-testid="bell"' in page and 'data-testid="bell-count">1<' in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, songkhla, notice):
    client.force_login(songkhla.inspector)
    listed = client.get(reverse("notifications:list")).content.decode()
    assert "90-2570/0001" in listed and "ตรวจโรงงาน" in listed and 'class="kk-notice kk-unread"' in listed
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/inspection/inbox/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'data-testid="bell-count"' not in client.get(reverse("notifications:list")).content.decode()


def test_nobody_opens_or_marks_another_person_s_notifications(client, songkhla, notice):
    client.force_login(songkhla.head)
    assert "90-2570/0001" not in client.get(reverse("notifications:list")).content.decode()
    assert client.post(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:read_all")).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is None
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 405  # a link never marks


def test_mark_all_read_marks_only_the_person_s_own(client, songkhla, notice):
    other = Notification.objects.create(person=songkhla.head, kind=NoticeKind.ASSIGNED, link="/")
    Notification.objects.create(person=songkhla.inspector, kind=NoticeKind.DUE_SOON, link="/")
    client.force_login(songkhla.inspector)
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.of(songkhla.inspector).unread().exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_the_list_shows_the_unread_only_when_asked(client, songkhla, notice):
    Notification.objects.create(person=songkhla.inspector, kind=NoticeKind.DUE_SOON, link="/", case_ref="READ-1",
                                read_at=notice.created_at)  # fmt: skip
    client.force_login(songkhla.inspector)
    assert "READ-1" in client.get(reverse("notifications:list")).content.decode()
    assert "READ-1" not in client.get(reverse("notifications:list") + "?unread").content.decode()


def test_a_person_turns_e_mails_off_and_is_still_told_in_the_app(
    client, songkhla, checklist, factory, django_capture_on_commit_callbacks
):
    songkhla.inspector.email = "inspector@example.go.th"
    songkhla.inspector.save(update_fields=["email"])
    client.force_login(songkhla.inspector)
    assert client.get(reverse("notifications:settings")).status_code == 200
    assert client.post(reverse("notifications:settings"), {}).status_code == 302  # the box left unticked
    assert NoticePreference.objects.get(person=songkhla.inspector).by_email is False
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    assert not [m for m in mail.outbox if m.to == ["inspector@example.go.th"]]
    assert Notification.objects.filter(person=songkhla.inspector, kind=NoticeKind.ASSIGNED).exists()


def test_a_stranger_has_an_empty_list(client):
    client.force_login(PersonFactory())
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="notice"' not in page and 'data-testid="bell-count"' not in page
