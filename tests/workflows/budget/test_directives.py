"""Follow-up reviews and directives: from the deputy PS's review to closure, with a return; open
directives on the office's and the reviewer's pages; who may review."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from org.models import Position, PositionKind
from tests.workflows.budget.conftest import do, task_of, task_url
from workflows import audit
from workflows.budget import reviews, selectors
from workflows.budget.errors import BudgetError
from workflows.budget.models import Directive, DirectiveStatus, FollowUpReview

pytestmark = pytest.mark.django_db
TEXT = "เร่งรัดการเบิกจ่ายโครงการยกระดับศูนย์ปฏิรูปอุตสาหกรรมให้เป็นไปตามแผนภายในไตรมาสที่ 3"


def test_a_directive_from_issue_to_closure_with_a_return(client, songkhla, approved):
    today = timezone.localdate()
    client.force_login(songkhla.dps)
    data = {"meeting_on": today.isoformat(), "projects": [approved.pk], "attendees": "อุตสาหกรรมจังหวัดสงขลา\nผอ.ศภ.11"}
    response = client.post(f"/budget/office/{songkhla.unit.pk}/review/", data)
    assert response.status_code == 302
    review = FollowUpReview.objects.get()
    assert review.reviewer == songkhla.dps and list(review.projects.all()) == [approved]
    data = {"text": TEXT, "assignee": songkhla.inspector.pk, "due_on": (today + timedelta(days=30)).isoformat()}
    response = client.post(review.get_absolute_url(), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    directive = Directive.objects.get()
    # open on the office's page and on the reviewer's page
    client.force_login(songkhla.inspector)
    assert TEXT[:40] in client.get(f"/budget/office/{songkhla.unit.pk}/").content.decode()
    client.force_login(songkhla.dps)
    assert TEXT[:40] in client.get("/budget/projects/").content.decode()
    act = task_of("report_action", directiveprocess__directive=directive)
    assert act.owner == songkhla.inspector and timezone.localdate(act.scheduled) == directive.due_on
    do(client, songkhla.inspector, act, {"text": "ประสานผู้รับจ้างเร่งส่งมอบงานงวดที่ 2 แล้ว"})
    check = task_of("check", directiveprocess__directive=directive)
    assert check.owner == songkhla.dps
    do(client, songkhla.dps, check, {"decision": "return", "comments": "ขอเอกสารการตรวจรับงาน"})
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.OPEN
    do(client, songkhla.inspector, task_of("report_action", directiveprocess__directive=directive),
       {"text": "แนบใบตรวจรับงานงวดที่ 2 แล้ว"})  # fmt: skip
    do(client, songkhla.dps, task_of("check", directiveprocess__directive=directive), {"decision": "approve"})
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.CLOSED and directive.closed_at
    assert list(directive.updates.values_list("kind", flat=True)) == ["report", "return", "report", "accept"]
    assert not selectors.open_directives(office=songkhla.unit).exists()
    client.force_login(songkhla.inspector)
    assert TEXT[:40] not in client.get(f"/budget/office/{songkhla.unit.pk}/").content.decode()
    actions = [e.action for e in audit.timeline(review)]
    assert actions == ["review.open", "directive.add", "directive.report", "directive.return", "directive.report",
                       "directive.close"]  # fmt: skip


def test_a_directive_to_a_position_goes_to_whoever_fills_it(songkhla):
    today = timezone.localdate()
    review = reviews.review_open(office=songkhla.unit, by=songkhla.aps, meeting_on=today)
    position = Position.objects.get(kind=PositionKind.PROVINCIAL_OFFICER, unit=songkhla.unit)
    directive = reviews.directive_add(review=review, by=songkhla.aps, text=TEXT, position=position, due_on=today)
    assert task_of("report_action", directiveprocess__directive=directive).owner == songkhla.officer


def test_only_an_overseer_opens_a_review_and_only_the_reviewer_adds_directives(client, songkhla, lopburi):
    today = timezone.localdate()
    for person in (songkhla.officer, songkhla.inspector, lopburi.aps):
        with pytest.raises(PermissionDenied):
            reviews.review_open(office=songkhla.unit, by=person, meeting_on=today)
        client.force_login(person)
        response = client.post(f"/budget/office/{songkhla.unit.pk}/review/", {"meeting_on": today.isoformat()})
        assert response.status_code == 403
    assert not FollowUpReview.objects.exists()
    review = reviews.review_open(office=songkhla.unit, by=songkhla.aps, meeting_on=today)
    client.force_login(songkhla.dps)
    response = client.post(review.get_absolute_url(), {"text": TEXT, "assignee": songkhla.inspector.pk,
                                                       "due_on": today.isoformat()})  # fmt: skip
    assert response.status_code == 403 and not Directive.objects.exists()
    with pytest.raises(BudgetError):
        reviews.directive_add(review=review, by=songkhla.aps, text=TEXT, assignee=lopburi.inspector, due_on=today)


def test_a_stranger_cannot_report_on_a_directive(client, songkhla, lopburi):
    today = timezone.localdate()
    review = reviews.review_open(office=songkhla.unit, by=songkhla.dps, meeting_on=today)
    directive = reviews.directive_add(review=review, by=songkhla.dps, text=TEXT, assignee=songkhla.inspector,
                                      due_on=today)  # fmt: skip
    task = task_of("report_action", directiveprocess__directive=directive)
    client.force_login(lopburi.inspector)
    assert client.post(task_url(task), {"text": "ทำแล้ว"}).status_code in (403, 404)
    directive.refresh_from_db()
    assert directive.status == DirectiveStatus.OPEN and not directive.updates.exists()
    client.force_login(lopburi.aps)
    assert client.get(review.get_absolute_url()).status_code == 404
