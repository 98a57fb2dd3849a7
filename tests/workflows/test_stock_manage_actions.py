"""Viewflow's manage actions (a task's cancel, undo and revive pages, on every node) are nobody's in
Kamkap, a superuser's included: they would change a case outside its services, with no audit entry
and unseen by the dashboards' summaries (KamkapFlow.has_manage_permission)."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import FactoryFactory, PersonFactory
from tests.workflows.inspection.conftest import checklist, songkhla  # noqa: F401
from workflows.flows import every_flow
from workflows.inspection import services
from workflows.models import AuditEntry

pytestmark = pytest.mark.django_db


def state():
    return list(Task.objects.order_by("pk").values_list("pk", "status", "owner_id")), AuditEntry.objects.count()


def test_a_superuser_cannot_cancel_undo_or_revive_a_task(client, songkhla, checklist):  # noqa: F811
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    task = Task.objects.get(process__inspectionprocess__inspection=inspection, status=STATUS.ASSIGNED)
    start = Task.objects.get(process=task.process, flow_task__endswith=".start")
    client.force_login(PersonFactory(is_superuser=True, is_staff=True))
    before = state()
    for node_task, names in ((task, ("cancel", "undo", "revive")), (start, ("undo",))):
        for name in names:
            url = reverse(f"inspection:flow:{node_task.flow_task.name}:{name}", args=[task.process_id, node_task.pk])
            assert client.get(url).status_code == 403, url
            assert client.post(url, {"_continue": "1"}).status_code == 403, url
    assert state() == before


def test_no_flow_is_managed_by_anyone():
    superuser = PersonFactory.build(is_superuser=True, is_staff=True, is_active=True)
    assert not any(flow.instance.has_manage_permission(superuser) for flow in every_flow())
