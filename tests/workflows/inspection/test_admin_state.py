"""The admin shows workflow state and user flags but does not change them: a change there would
bypass the flows and the audit chain."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Process, Task

from tests.factories import FactoryFactory, PersonFactory
from workflows.inspection import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_task(songkhla, checklist):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    return Task.objects.get(process__inspectionprocess__inspection=inspection, flow_task__endswith=".assign")


def test_a_task_is_shown_but_not_changed_or_deleted(admin_client, case_task):
    page = admin_client.get(reverse("admin:viewflow_task_change", args=[case_task.pk]))
    assert page.status_code == 200 and "_save" not in page.content.decode()
    response = admin_client.post(
        reverse("admin:viewflow_task_change", args=[case_task.pk]), {"owner_permission": "", "status": "NEW"}
    )
    assert response.status_code == 403
    assert (
        admin_client.post(reverse("admin:viewflow_task_delete", args=[case_task.pk]), {"post": "yes"}).status_code
        == 403
    )
    case_task.refresh_from_db()
    assert case_task.owner_permission and case_task.status == "ASSIGNED"


def test_a_process_cannot_be_deleted_in_the_admin(admin_client, case_task):
    process = case_task.process
    url = reverse("admin:viewflow_process_delete", args=[process.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Process.objects.filter(pk=process.pk).exists()


def test_nobody_is_made_superuser_or_staff_in_the_admin(admin_client):
    person = PersonFactory()
    url = reverse("admin:org_person_change", args=[person.pk])
    form = admin_client.get(url).content.decode()
    assert 'name="is_superuser"' not in form and 'name="is_staff"' not in form
    admin_client.post(url, {"username": person.username, "is_superuser": "on", "is_staff": "on", "is_active": "on"})
    person.refresh_from_db()
    assert not person.is_superuser and not person.is_staff
