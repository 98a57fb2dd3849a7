from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from viewflow.workflow.models import Task

from org.workdays import add_working_days
from tests.clock import bangkok
from tests.conftest import LOPBURI, staff
from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows.inspection import services
from workflows.models import SlaRule

pytestmark = pytest.mark.django_db


def case_in_review(client, songkhla):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
    return inspection


def test_bulk_approve_reports_each_item(client, songkhla, checklist):
    cases = [case_in_review(client, songkhla) for _ in range(3)]
    tasks = [open_task(c, "review") for c in cases]
    not_mine = open_task(cases[2], "review")
    not_mine.owner = songkhla.inspector2
    not_mine.save(update_fields=["owner"])
    client.force_login(songkhla.head)
    response = client.post(reverse("inspection:bulk_approve"), {"task": [t.pk for t in tasks]})
    page = response.content.decode()
    assert page.count("kk-error") == 1  # the third was not the head's task
    assert [c.reviews.count() for c in cases] == [1, 1, 0]
    assert open_task(cases[0], "sign_off").owner == songkhla.officer


def test_group_head_reassigns_an_inspection(client, songkhla, checklist):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    task = open_task(inspection, "inspect")
    client.force_login(songkhla.head)
    client.post(reverse("inspection:reassign", args=[task.pk]), {"to": songkhla.inspector2.pk})
    task.refresh_from_db()
    inspection.refresh_from_db()
    assert task.owner == songkhla.inspector2 and inspection.inspector == songkhla.inspector2


def test_reassign_by_a_stranger_changes_nothing(client, songkhla, checklist):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    task = open_task(inspection, "inspect")
    client.force_login(staff(LOPBURI, "group_head"))
    response = client.post(reverse("inspection:reassign", args=[task.pk]), {"to": songkhla.inspector2.pk})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.owner == songkhla.inspector


def test_tasks_get_due_dates_from_the_sla_rules_and_overdue_ones_are_flagged(client, songkhla, checklist):
    SlaRule.objects.create(flow_task="inspection/flows.InspectionFlow.assign", days=2)
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    task = open_task(inspection, "assign")
    due = add_working_days(timezone.localdate(task.created), 2, songkhla.unit.pk)  # working days (org.workdays)
    assert timezone.localtime(task.scheduled) == timezone.make_aware(datetime.combine(due, time(16, 30)))
    Task.objects.filter(pk=task.pk).update(scheduled=timezone.now() - timedelta(hours=1))
    client.force_login(songkhla.head)
    page = client.get(reverse("inspection:inbox") + "?due=overdue").content.decode()
    assert 'data-testid="task-row"' in page and "kk-overdue" in page
    page = client.get(reverse("inspection:inbox") + "?step=review").content.decode()
    assert 'data-testid="task-row"' not in page


def assign_task_due(songkhla, due):
    """A new case's "assign" task (the group head's), due at `due`; head and officer have e-mail."""
    songkhla.head.email, songkhla.officer.email = "head@example.go.th", "pio@example.go.th"
    songkhla.head.save()
    songkhla.officer.save()
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    Task.objects.filter(pk=open_task(inspection, "assign").pk).update(scheduled=due)
    return inspection


def test_sla_sweep_reminds_then_escalates_once(songkhla, checklist, django_capture_on_commit_callbacks):
    from django.core import mail

    from workflows import sla

    now = timezone.now()
    inspection = assign_task_due(songkhla, now + timedelta(hours=5))
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go through the outbox
        assert sla.sweep(now) == (1, 0)
    assert mail.outbox[-1].to == ["head@example.go.th"]
    assert sla.sweep(now) == (0, 0)  # reminded once
    later = now + timedelta(hours=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(later) == (0, 1)
    assert mail.outbox[-1].to == ["pio@example.go.th"] and inspection.ref_no in mail.outbox[-1].body
    assert sla.sweep(later) == (0, 0)


def test_reminder_and_escalation_name_the_bangkok_due_day_in_the_buddhist_era(
    songkhla, checklist, django_capture_on_commit_callbacks
):
    from django.core import mail

    from workflows import sla

    due = bangkok(2026, 12, 2, 3, 0)  # 1 Dec 20:00 UTC
    assign_task_due(songkhla, due)
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(due - timedelta(hours=5)) == (1, 0)
    assert "2 ธ.ค. 2569" in mail.outbox[-1].body
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep(due + timedelta(hours=1)) == (0, 1)
    assert mail.outbox[-1].to == ["pio@example.go.th"] and "2 ธ.ค. 2569" in mail.outbox[-1].body


def test_an_overdue_task_of_the_officer_goes_up_to_the_assistant_ps(
    client, songkhla, checklist, django_capture_on_commit_callbacks
):
    from django.core import mail

    from workflows import sla

    songkhla.officer.email, songkhla.aps.email = "pio@example.go.th", "aps@example.go.th"
    songkhla.officer.save()
    songkhla.aps.save()
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})
    task = open_task(inspection, "sign_off")  # the provincial industry officer's own task
    Task.objects.filter(pk=task.pk).update(scheduled=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert sla.sweep() == (0, 1)
    assert [m.to for m in mail.outbox] == [["aps@example.go.th"]] and inspection.ref_no in mail.outbox[0].body
