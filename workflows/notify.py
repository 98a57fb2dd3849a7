"""Telling people: a notification in the app (the bell, workflows.models.Notification) and, unless they
said no, an e-mail with the link and the due date in the Buddhist era (console backend in the embedded
run). Nothing is sent from the request: the work is written to the outbox in the transaction that
caused it and done by Celery after the commit (eager in the embedded set-up), so a broker outage delays
the e-mail, never the request, and a message delivered twice mails once.

Who writes what, one place each:
- a task given to its owner (assigned, returned, a directive issued): `task_mail`, the outbox row that
  every human task is written with (workflows.nodes.View, in the task's own statement on PostgreSQL:
  workflows.task_rows); the notification is written by the worker with the e-mail (`send_for_task`),
  so a completion costs no statement more than the task's;
- due soon, overdue, escalated: the SLA sweep (workflows.sla), set-based, through `write_many`;
- a complaint answered: `complaint_answered`, called by workflows.complaint.services.complaint_answer.
What the superior may do with an escalated step from the inbox (hand it over): `hand_over_of`."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_resolver
from django.utils import timezone, translation
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import outbox
from .models import NoticeKind, NoticePreference, Notification
from .processes import case_reference


def absolute(path: str) -> str:
    """The address of a page of ours in an e-mail: SITE_URL (from the environment) and the path."""
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def step_of(task: Task) -> str:
    """The node's title as written in the flow (untranslated: shown in the reader's language)."""
    title = getattr(task.flow_task, "task_title", "") or task.flow_task.name
    with translation.override(None):
        return str(title)


PAGE_OWNERS = ("project", "review")  # a progress report or budget escalation → its project; a directive → its review


def page_of(case):
    """The record whose page shows `case` and whose timeline keeps its history: the case itself when it
    has a page, else the project or follow-up review it belongs to (read with the case: no query)."""
    if case is None or hasattr(case, "get_absolute_url"):
        return case
    for name in PAGE_OWNERS:
        owner = getattr(case, name, None)
        if hasattr(owner, "get_absolute_url"):
            return owner
    return case


def case_link(process, case) -> str:
    """The case's page (or its project's or review's, `page_of`), else its process's page in the flow."""
    page = page_of(case)
    if hasattr(page, "get_absolute_url"):
        return page.get_absolute_url()
    get_resolver().url_patterns  # noqa: B018 (as in task_link)
    try:
        return process.flow_class.instance.reverse("process_detail", args=[process.pk])
    except NoReverseMatch:
        return ""


def task_link(task: Task) -> str:
    get_resolver().url_patterns  # noqa: B018 (Viewflow names a flow's URLs when the URLconf is first read: a worker's first task)
    try:
        return task.reverse("execute")
    except NoReverseMatch:
        return ""


def about_task(task: Task, case, *, person, kind: str, link: str) -> Notification:
    """A notification of `kind` to `person` about `task` of `case`, not saved (see write_many)."""
    return Notification(
        person=person,
        kind=kind,
        task=task,
        link=link,
        case_ref=case_reference(case) if case is not None else "",
        step=step_of(task),
        holder=(task.owner.display_name if task.owner_id and task.owner else "")[:200],
        since=task.created,
        due=task.scheduled,
    )


def write_many(
    notices: list[Notification], *, quiet: list[Notification] = (), mail_too: list[int] = ()
) -> list[Notification]:
    """Save the notifications (and the `quiet` ones, told in the app only) in one statement, and e-mail
    the others, with the saved ones `mail_too` names (a reminder written anew), through one outbox row
    (the worker leaves out whoever chose not to get e-mails). Call it inside the transaction that
    caused them."""
    saved = Notification.objects.bulk_create([*notices, *quiet]) if notices or quiet else []
    mailed = [*(notice.pk for notice in saved[: len(notices)]), *mail_too]
    if mailed:
        from .tasks import send_notice_mails

        outbox.enqueue(send_notice_mails, mailed)
    return saved


# A task given to someone ------------------------------------------------------------------------


def task_mail(task: Task):
    """The outbox row that tells the new `task`'s owner (None when it has none: a queue's task), not yet
    written: it is written with the task, its argument the task's key (workflows.task_rows.insert_linked)."""
    if task.owner_id is None:
        return None
    from .tasks import send_task_mail

    return outbox.unwritten(send_task_mail)


def kind_of_new_task(task: Task, process) -> str:
    """Returned (its step was done once before in the case), a directive issued (a directive's first
    step), else assigned."""
    from .budget.models import DirectiveProcess

    done_before = Task.objects.filter(
        process_id=task.process_id, flow_task=task.flow_task, status=STATUS.DONE, pk__lt=task.pk
    ).exists()
    if done_before:
        return NoticeKind.RETURNED
    if isinstance(process, DirectiveProcess):
        return NoticeKind.DIRECTIVE
    return NoticeKind.ASSIGNED


def send_for_task(task_id: int) -> bool:
    """The worker's part of `task_mail` (run once per outbox row): the owner's notification, and
    their e-mail unless they said no. True when an e-mail went."""
    task = Task.objects.select_related("owner", "process").filter(pk=task_id).first()
    if task is None or task.owner is None:
        return False
    process = task.process.coerced
    case = getattr(process, "case", None)
    kind = kind_of_new_task(task, process)
    notice = Notification.objects.filter(task=task, kind=kind, person=task.owner).first()
    if notice is None:  # else written by another message about the task: one notification, each its e-mail
        notice = about_task(task, case, person=task.owner, kind=kind, link=task_link(task))
        notice.save()
    if not task.owner.email or not NoticePreference.wants_email(task.owner_id):
        return False
    context = {
        "task": task,
        "process": process,
        "case": getattr(process, "inspection", None),
        "url": absolute(notice.link),
        "due": task.scheduled,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("workflows/mail/task_subject.txt", context).strip()
        body = render_to_string("workflows/mail/task_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [task.owner.email])
    Notification.objects.filter(pk=notice.pk).update(mailed_at=timezone.now())
    return True


# An overdue step escalated: who may hand it over -------------------------------------------------


def hand_over_of(person, task: Task) -> dict | None:
    """How `person`, to whom `task` was escalated, may hand the overdue step to someone else from their
    inbox, as the process's own rule decides: an inspector's step (inspect, follow-up) by whoever assigns
    the office's cases, to another inspector of the office (`action`, `people`: a form posting to the
    inspection's reassign); a complaint's step by a group head of its office (`link`: the complaint's
    hand-over page). None when the process does not hand the step over by hand or not by this person.
    A few statements per step: the inbox shows a few (workflows.templatetags.notifications)."""
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    from permissions import access

    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED) or task.flow_task is None:
        return None
    flow_module = task.flow_task.flow_class.__module__
    if flow_module.startswith("workflows.inspection."):
        from .inspection import services
        from .inspection.flows import InspectionFlow

        if task.flow_task.name not in services.REASSIGNABLE:
            return None
        inspection = task.process.coerced.case
        try:
            if not access.can(person, "change", inspection) or not InspectionFlow.assign.may_hold(person, task):
                return None
        except PermissionDenied:
            return None
        people = [p for p in services.office_inspectors(inspection.office) if p.pk != task.owner_id]
        return {"action": reverse("inspection:reassign", args=[task.pk]), "people": people} if people else None
    if flow_module.startswith("workflows.complaint."):
        from .complaint import selectors

        if selectors.may_hand_over(person, task):
            return {"link": reverse("complaints:reassign", args=[task.pk])}
    return None


# A complaint answered ---------------------------------------------------------------------------


def complaint_answered(complaint, *, by) -> None:
    """The office's provincial industry officer and those who held the complaint's steps (but the one
    who answered) learn that the complainant was answered."""
    from org.models import PositionKind

    from .complaint.models import ComplaintProcess
    from .roles import filler_for_office

    people = set(
        Task.objects.filter(process_id__in=ComplaintProcess.objects.filter(complaint=complaint).values("pk"))
        .exclude(owner_id__isnull=True)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    officer = filler_for_office(PositionKind.PROVINCIAL_OFFICER, complaint.office, timezone.localdate())
    if officer is not None:
        people.add(officer.pk)
    people.discard(by.pk)
    write_many(
        [
            Notification(
                person_id=person_id,
                kind=NoticeKind.ANSWERED,
                link=complaint.get_absolute_url(),
                case_ref=case_reference(complaint),
                holder=by.display_name[:200],
                since=complaint.answered_at,
            )
            for person_id in sorted(people)
        ]
    )


# The worker's e-mails ---------------------------------------------------------------------------


def send_notices(notice_ids: list[int]) -> int:
    """E-mail the notifications not e-mailed yet to those who want e-mails. Each is marked in the same
    small transaction as its sending: a retry after a failure sends only the ones not sent, and a
    second delivery running at the same time waits for the mark, then sends nothing. Returns how many
    went."""
    notices = list(
        Notification.objects.filter(pk__in=notice_ids, mailed_at__isnull=True)
        .exclude(person__email="")
        .exclude(person__notice_preference__by_email=False)
        .select_related("person")
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notice in notices:
            with transaction.atomic():
                if not Notification.objects.filter(pk=notice.pk, mailed_at__isnull=True).update(
                    mailed_at=timezone.now()
                ):
                    continue
                context = {"notice": notice, "url": absolute(notice.link)}
                subject = render_to_string("workflows/mail/notice_subject.txt", context).strip()
                body = render_to_string("workflows/mail/notice_body.txt", context)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.person.email])
                sent += 1
    return sent
