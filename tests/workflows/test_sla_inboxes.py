# ruff: noqa: F811 (pytest fixtures imported from the inspection conftest are arguments of the test)
"""Escalations in every process's inbox: an overdue step of an inspection, a complaint, a budget
project or a quarterly plan reaches the holder's superior as an item at the top of that process's own
inbox ("Overdue: case X, step Y, held by Z since …"), which opens the case or project page; each inbox
shows only its own process's, and the item leaves once the step is done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_year
from tests.clock import at, bangkok
from tests.factories import FactoryFactory
from tests.workflows.budget.conftest import register
from tests.workflows.complaint.test_complaints import submit
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from workflows import audit, sla
from workflows.inspection import services as inspections
from workflows.models import AuditEntry, NoticeKind, Notification
from workflows.planning import services as planning

pytestmark = [pytest.mark.django_db, at(2026, 12, 2, 10)]  # a Wednesday, the first quarter of FY 2570
NOW = bangkok(2026, 12, 2, 10)
INBOXES = {
    "inspection": "inspection:inbox",
    "complaint": "complaints:list",
    "budget": "budget:list",
    "planning": "planning:list",
}
OPEN = (STATUS.NEW, STATUS.ASSIGNED)


def first_task(**process) -> Task:
    filters = {f"process__{key}": value for key, value in process.items()}
    return Task.objects.filter(flow_task_type="HUMAN", status__in=OPEN, **filters).get()


def open_case(kind: str, songkhla):
    """(case, the page that shows it, its reference as people read it, its open step) of one process."""
    if kind == "inspection":
        case = inspections.inspection_start(factory=FactoryFactory(), by=songkhla.head)
        return case, case, case.ref_no, first_task(inspectionprocess__inspection=case)
    if kind == "complaint":
        case = submit()
        return case, case, case.tracking_no, first_task(complaintprocess__complaint=case)
    if kind == "budget":
        case = register(songkhla, fy_be=fiscal_year(timezone.localdate()))
        return case, case, case.code, first_task(projectprocess__project=case)
    planning.capacity_set(office=songkhla.unit, cases_per_inspector=2, by=songkhla.head)
    case = planning.plan_generate(office=songkhla.unit, fiscal_year=2570, quarter=2, by=songkhla.head)
    return case, case, str(case), first_task(planprocess__plan=case)


@pytest.mark.parametrize("kind", list(INBOXES))
def test_an_overdue_step_of_every_process_is_an_item_in_the_superior_s_inbox_of_that_process(
    client, songkhla, checklist, kind
):
    case, page, reference, task = open_case(kind, songkhla)
    Task.objects.filter(pk=task.pk).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW)[1] == 1

    notice = Notification.objects.get(kind=NoticeKind.ESCALATED)
    boss = notice.person
    assert boss.pk != task.owner_id and notice.link == page.get_absolute_url()
    (entry,) = AuditEntry.objects.filter(chain=audit.chain_key(page), action="task.escalate")  # on the page's timeline
    assert entry.after["escalated_to"] == str(boss)

    client.force_login(boss)
    for other, url in INBOXES.items():
        html = client.get(reverse(url)).content.decode()
        shown = 'data-testid="escalations"' in html
        assert shown == (other == kind), (other, kind)
        if shown:
            assert reference in html and notice.holder in html and notice.step
            assert "เกินกำหนด" in html  # "Overdue: case X, step Y, held by Z since …", in Thai
    home = client.get(reverse("index")).content.decode()  # the home page shows every process's
    assert 'data-testid="escalations"' in home and reference in home
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == page.get_absolute_url()
    assert client.get(response.url).status_code == 200

    Task.objects.filter(pk=task.pk).update(status=STATUS.DONE)
    assert 'data-testid="escalations"' not in client.get(reverse(INBOXES[kind])).content.decode()


def test_the_inbox_shows_three_escalations_and_a_link_to_the_rest(client, songkhla, checklist):
    tasks = [open_case("inspection", songkhla)[3] for _ in range(4)]
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW)[1] == 4
    client.force_login(songkhla.officer)
    html = client.get(reverse("inspection:inbox")).content.decode()
    assert html.count('data-kind="escalated"') == 3
    rest = f"{reverse('notifications:list')}?kind={NoticeKind.ESCALATED}"
    assert rest in html
    listed = client.get(rest).content.decode()
    assert listed.count('data-kind="escalated"') == 4


def test_a_record_without_a_page_of_its_own_is_shown_by_its_project_or_review():
    from workflows import notify
    from workflows.budget.models import Directive, FollowUpReview, ProgressReport, Project

    project, review = Project(pk=5), FollowUpReview(pk=7)
    assert notify.page_of(ProgressReport(project=project)) is project  # a progress report: its project
    assert notify.page_of(Directive(review=review)) is review  # a directive: its follow-up review
    assert notify.page_of(project) is project and notify.page_of(None) is None


@pytest.mark.parametrize("kind", ["complaint", "budget", "planning"])
def test_the_complaint_budget_and_planning_inboxes_badge_returned_and_overdue_steps(client, songkhla, checklist, kind):
    """As the inspection inbox: a step that came back (the same step done before in the case) is
    badged returned, one past its due date overdue, whatever the process."""
    _case, _page, reference, task = open_case(kind, songkhla)
    Task.objects.filter(pk=task.pk).update(status=STATUS.DONE)  # done once, then sent back to its holder
    again = Task.objects.create(
        process_id=task.process_id, flow_task=task.flow_task, flow_task_type="HUMAN", status=STATUS.ASSIGNED,
        owner_id=task.owner_id, token=task.token, scheduled=NOW - timedelta(hours=1),
    )  # fmt: skip
    client.force_login(again.owner)
    html = client.get(reverse(INBOXES[kind])).content.decode()
    row = next(part for part in html.split('data-testid="task-row"')[1:] if reference in part or kind != "complaint")
    assert 'data-testid="returned"' in row and "kk-overdue" in row
    if kind == "planning":  # the plans list shows the person's plan steps, soonest due first, each opening its step
        assert reverse("planning:flow:prepare:execute", args=[again.process_id, again.pk]) in row


def inspect_step(songkhla):
    """A case assigned to songkhla.inspector: its inspect step, which the group head may hand over."""
    from workflows import engine

    case = inspections.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    with engine.activation(first_task(inspectionprocess__inspection=case), case=case) as activation:
        activation.start(None)
        inspections.inspection_assign(inspection=case, inspector=songkhla.inspector, by=songkhla.head)
        activation.execute()
    return case, first_task(inspectionprocess__inspection=case)


def test_the_superior_hands_an_overdue_step_over_from_the_inbox(client, songkhla, checklist):
    case, task = inspect_step(songkhla)
    Task.objects.filter(pk=task.pk).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW)[1] == 1
    assert Notification.objects.get(kind=NoticeKind.ESCALATED).person == songkhla.head
    client.force_login(songkhla.head)
    html = client.get(reverse("inspection:inbox")).content.decode()
    form = html.split('data-testid="hand-over"')[1].split("</form>")[0]
    assert songkhla.inspector2.display_name in form and f'value="{songkhla.inspector.pk}"' not in form
    assert reverse("inspection:reassign", args=[task.pk]) in html.split('data-testid="escalations"')[1]

    response = client.post(reverse("inspection:reassign", args=[task.pk]), {"to": songkhla.inspector2.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == songkhla.inspector2
    assert AuditEntry.objects.filter(chain=audit.chain_key(case), action="task.reassign").exists()


def test_who_may_not_hand_the_step_over_sees_no_form(client, songkhla, checklist):
    """The provincial industry officer hears of the group head's overdue assign step; that step goes to
    whoever holds the post, so it is not handed over by hand: the item has no form, only its link."""
    _case, _page, _reference, task = open_case("inspection", songkhla)
    assert task.owner == songkhla.head
    Task.objects.filter(pk=task.pk).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW)[1] == 1
    client.force_login(Notification.objects.get(kind=NoticeKind.ESCALATED).person)
    html = client.get(reverse("inspection:inbox")).content.decode()
    assert 'data-testid="escalations"' in html and 'data-testid="hand-over"' not in html


@pytest.mark.parametrize("kind", ["inspection", "budget"])
def test_marked_seen_the_escalation_stays_in_the_inbox_until_its_step_is_done(client, songkhla, checklist, kind):
    _case, _page, reference, task = open_case(kind, songkhla)
    Task.objects.filter(pk=task.pk).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW)[1] == 1
    notice = Notification.objects.get(kind=NoticeKind.ESCALATED)
    inbox = reverse(INBOXES[kind])

    client.force_login(songkhla.inspector)  # not hers: nothing marked
    assert client.post(reverse("notifications:read", args=[notice.pk]), {"next": inbox}).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None

    client.force_login(notice.person)
    assert 'data-testid="mark-seen"' in client.get(inbox).content.decode()
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"next": inbox})
    assert response.status_code == 302 and response.url == inbox
    notice.refresh_from_db()
    assert notice.read_at is not None
    html = client.get(inbox).content.decode()
    assert reference in html.split('data-testid="escalations"')[1]  # still listed, marked seen
    assert 'data-testid="seen"' in html and 'data-testid="mark-seen"' not in html
    assert 'data-testid="bell-count"' not in html
    elsewhere = client.post(reverse("notifications:read", args=[notice.pk]), {"next": "https://example.com/"})
    assert elsewhere.url == reverse("notifications:list")  # never sent off the site
