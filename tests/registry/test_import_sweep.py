"""Imports survive faults: a job whose worker died is run again by the sweep and finishes once; stuck
again, it ends failed with the reason, in Thai, on its page for whoever uploaded it; and a message of a
finished job delivered again writes nothing."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registry import services, sweep
from registry.models import Factory, FactoryImport, ImportStatus
from registry.tasks import import_factories
from tests.registry.test_import import csv_bytes, row
from workflows.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def stuck(songkhla_head):
    """An upload whose worker took it, checked 500 rows and died: the job says "checking" for good."""
    job = services.import_start(
        by=songkhla_head, upload=SimpleUploadedFile("f.csv", csv_bytes([row(i) for i in range(1, 21)]))
    )
    OutboxMessage.objects.filter(task=import_factories.name).update(sent_at=timezone.now(), attempts=1)
    FactoryImport.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING, total_rows=20, processed_rows=10)
    return job


@pytest.fixture
def clock(time_machine):
    def forward(by=sweep.STUCK_AFTER + timedelta(minutes=1)):
        time_machine.move_to(timezone.now() + by)

    return forward


def test_a_job_within_its_limit_is_left_alone(stuck, clock):
    clock(sweep.STUCK_AFTER - timedelta(minutes=1))
    output = io.StringIO()
    call_command("sweep_imports", stdout=output)
    assert output.getvalue() == "Re-queued: 0, failed: 0\n"
    assert OutboxMessage.objects.count() == 1


def test_a_stuck_job_is_run_again_once_and_finishes_once(stuck, clock, django_capture_on_commit_callbacks):
    clock()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep.sweep_stuck_imports() == (1, 0)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.created_count, Factory.objects.count()) == (ImportStatus.DONE, 20, 20)

    first = OutboxMessage.objects.filter(task=import_factories.name).first()
    import_factories.apply([stuck.pk], {"outbox_id": first.pk})  # the dead worker's message, delivered at last
    import_factories.apply([stuck.pk])  # or a bare delivery, without its row
    stuck.refresh_from_db()
    assert (stuck.status, stuck.created_count, Factory.objects.count()) == (ImportStatus.DONE, 20, 20)
    assert not stuck.errors
    clock()
    assert sweep.sweep_stuck_imports() == (0, 0)  # finished: never swept again


def test_stuck_again_it_fails_with_the_reason_on_its_page(stuck, clock, client, songkhla_head):
    clock()
    assert sweep.sweep_stuck_imports() == (1, 0)  # re-queued, and this time the worker dies too
    assert sweep.sweep_stuck_imports() == (0, 0)  # the second try has its own time
    OutboxMessage.objects.update(sent_at=timezone.now())
    clock()
    assert sweep.sweep_stuck_imports() == (0, 1)
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and stuck.finished_at is not None
    assert Factory.objects.count() == 0

    client.force_login(songkhla_head)
    page = client.get(reverse("registry:factory:import_detail", args=[stuck.pk])).content.decode()
    assert f"การนำเข้าไม่เสร็จภายใน {sweep.STUCK_AFTER.seconds // 60} นาที แม้เริ่มใหม่อีกครั้งแล้ว" in page
    assert f"หมายเลขการนำเข้า {stuck.pk}" in page

    import_factories.apply([stuck.pk])  # the lost message turns up after all: the failed job stays failed
    stuck.refresh_from_db()
    assert stuck.status == ImportStatus.FAILED and Factory.objects.count() == 0
