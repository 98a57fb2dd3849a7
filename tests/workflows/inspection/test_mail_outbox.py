"""The e-mail to a task's next owner goes through the outbox (Celery eager here, as in the demo): written
with the commit that gave the task, sent after it, never for a transaction rolled back, and never twice
however often its message is delivered."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows import outbox
from workflows.inspection import services
from workflows.models import OutboxMessage
from workflows.tasks import send_task_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def emails(songkhla):
    for i, person in enumerate((songkhla.head, songkhla.inspector)):
        person.email = f"p{i}@industry.example"
        person.save(update_fields=["email"])


@pytest.fixture
def assigned(client, songkhla, checklist, factory, django_capture_on_commit_callbacks):
    """The head gives the inspection to the inspector; the inspector's e-mail is the last row."""
    with django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    return inspection


def test_the_next_owner_is_mailed_after_the_commit_and_the_row_is_done(assigned, songkhla):
    message = OutboxMessage.objects.filter(task=send_task_mail.name).last()
    assert message.args == [open_task(assigned, "inspect").pk]
    assert message.done_at is not None and message.sent_at is not None and message.attempts == 1
    assert mail.outbox[-1].to == [songkhla.inspector.email]


def test_a_message_delivered_again_mails_nobody_a_second_time(assigned):
    message = OutboxMessage.objects.filter(task=send_task_mail.name).last()
    sent = len(mail.outbox)
    assert outbox.publish(message)  # the relay racing the commit hook, or a redelivery
    send_task_mail.apply(message.args, {"outbox_id": message.pk})
    assert len(mail.outbox) == sent


def test_a_rolled_back_transaction_sends_nothing(songkhla, checklist, factory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.inspection_start(factory=factory, by=songkhla.head)
            raise RuntimeError("the request failed after the task was given")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_work_that_fails_stays_pending_for_the_relay(
    assigned, songkhla, settings, django_capture_on_commit_callbacks, client
):
    settings.EMAIL_BACKEND = "tests.workflows.inspection.test_mail_outbox.BrokenMail"
    with django_capture_on_commit_callbacks(execute=True):
        response = do(client, songkhla.inspector, assigned, "inspect", checklist_answers(assigned, exit_ok=True))
    assert response.status_code == 302  # the request neither fails nor waits
    message = OutboxMessage.objects.filter(task=send_task_mail.name).last()
    assert (message.sent_at, message.done_at, message.attempts) == (None, None, 1)
    assert "SMTP down" in message.last_error
    sent = len(mail.outbox)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    output = io.StringIO()
    call_command("relay_outbox", stdout=output)
    call_command("relay_outbox", stdout=output)  # a second relay sends nothing
    assert output.getvalue().splitlines() == ["Sent: 1, still pending: 0", "Sent: 0, still pending: 0"]
    message.refresh_from_db()
    assert message.done_at is not None and message.attempts == 2
    assert [m.to for m in mail.outbox[sent:]] == [[songkhla.head.email]]  # the head reviews, mailed once


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def test_a_task_that_keeps_failing_does_not_hold_up_the_others(assigned, songkhla):
    broken = OutboxMessage.objects.create(task="workflows.tasks.no_such_task", args=[1])
    mailed = OutboxMessage.objects.create(task=send_task_mail.name, args=[open_task(assigned, "inspect").pk])
    sent = len(mail.outbox)
    assert outbox.relay() == (1, 1)
    assert [m.to for m in mail.outbox[sent:]] == [[songkhla.inspector.email]]
    for _ in range(outbox.EAGER_ATTEMPTS + 2):
        outbox.relay()
    broken.refresh_from_db()
    mailed.refresh_from_db()
    assert broken.attempts == outbox.EAGER_ATTEMPTS and "no_such_task" in broken.last_error  # left to a person
    assert mailed.attempts == 1 and len(mail.outbox) == sent + 1
