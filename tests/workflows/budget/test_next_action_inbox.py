"""Inboxes by due date: a person's open complaint and budget tasks soonest due first, none last (the
inspection inbox and the API read the same order)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.workflows.budget.conftest import fy, register, task_of  # noqa: F401
from tests.workflows.complaint.test_complaints import submit
from tests.workflows.complaint.test_complaints import task_of as complaint_task
from workflows.budget import selectors

pytestmark = pytest.mark.django_db


def due_in(task, days):
    Task.objects.filter(pk=task.pk).update(scheduled=None if days is None else timezone.now() + timedelta(days=days))
    return task.pk


def test_the_budget_inbox_sorts_by_due_date_none_last(songkhla, fy):  # noqa: F811
    approvals = [task_of("approve", projectprocess__project=register(songkhla, fy_be=fy)) for _ in range(3)]
    expected = [due_in(approvals[2], 1), due_in(approvals[0], 5), due_in(approvals[1], None)]
    assert [task.pk for task in selectors.my_tasks(songkhla.officer)] == expected


def test_the_complaint_inbox_sorts_by_due_date_none_last(client, songkhla):
    triages = [complaint_task(submit(ip=f"203.0.113.{k}"), "triage") for k in range(1, 4)]
    expected = [due_in(triages[1], 2), due_in(triages[2], 3), due_in(triages[0], None)]
    client.force_login(songkhla.head)
    shown = client.get(reverse("complaints:list")).context["my_tasks"]
    assert [task.pk for task in shown] == expected
