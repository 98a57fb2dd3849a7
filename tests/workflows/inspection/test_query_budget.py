"""Statement budget of one task completion from code, as the engine runs it (workflows.engine): lock
and load the process with its case, the service with its audit entry, Viewflow marking the task
done, the gateway decided in memory, the next task created with its assignee, link and SLA due date.
Issue 4 asks ≤ 12; it must not depend on how many answers or review rounds the case has.

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
from workflows.models.approvals import RoundDecision

pytestmark = pytest.mark.django_db
BUDGET = 12


def review_approve_statements(inspection, head) -> list[str]:
    task = open_task(inspection, "review")
    by = Person.objects.get(pk=head.pk)  # as request.user arrives: its access scope not read yet
    with CaptureQueriesContext(connection) as queries:
        with engine.activation(task) as activation:
            activation.start(None)
            services.review_decide(inspection=activation.process.case, by=by, decision=RoundDecision.APPROVE)
            activation.execute()
    statements = [query["sql"] for query in queries.captured_queries]
    assert statements[0].startswith("SAVEPOINT") and statements[-1].startswith("RELEASE SAVEPOINT")
    inside = statements[1:-1]
    assert not [sql for sql in inside if "SAVEPOINT" in sql], "one transaction, no savepoint inside it"
    return inside


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
    assert counts[0] == counts[1] <= BUDGET, counts


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
