"""E-mail to the person a task lands on (console backend in the embedded run). Written to the outbox
in the transaction that gave the task, sent by Celery after the commit (eager in the embedded set-up):
a broker outage delays the e-mail, never the request, and a message delivered twice mails once."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from viewflow.workflow.models import Task

from . import outbox


def task_created(task: Task) -> None:
    if task.owner_id is None:
        return
    from .tasks import send_task_mail

    outbox.enqueue(send_task_mail, task.pk)


def send_for_task(task_id: int) -> bool:
    task = Task.objects.select_related("owner", "process").filter(pk=task_id).first()
    if task is None or task.owner is None or not task.owner.email:
        return False
    process = task.process.coerced
    context = {"task": task, "process": process, "case": getattr(process, "inspection", None)}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("workflows/mail/task_subject.txt", context).strip()
        body = render_to_string("workflows/mail/task_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [task.owner.email])
    return True
