# ruff: noqa: F811 (pytest fixtures imported from the flows' conftests are arguments of the tests)
"""The duties matrix: every human step of every flow × the people of an office and above it × every
way a person comes to a task, against one table of who may hold each step (HOLDERS).

Ways in: `claim` — the task is put back in the queue and the person takes it (Viewflow's assign
page); `given` — the engine's answer when the task is handed to the person (assign, reassign, the
owner a new task is created with: `node.may_hold`); `handed` — the group head hands it to the person
on a hand-over page (the inspection's and the complaint's, tried for every step); `execute` — the
task has reached the person by whatever path and they open and submit it; `bulk` — they send it to
bulk approval; `api` — through /api/v1/tasks/ they claim it from the queue, then, holding it, complete
it (a holder's payload is refused as invalid, which shows the duty let them through to it).

Each refused cell asserts its status code and that nothing changed (the tasks of the process, their
owners and states, and the audit trail). A human step missing from HOLDERS fails the test."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from org import services as org_services
from org.models import Person, PositionKind, Unit
from registry.selfreports.models import FactoryOperator
from tests.clock import at
from tests.factories import FactoryFactory, PersonFactory
from tests.workflows.budget.conftest import approved, fy, lopburi, month_of, register  # noqa: F401
from tests.workflows.budget.conftest import do as budget_do
from tests.workflows.budget.conftest import task_of as budget_task
from tests.workflows.complaint.test_complaints import act as complaint_act
from tests.workflows.complaint.test_complaints import submit
from tests.workflows.complaint.test_complaints import task_of as complaint_task
from tests.workflows.inspection.conftest import START, checklist, factory, rules, songkhla  # noqa: F401
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task, s37_drafted
from tests.workflows.planning.test_plans import do as plan_do
from tests.workflows.planning.test_plans import open_task as plan_task
from workflows.budget import behind, reviews
from workflows.budget import services as budget_services
from workflows.flows import KamkapFlow, every_flow, human_steps
from workflows.inspection import services
from workflows.models import AuditEntry
from workflows.planning import services as plan_services

# Plans are made for a quarter that lies ahead: the clock stands in the first quarter of FY 2570.
pytestmark = [pytest.mark.django_db, at(2026, 11, 16)]

PERSONAS = (
    "inspector",  # the case's inspector (in budget flows the project's officer, who files its reports)
    "inspector2",  # another inspector of the office
    "head",  # group head
    "officer",  # provincial industry officer (holds the post)
    "acting",  # acts for the provincial industry officer (รักษาราชการแทน)
    "aps",  # assistant PS of the office's cluster
    "aps_other",  # assistant PS of another cluster
    "dps",  # deputy PS over the cluster
    "executive",  # executive viewer
    "operator",  # the factory's operator
    "anonymous",
)
HOLDERS = {
    "InspectionFlow.assign": {"head"},
    "InspectionFlow.inspect": {"inspector", "inspector2"},
    "InspectionFlow.review": {"head"},
    "InspectionFlow.sign_off": {"officer", "acting"},
    "InspectionFlow.draft_order": {"officer", "acting"},
    "InspectionFlow.approve_order": {"officer"},  # the approver the chain names, no one else
    "InspectionFlow.follow_up": {"inspector", "inspector2"},
    "ComplaintFlow.triage": {"head"},
    "ComplaintFlow.answer": {"head"},
    "ComplaintFlow.answer_rejection": {"head"},
    "ProjectFlow.approve": {"officer"},
    "ProjectFlow.revise": {"inspector"},
    "ProgressFlow.file": {"inspector"},
    "ProgressFlow.review": {"officer", "acting"},
    "DirectiveFlow.report_action": {"inspector"},
    "DirectiveFlow.check": {"dps"},
    "EscalationFlow.answer": {"officer", "acting"},  # whoever fills the post the level names
    "PlanFlow.prepare": {"head"},
    "PlanFlow.approve": {"officer", "acting"},
}
BULK = {("InspectionFlow.review", "head")}  # the only cell where bulk approval completes a task
# Steps the group head may hand over by hand (to someone who may hold them); every other step follows
# the person or the chain it names (approval steps are never reassigned by hand).
HAND_OVER = {
    "InspectionFlow.inspect": "inspection:reassign",
    "InspectionFlow.follow_up": "inspection:reassign",
    "ComplaintFlow.triage": "complaints:reassign",
    "ComplaintFlow.answer": "complaints:reassign",
    "ComplaintFlow.answer_rejection": "complaints:reassign",
}


def test_every_human_step_of_every_flow_has_an_entry():
    assert {f"{flow.__name__}.{node.name}" for flow, node in human_steps()} == set(HOLDERS)
    assert set(every_flow()) == set(KamkapFlow.__subclasses__()), "a flow missing from workflows.flows.every_flow"


# --- the state each step is reached in ----------------------------------------------------------


def _inspection_at(client, s, plant, step):
    inspection = services.inspection_start(factory=plant, by=s.head)
    if step == "assign":
        return open_task(inspection, "assign")
    do(client, s.head, inspection, "assign", {"inspector": s.inspector.pk})
    if step == "inspect":
        return open_task(inspection, "inspect")
    do(client, s.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=False))
    if step == "review":
        return open_task(inspection, "review")
    do(client, s.head, inspection, "review", {"decision": "approve"})
    if step == "sign_off":
        return open_task(inspection, "sign_off")
    do(client, s.officer, inspection, "sign_off", {"confirm": "on"})
    return open_task(inspection, "draft_order")


def _order_at(client, s, plant, step):
    inspection = s37_drafted(client, s, plant)
    if step == "approve_order":
        return open_task(inspection, "approve_order")
    do(client, s.officer, inspection, "approve_order", {"approve": "1"})
    Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).update(scheduled=timezone.now())
    fire_due_timers()
    return open_task(inspection, "follow_up")


def _complaint_at(client, s, plant, step):
    complaint = submit(factory_text=plant.reg_no)
    if step == "triage":
        return complaint_task(complaint, "triage")
    if step == "answer":
        complaint_act(client, s.head, complaint, "triage", {"decision": "accept", "factory_reg_no": plant.reg_no})
    else:
        complaint_act(client, s.head, complaint, "triage", {"decision": "reject", "reason": "อยู่นอกอำนาจ"})
    return complaint_task(complaint, step)


def _project_at(client, s, fy_be, step):
    project = register(s, fy_be=fy_be)
    if step == "approve":
        return budget_task("approve", projectprocess__project=project)
    approve = budget_task("approve", projectprocess__project=project)
    budget_do(client, s.officer, approve, {"decision": "return", "comments": "ปรับแผนการเบิกจ่าย"})
    return budget_task("revise", projectprocess__project=project)


def _progress_at(client, s, project, fy_be, step):
    report = budget_services.report_open(project=project, month=month_of(fy_be, 1))
    file_task = budget_task("file", progressprocess__report=report)
    if step == "file":
        return file_task
    budget_do(client, s.inspector, file_task, {"progress_pct": "8", "disbursed": "90000"})
    return budget_task("review", progressprocess__report=report)


def _directive_at(client, s, project, step):
    today = timezone.localdate()
    review = reviews.review_open(office=s.unit, by=s.dps, meeting_on=today, projects=[project])
    directive = reviews.directive_add(review=review, by=s.dps, text="เร่งรัดการเบิกจ่าย", due_on=today + timedelta(30),
                                      assignee=s.inspector)  # fmt: skip
    report_task = budget_task("report_action", directiveprocess__directive=directive)
    if step == "report_action":
        return report_task
    budget_do(client, s.inspector, report_task, {"text": "ประสานผู้รับจ้างแล้ว"})
    return budget_task("check", directiveprocess__directive=directive)


def _escalation_at(project, fy_be):
    on = month_of(fy_be, 3)
    behind.flag_project(project=project, on=on)
    behind.flag_project(project=project, on=on + timedelta(days=30))
    return budget_task("answer", escalationprocess__escalation__project=project)


def _plan_at(client, s, step):
    for _ in range(2):
        FactoryFactory()
    plan_services.capacity_set(office=s.unit, cases_per_inspector=1, by=s.head)
    fy_be = 2570
    plan = plan_services.plan_generate(office=s.unit, fiscal_year=fy_be, quarter=2, by=s.head)
    if step == "prepare":
        return plan_task(plan, "prepare")
    plan_do(client, s.head, plan, "prepare", {"note": "เสนอแผน"})
    return plan_task(plan, "approve")


@pytest.fixture
def reach(client, songkhla, checklist, factory, rules, fy):
    def at_step(step: str) -> Task:
        flow, name = step.split(".")
        if flow == "InspectionFlow" and name in ("assign", "inspect", "review", "sign_off", "draft_order"):
            return _inspection_at(client, songkhla, factory, name)
        if flow == "InspectionFlow":
            return _order_at(client, songkhla, factory, name)
        if flow == "ComplaintFlow":
            return _complaint_at(client, songkhla, factory, name)
        if flow == "ProjectFlow":
            return _project_at(client, songkhla, fy, name)
        if flow == "PlanFlow":
            return _plan_at(client, songkhla, name)
        project = register(songkhla, fy_be=fy)
        approve = budget_task("approve", projectprocess__project=project)
        budget_do(client, songkhla.officer, approve, {"decision": "approve"})
        project.refresh_from_db()
        if flow == "ProgressFlow":
            return _progress_at(client, songkhla, project, fy, name)
        if flow == "DirectiveFlow":
            return _directive_at(client, songkhla, project, name)
        return _escalation_at(project, fy)

    return at_step


# --- the people -----------------------------------------------------------------------------


def _person_in(unit, kind, title, **kw):
    position = org_services.create_position(unit=unit, kind=kind, title_th=title, **kw)
    person = PersonFactory()
    org_services.appoint(position=position, person=person, start=START)
    return person


@pytest.fixture
def people(songkhla, lopburi, factory):
    def make() -> dict:
        ops = Unit.objects.get(code=org_services.OPS_CODE)
        acting = PersonFactory()
        today = timezone.localdate()
        org_services.appoint_acting(position=songkhla.officer.holdings.get().position, person=acting,
                                    start=today - timedelta(days=1), end=today + timedelta(days=30))  # fmt: skip
        operator = PersonFactory()
        FactoryOperator.objects.create(person=operator, factory=factory)
        return {
            "inspector": songkhla.inspector,
            "inspector2": songkhla.inspector2,
            "head": songkhla.head,
            "officer": songkhla.officer,
            "acting": acting,
            "aps": songkhla.aps,
            "aps_other": lopburi.aps,
            "dps": songkhla.dps,
            "executive": _person_in(ops, PositionKind.EXECUTIVE_VIEWER, "ผู้บริหาร (ดูอย่างเดียว)"),
            "operator": operator,
            "anonymous": None,
        }

    return make


# --- the matrix -----------------------------------------------------------------------------


@dataclass
class Cell:
    step: str
    persona: str
    way: str


def state(task: Task) -> tuple:
    """What a refused attempt must leave as it was: every task of the process and the audit trail."""
    tasks = tuple(Task.objects.filter(process_id=task.process_id).order_by("pk").values_list("pk", "status", "owner"))
    return tasks, AuditEntry.objects.count()


def put(task: Task, owner: Person | None) -> None:
    """Put the task with `owner` (None: back in the office queue), as any path could have."""
    Task.objects.filter(pk=task.pk).update(owner=owner, status=STATUS.ASSIGNED if owner else STATUS.NEW)
    task.refresh_from_db()


def login(client, person):
    client.logout()
    if person is not None:
        client.force_login(person)


def check_claim(client, task, person, allowed, home_owner, cell):
    put(task, None)
    before = state(task)
    login(client, person)
    response = client.post(task.reverse("assign"))
    if allowed:
        task.refresh_from_db()
        assert response.status_code == 302 and task.owner_id == person.pk, cell
    else:
        expected = 302 if person is None else 403  # anonymous: to the login page
        assert response.status_code == expected, (cell, response.status_code)
        assert state(task) == before, cell
    put(task, home_owner)


def check_given(task, person, allowed, cell):
    node = task.flow_task
    assert node.may_hold(person or AnonymousUser(), task) is allowed, cell


def check_handed(client, task, person, allowed, home_owner, by, cell):
    """The group head hands the task to `person` on both hand-over pages (only the page of the
    task's own flow may take it, and only for a step that is handed over)."""
    case = task.process.coerced.case
    case_row = type(case).objects.filter(pk=case.pk).values().get()
    for page in ("inspection:reassign", "complaints:reassign"):
        may = allowed and HAND_OVER.get(cell.step) == page
        before = state(task)
        login(client, by)
        response = client.post(reverse(page, args=[task.pk]), {"to": person.pk})
        assert response.status_code < 500, (cell, page, response.status_code)
        task.refresh_from_db()
        if may:
            assert task.owner_id == person.pk, (cell, page)
        else:
            assert state(task) == before, (cell, page)
        put(task, home_owner)
        type(case).objects.filter(pk=case.pk).update(**case_row)  # e.g. the case's inspector, handed back


def check_execute(client, task, person, allowed, home_owner, cell):
    if person is not None:
        put(task, person)
    login(client, person)
    url = task.reverse("execute")
    before = state(task)
    page = client.get(url)
    if allowed:
        assert page.status_code == 200, (cell, page.status_code)
    else:
        assert page.status_code == (302 if person is None else 403), (cell, page.status_code)
        response = client.post(url, {"decision": "approve", "approve": "1", "confirm": "on"})
        assert response.status_code == (302 if person is None else 403), (cell, response.status_code)
    assert state(task) == before, cell
    put(task, home_owner)


API_REFUSED = {403: "not_your_duty", 404: "not_found"}  # 404: the task's office is not theirs to see


def api_post(client, task, action, data=None):
    return client.post(f"/api/v1/tasks/{task.pk}/{action}/", data or {}, content_type="application/json")


def check_api(client, task, person, allowed, home_owner, cell):
    """Claim from the queue, then complete while holding it, through the API: the same duty decides."""
    put(task, None)
    before = state(task)
    login(client, person)
    response = api_post(client, task, "claim")
    if allowed:
        task.refresh_from_db()
        assert response.status_code == 200 and task.owner_id == person.pk, (cell, "claim", response.content[:300])
    else:
        _api_refused(response, person, cell, "claim")
        assert state(task) == before, (cell, "claim")
    if person is not None:
        put(task, person)
    before = state(task)
    response = api_post(client, task, "complete", {"__probe__": "1"})
    if allowed:  # past the duty: the payload or the step's service refuses the probe (the inspect step's
        # service takes the case's inspector only: inspector2 holding the task is refused there, as on the page)
        answer = (response.status_code, response.json()["code"])
        assert answer in ((400, "invalid"), (403, "permission_denied")), (cell, response.content[:300])
    else:
        _api_refused(response, person, cell, "complete")
    assert state(task) == before, (cell, "complete")
    put(task, home_owner)


def _api_refused(response, person, cell, action):
    if person is None:
        assert response.status_code == 401, (cell, action, response.status_code)
        return
    assert API_REFUSED.get(response.status_code) == response.json()["code"], (cell, action, response.content[:300])


def check_bulk(client, task, person, home_owner, cell):
    if person is not None:
        put(task, person)
    login(client, person)
    before = state(task)
    response = client.post(reverse("inspection:bulk_approve"), {"task": [task.pk]})
    # refused item by item (200), or the whole page (403: no access to inspections)
    assert response.status_code in ((302,) if person is None else (200, 403)), (cell, response.status_code)
    assert state(task) == before, cell
    put(task, home_owner)


@pytest.mark.parametrize("step", sorted(HOLDERS))
def test_who_may_hold_each_step_however_they_come_to_it(client, reach, people, step):
    task = reach(step)
    home_owner = task.owner
    who = people()
    holders = HOLDERS[step]
    for persona in PERSONAS:
        person, allowed = who[persona], persona in holders
        check_given(task, person, allowed, Cell(step, persona, "given"))
        check_claim(client, task, person, allowed, home_owner, Cell(step, persona, "claim"))
        if person is not None and home_owner is not None and person != home_owner:
            check_handed(client, task, person, allowed, home_owner, who["head"], Cell(step, persona, "handed"))
        check_execute(client, task, person, allowed, home_owner, Cell(step, persona, "execute"))
        check_api(client, task, person, allowed, home_owner, Cell(step, persona, "api"))
        if (step, persona) not in BULK:
            check_bulk(client, task, person, home_owner, Cell(step, persona, "bulk"))
    for step_, persona in BULK:
        if step_ == step:  # last: it completes the task
            put(task, who[persona])
            login(client, who[persona])
            client.post(reverse("inspection:bulk_approve"), {"task": [task.pk]})
            task.refresh_from_db()
            assert task.status == STATUS.DONE, Cell(step, persona, "bulk")


# --- segregation: the doer also fills the deciding post -------------------------------------------

# The step, whose work it judges (persona), and the post that person is made to act for.
SEGREGATED = {
    "InspectionFlow.review": ("inspector", "head"),
    "InspectionFlow.sign_off": ("inspector", "officer"),
    "InspectionFlow.draft_order": ("inspector", "officer"),
    "ProgressFlow.review": ("inspector", "officer"),
    "PlanFlow.approve": ("head", "officer"),
}


@pytest.mark.parametrize("step", sorted(SEGREGATED))
def test_whose_work_it_is_never_decides_it_even_acting_for_the_post(client, reach, songkhla, step):
    """The acting person is judged as the person they are: the case's inspector acting for the group
    head or the provincial industry officer, or the plan's preparer acting for the officer, still
    never reviews, signs off, drafts the order or approves their own work."""
    task = reach(step)
    doer_name, post_of = SEGREGATED[step]
    doer, holder = getattr(songkhla, doer_name), getattr(songkhla, post_of)
    today = timezone.localdate()
    post = holder.holdings.get().position
    org_services.appoint_acting(position=post, person=doer, start=today - timedelta(days=1), end=today + timedelta(9))
    home_owner = task.owner
    cell = Cell(step, f"{doer_name} acting for {post_of}", "")
    assert task.flow_task.may_hold(holder, task), "the post itself may hold the step"
    check_given(task, doer, False, cell)
    check_claim(client, task, doer, False, home_owner, cell)
    check_execute(client, task, doer, False, home_owner, cell)
    check_api(client, task, doer, False, home_owner, cell)
