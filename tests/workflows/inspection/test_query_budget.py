"""Statement budget of one task completion from code, as the engine runs it (workflows.engine): the
lock statement that re-reads the task with its process, the case with the head of its audit chain,
the step's duty asked of the person, the service with its audit entry (two statements: the head moved
on if still as read, the entry), Viewflow marking the task done, the gateway decided in memory, the
next task created with its assignee, link and SLA due date, the outbox row of its e-mail.
Issue 20 asks ≤ 10; it must not depend on how many answers or review rounds the case has. A whole
chain (start → sign-off, the case closed) has a budget of its own.

Counted: the SQL statements inside the completion's own transaction. In a request that transaction
is BEGIN … COMMIT; inside the test's transaction it is a SAVEPOINT … RELEASE, not counted either way.
The e-mail to the next owner is read and sent after the commit (by the worker), so not here. The
person is loaded as a request loads them, so their access scope is read (one statement).
Steady state: the SLA days of a node and who fills a role are cached (workflows.sla, workflows.roles)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from org.models import Person
from tests.factories import FactoryFactory
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows import engine
from workflows.inspection import services
from workflows.inspection.demo_cases import _inspected
from workflows.models.approvals import RoundDecision

pytestmark = pytest.mark.django_db
BUDGET = 9  # 10 until the case was read by the statement that locks the task (workflows.engine.load_task)
# PostgreSQL: the task done is part of the next task's statement (workflows.task_rows), 7; and the next
# owner's e-mail row too (notify.task_mail), 6; the case read by the lock statement (workflows.engine), 5;
# the review round written by its audit entry's statement (audit.record's `writing`), 4.
PG_BUDGET = 4
# Each step of a chain (SAVEPOINT pairs of nested services counted), 90 in all (114 before 2 December's
# cuts): the start opens the case and its chain (24: the published checklist in one read, the case
# counter locked and read once), inspect saves 2 answers and submits (21: the checklist items read once
# by the services of the request), sign-off closes the case (24: the factory's risk score refreshed
# after the commit through one outbox row, not 10 statements inline; the gateway reads the case's
# outcome from the case the flow holds). The services check first and write in the caller's
# transaction without a savepoint of their own (review_decide's way): 2 statements less each. Sign-off
# 25 since the report is signed as it is issued: one outbox row, the signing after the commit (issue 18).
# Start and sign-off one more each (25, 26) since the dashboard's summaries are recomputed by the worker:
# the step marks its office-year in its own transaction (one INSERT, dashboards.summary.touch) instead
# of the request recomputing it after the commit (about 65 statements a chain, never counted here as
# they ran after the commit; tests/dashboards/test_summary.py asserts they are gone from the request).
# Assign, inspect and review move no dashboard figure: no mark.
# Start 18 and sign-off 21 (3 December): the start's process neither savepointed nor locked (its row is
# the transaction's own), the case's office and its new audit chain not read again; the close function
# and the end without savepoints, the end writing only Viewflow's process row (workflows.nodes).
# 4 December: inspect 17 (the case's answers and photographed items read once by the request's services,
# the factory not read for its key), sign-off 19 (the end's task written once); on PostgreSQL a task and
# its link are one statement (workflows.task_rows): one fewer for every task a step creates.
# 4 December, session 18: the case read by the statement that locks the task, one fewer each completion.
# 4 December, session 19: the end marks its process done in the statement that checks no other task is open
# (nodes._done_if_last): sign-off 18 → 17.
# 4 December, session 20: which items have a photo not read when each item needing one got it through the
# request's case object (services.checklist_gaps): inspect 16 → 15.
CHAIN_BUDGET = {"start": 17, "assign": 10, "inspect": 15, "review": BUDGET, "sign_off": 17}
if connection.vendor == "postgresql":
    # 4 December, later: the case's changed fields saved in the audit entry's statement (audit.record's
    # `saving`), a completed task's done row in the next task's statement (task_rows.save_with_next).
    # 4 December, session 18: the dashboard's marks and the outbox rows of sign-off and close written in
    # their audit entries' statements (audit.record's `writing`), each new task's e-mail row in the task's
    # statement (notify.task_mail): one fewer a step, two at sign-off; the case read by the statement that
    # locks the task (workflows.engine.load_task): one fewer each completion.
    # 4 December, session 19: the start's process written to both its tables by one statement
    # (project.prepared.inserted), the start task's row by the next task's (task_rows.insert_linked): 13 → 11;
    # sign-off 8 → 7 (the end's one statement). Session 20: inspect 9 → 8 (no read of the photographed items).
    CHAIN_BUDGET = {"start": 11, "assign": 5, "inspect": 8, "review": PG_BUDGET, "sign_off": 7}


def as_request_user(person) -> Person:
    return Person.objects.get(pk=person.pk)  # as request.user arrives: its access scope not read yet


def completion_statements(task, by, work, *, one_transaction: bool = True) -> list[str]:
    """The statements of one completion inside its own transaction, its duty asked as the task page
    asks it (workflows.engine.wrap_view) and `work(case, by)` done by the service."""
    with CaptureQueriesContext(connection) as queries:
        with engine.activation(task) as activation:
            assert task.flow_task.can_execute(by, activation.task)
            activation.start(None)
            work(activation.process.case, by)
            activation.execute()
    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[0].startswith("SAVEPOINT") and statements[-1].startswith("RELEASE SAVEPOINT")
    inside = statements[1:-1]
    if one_transaction:
        assert not [sql for sql in inside if "SAVEPOINT" in sql], "one transaction, no savepoint inside it"
    return inside


def review_approve_statements(inspection, head) -> list[str]:
    return completion_statements(
        open_task(inspection, "review"),
        as_request_user(head),
        lambda case, by: services.review_decide(inspection=case, by=by, decision=RoundDecision.APPROVE),
    )


def chain_statements(songkhla) -> dict[str, int]:
    """Statements of each step of one case from its start to the sign-off that closes it, from code as
    bench/drive.py runs it (the e-mails are the worker's, after the commit)."""
    factory = FactoryFactory()
    with CaptureQueriesContext(connection) as queries:
        inspection = services.inspection_start(factory=factory, by=as_request_user(songkhla.head))
    counts = {"start": len(queries)}
    steps = (
        ("assign", songkhla.head, lambda case, by: services.inspection_assign(
            inspection=case, inspector=songkhla.inspector, by=by)),
        ("inspect", songkhla.inspector, lambda case, by: _inspected(case, compliant=True)(by)),
        ("review", songkhla.head, lambda case, by: services.review_decide(
            inspection=case, by=by, decision=RoundDecision.APPROVE)),
        ("sign_off", songkhla.officer, lambda case, by: services.inspection_sign_off(inspection=case, by=by)),
    )  # fmt: skip
    for name, person, work in steps:
        task = open_task(inspection, name)
        counts[name] = len(completion_statements(task, as_request_user(person), work, one_transaction=False))
    inspection.refresh_from_db()
    assert inspection.closed_at is not None
    return counts


def case_at_review(client, songkhla, returns: int):
    inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
    for _ in range(returns):
        do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "แก้ไข"})
        do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=True))
    return inspection


def test_review_completion_stays_within_budget_whatever_the_case_size(client, songkhla, checklist):
    # A working day's first approval fills the caches (the node's SLA days, who signs off, the head's title).
    review_approve_statements(case_at_review(client, songkhla, 0), songkhla.head)
    counts = [len(review_approve_statements(case_at_review(client, songkhla, r), songkhla.head)) for r in (0, 3)]
    assert counts[0] == counts[1] <= (PG_BUDGET if connection.vendor == "postgresql" else BUDGET), counts


def test_a_whole_chain_stays_within_its_budget(songkhla, checklist, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chain_statements(songkhla)  # fills the caches
    counts = chain_statements(songkhla)
    assert counts == chain_statements(songkhla)
    assert all(counts[step] <= CHAIN_BUDGET[step] for step in counts), (counts, CHAIN_BUDGET)


def test_saving_a_checklist_costs_the_same_for_two_answers_or_twelve(client, songkhla, checklist):
    from workflows.inspection.models import AnswerType, ChecklistItem

    section = checklist.sections.get()
    counts = []
    for size in (2, 12):
        for n in range(ChecklistItem.objects.filter(section=section).count(), size):
            ChecklistItem.objects.create(
                section=section, order=n + 1, code=f"X{n}", question_th=f"ข้อ {n}", answer_type=AnswerType.YES_NO
            )
        inspection = services.inspection_start(factory=FactoryFactory(), by=songkhla.head)
        do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
        inspection.refresh_from_db()
        answers = {item.pk: {"value": "yes", "number": 5} for item in services._items(inspection)}
        inspector = Person.objects.get(pk=songkhla.inspector.pk)
        with CaptureQueriesContext(connection) as queries:
            services.answers_save(inspection=inspection, by=inspector, answers=answers, findings="ตรวจแล้ว")
        assert inspection.answers.count() == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_an_eager_hand_over_marks_its_row_sent_and_done_in_the_tasks_own_statement(
    songkhla, checklist, django_capture_on_commit_callbacks
):
    """With Celery eager (the embedded server, the tests) the outbox row's task runs in the hand-over
    after the commit: the row is marked done, sent and its attempt counted in one UPDATE, in the task's
    transaction, and nothing is written after it."""
    from workflows.models import OutboxMessage

    with django_capture_on_commit_callbacks() as callbacks:
        services.inspection_start(factory=FactoryFactory(), by=as_request_user(songkhla.head))
    message = OutboxMessage.objects.order_by("pk").last()
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    marks = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "workflows_outboxmessage"')]
    assert len(marks) == 1, marks
    message.refresh_from_db()
    assert message.done_at is not None and message.sent_at is not None and message.attempts == 1


def test_a_failing_close_fails_the_whole_sign_off(client, songkhla, checklist, monkeypatch):
    """The close function and the end run without a savepoint of their own: what fails there fails the
    completion that reached them, and nothing of it is kept (the sign-off task still open, no sign-off)."""
    inspection = case_at_review(client, songkhla, 0)
    do(client, songkhla.head, inspection, "review", {"decision": "approve"})

    def broken(**kwargs):
        raise RuntimeError("closing failed")

    monkeypatch.setattr(services, "inspection_close", broken)
    task = open_task(inspection, "sign_off")
    with pytest.raises(RuntimeError, match="closing failed"):
        completion_statements(task, as_request_user(songkhla.officer),
                              lambda case, by: services.inspection_sign_off(inspection=case, by=by))  # fmt: skip
    inspection.refresh_from_db()
    assert inspection.signed_off_at is None and inspection.closed_at is None
    assert open_task(inspection, "sign_off").pk == task.pk
    monkeypatch.undo()
    do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"})
    inspection.refresh_from_db()
    assert inspection.closed_at is not None and inspection.processes.get().status == "DONE"
