"""workflows.nodes' End: the process is marked done, in one statement, only when no other task of it is open."""

import pytest
from django.db.models.signals import post_save
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from workflows import nodes
from workflows.inspection import services
from workflows.inspection.flows import InspectionFlow
from workflows.inspection.models import InspectionProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(songkhla, checklist, factory):
    """A case's process with its assign task open."""
    case = services.inspection_start(factory=factory, by=songkhla.head)
    return InspectionProcess.objects.get(inspection=case)


def stored(process) -> tuple:
    return Process.objects.filter(pk=process.pk).values_list("status", "finished").get()


def test_a_process_with_another_task_open_stays_open(process, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert nodes._done_if_last(Task, process, 0) is False
    assert stored(process) == (PROCESS.NEW, None) and process.status == PROCESS.NEW


def test_the_last_open_task_ends_the_process_in_one_statement(process, django_assert_num_queries):
    assign = Task.objects.get(process=process, flow_task=InspectionFlow.assign)

    with django_assert_num_queries(1):
        assert nodes._done_if_last(Task, process, assign.pk) is True  # the only open task is the one ending

    assert process.status == PROCESS.DONE and stored(process) == (PROCESS.DONE, process.finished)
    assert InspectionProcess.objects.get(pk=process.pk).inspection_id == process.inspection_id  # its own row kept


def test_a_finished_task_does_not_keep_the_process_open(process):
    Task.objects.filter(process=process).update(status=STATUS.DONE, finished=process.created)

    assert nodes._done_if_last(Task, process, 0) is True and stored(process)[0] == PROCESS.DONE


def test_a_receiver_of_the_process_saves_is_still_sent_them(process):
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append((instance.pk, instance.status))

    post_save.connect(receiver, sender=InspectionProcess)
    try:
        assert nodes._done_if_last(Task, process, 0) is False
        Task.objects.filter(process=process).update(finished=process.created)
        assert nodes._done_if_last(Task, process, 0) is True
    finally:
        post_save.disconnect(receiver, sender=InspectionProcess)

    assert heard == [(process.pk, PROCESS.DONE)] and stored(process) == (PROCESS.DONE, process.finished)
