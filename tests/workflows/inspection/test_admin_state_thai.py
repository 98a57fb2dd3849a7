"""The read-only task and process pages of the admin read in Thai: each field says what it is, a task
is named by its step and case (not Viewflow's `<inspection.Assign/2> - ASSIGNED`), dates in the
Buddhist era."""

import pytest
from django.conf import settings
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.clock import at
from tests.factories import FactoryFactory, PersonFactory
from tests.workflows.admin_text import english_parts
from workflows.inspection import services

pytestmark = pytest.mark.django_db


@at(2026, 11, 16)
def test_task_and_process_pages_are_thai(client, songkhla_head, checklist):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla_head)
    task = Task.objects.get(process__inspectionprocess__inspection=inspection, flow_task__endswith=".assign")
    client.force_login(PersonFactory(is_superuser=True, is_staff=True, username="admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    data = set(inspection.ref_no.split("-"))
    pages = {
        "task": reverse("admin:viewflow_task_change", args=[task.pk]),
        "process": reverse("admin:viewflow_process_change", args=[task.process_id]),
        "tasks": reverse("admin:viewflow_task_changelist"),
        "processes": reverse("admin:viewflow_process_changelist"),
    }
    for name, url in pages.items():
        page = client.get(url).content.decode()
        assert english_parts(page, data) == [], name
        assert "16 พ.ย. 2569" in page and "2026" not in page, name
    task_page = client.get(pages["task"]).content.decode()
    assert inspection.ref_no in task_page and "ASSIGNED" not in task_page
    assert "ผู้มีสิทธิ์รับงาน" in task_page
