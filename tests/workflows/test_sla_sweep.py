# ruff: noqa: F811 (pytest fixtures imported from the inspection conftest are arguments of the test)
"""The SLA sweep on sets: an overdue task goes one level up as a notification in the superior's list and
inbox, with its audit entry and an e-mail through the outbox, once; a task coming due reminds its owner;
the statements are the same for 3 tasks or 30."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.clock import at, bangkok
from tests.factories import FactoryFactory
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import open_task
from workflows import audit, sla
from workflows.inspection import services
from workflows.models import AuditEntry, NoticeKind, NoticePreference, Notification, OutboxMessage
from workflows.tasks import send_notice_mails

pytestmark = [pytest.mark.django_db, at(2026, 12, 2, 10)]  # a Wednesday
NOW = bangkok(2026, 12, 2, 10)
BUDGET = 21  # statements of a sweep that resumes, reminds (renews none), escalates (caches warm), savepoint included


@pytest.fixture(autouse=True)
def emails(songkhla):
    for person, address in ((songkhla.head, "head@example.go.th"), (songkhla.officer, "pio@example.go.th")):
        person.email = address
        person.save(update_fields=["email"])


def head_tasks(songkhla, count: int, due) -> list[Task]:
    """`count` new cases whose first step (the group head's) is due at `due`."""
    tasks = [
        open_task(services.inspection_start(factory=FactoryFactory(), by=songkhla.head), "assign") for _ in range(count)
    ]
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(scheduled=due)
    return tasks


def test_an_overdue_task_reaches_the_superior_once_with_its_audit_entry(
    client, songkhla, checklist, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kamkap.example.go.th"
    (task,) = head_tasks(songkhla, 1, bangkok(2026, 12, 1, 16, 30))
    inspection = task.process.coerced.case
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(NOW) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(NOW + timedelta(hours=1)) == (0, 0)  # the job run again: nothing more

    escalation = Notification.objects.get(kind=NoticeKind.ESCALATED)
    assert escalation.person == songkhla.officer and escalation.task_id == task.pk
    assert escalation.link == inspection.get_absolute_url() and escalation.case_ref == inspection.ref_no
    assert escalation.holder == songkhla.head.display_name and escalation.since == task.created
    overdue = Notification.objects.get(kind=NoticeKind.OVERDUE)  # the owner is told in the app
    assert overdue.person == songkhla.head and overdue.link == task.reverse("execute")
    assert Notification.objects.count() == 2

    (entry,) = AuditEntry.objects.filter(chain=audit.chain_key(inspection), action="task.escalate")
    assert entry.after["escalated_to"] == str(songkhla.officer) and entry.after["held_by"] == songkhla.head.display_name
    assert entry.after["due"] == "1 ธ.ค. 2569 16:30"
    assert audit.verify(audit.chain_key(inspection)) == []

    (sent,) = mail.outbox  # the superior's e-mail; the owner had their reminder
    assert sent.to == ["pio@example.go.th"]
    assert f"https://kamkap.example.go.th{inspection.get_absolute_url()}" in sent.body
    assert "1 ธ.ค. 2569" in sent.body and inspection.ref_no in sent.body and songkhla.head.display_name in sent.body

    client.force_login(songkhla.officer)
    inbox = client.get(reverse("inspection:inbox")).content.decode()
    assert 'data-testid="escalations"' in inbox and inspection.ref_no in inbox


def test_each_step_goes_one_level_up_the_office_s_chain(client, songkhla, checklist):
    from tests.workflows.inspection.test_flow_paths import do

    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    inspect = open_task(inspection, "inspect")  # the inspector's: her group head hears
    unowned = head_tasks(songkhla, 1, NOW - timedelta(hours=1))[0]  # nobody took it: the group head
    Task.objects.filter(pk=unowned.pk).update(owner=None, status="NEW")
    heads = head_tasks(songkhla, 1, NOW - timedelta(hours=1))[0]  # the group head's: the officer
    Task.objects.filter(pk=inspect.pk).update(scheduled=NOW - timedelta(hours=1))
    assert sla.sweep(NOW) == (0, 3)
    told = dict(Notification.objects.filter(kind=NoticeKind.ESCALATED).values_list("task_id", "person_id"))
    assert told == {inspect.pk: songkhla.head.pk, unowned.pk: songkhla.head.pk, heads.pk: songkhla.officer.pk}


def test_the_escalation_leaves_the_inbox_once_the_task_is_done(client, songkhla, checklist):
    (task,) = head_tasks(songkhla, 1, NOW - timedelta(hours=1))
    sla.sweep(NOW)
    Task.objects.filter(pk=task.pk).update(status="DONE")
    client.force_login(songkhla.officer)
    assert 'data-testid="escalations"' not in client.get(reverse("inspection:inbox")).content.decode()
    assert Notification.objects.filter(person=songkhla.officer, kind=NoticeKind.ESCALATED).exists()  # still listed


def test_a_task_coming_due_reminds_its_owner_with_the_link_and_the_buddhist_era_date(
    songkhla, checklist, django_capture_on_commit_callbacks
):
    (task,) = head_tasks(songkhla, 1, bangkok(2026, 12, 3, 16, 30))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(NOW) == (1, 0)
    notice = Notification.objects.get()
    assert (notice.kind, notice.person, notice.link) == (NoticeKind.DUE_SOON, songkhla.head, task.reverse("execute"))
    (sent,) = mail.outbox
    assert sent.to == ["head@example.go.th"] and "3 ธ.ค. 2569" in sent.body
    assert f"http://127.0.0.1:8000{task.reverse('execute')}" in sent.body


def test_a_message_delivered_again_sends_no_second_e_mail(songkhla, checklist, django_capture_on_commit_callbacks):
    head_tasks(songkhla, 2, NOW - timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(NOW) == (0, 2)
    assert len(mail.outbox) == 2
    message = OutboxMessage.objects.get(task=send_notice_mails.name)
    assert message.done_at is not None
    send_notice_mails.apply(message.args, {"outbox_id": message.pk})  # redelivered
    send_notice_mails.apply(message.args)  # the work itself run again
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind=NoticeKind.ESCALATED, mailed_at__isnull=False).count() == 2


def test_a_superior_who_chose_no_e_mail_is_told_in_the_app_only(
    songkhla, checklist, django_capture_on_commit_callbacks
):
    NoticePreference.objects.create(person=songkhla.officer, by_email=False)
    head_tasks(songkhla, 1, NOW - timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(NOW) == (0, 1)
    assert mail.outbox == []
    assert Notification.objects.get(kind=NoticeKind.ESCALATED).person == songkhla.officer


def test_the_sweep_costs_the_same_statements_for_3_tasks_or_30(songkhla, checklist, django_assert_max_num_queries):
    head_tasks(songkhla, 1, NOW - timedelta(hours=1))
    head_tasks(songkhla, 1, NOW + timedelta(hours=3))
    assert sla.sweep(NOW) == (1, 1)  # the first of the day fills the caches (rules, who fills the posts)
    counts = []
    for size in (3, 30):
        head_tasks(songkhla, size, NOW - timedelta(hours=1))
        head_tasks(songkhla, size, NOW + timedelta(hours=3))
        with django_assert_max_num_queries(BUDGET) as captured:
            assert sla.sweep(NOW) == (size, size)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert Notification.objects.filter(kind=NoticeKind.ESCALATED).count() == 34
    assert AuditEntry.objects.filter(action="task.escalate").count() == 34


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="a thousand rows in one statement is PostgreSQL's (SQLite's bulk inserts go 999 values at a time)",
)
def test_the_sweep_costs_the_same_statements_for_10_overdue_tasks_or_1000(songkhla, checklist):
    """Ten cases, their first step copied to 10 and to 1,000 overdue tasks (the sweep reads tasks, not
    how they came to be)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    originals = head_tasks(songkhla, 10, NOW - timedelta(hours=1))
    assert sla.sweep(NOW) == (0, 10)  # fills the caches

    def copies(count: int) -> None:
        Task.objects.bulk_create(
            Task(process_id=task.process_id, flow_task=task.flow_task, flow_task_type="HUMAN", status=task.status,
                 owner_id=task.owner_id, token=task.token, scheduled=NOW - timedelta(hours=1))
            for k in range(count) for task in originals[k % 10 : k % 10 + 1]
        )  # fmt: skip

    counts = []
    for size in (10, 1000):
        copies(size)
        with CaptureQueriesContext(connection) as captured:
            assert sla.sweep(NOW) == (0, size)
        counts.append(len(captured))
    assert counts[0] == counts[1] <= BUDGET, counts
    assert Notification.objects.filter(kind=NoticeKind.ESCALATED).count() == 1020
    assert audit.verify() == []
