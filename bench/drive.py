"""Driving both flows from code, one human task at a time, as a worker or a test would.
A chain is start → assign → inspect → review → sign-off; each step is a method, so that the
benchmarks can run a whole chain or time its steps one by one."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from bench.stockflow.flows import StockFlow
from workflows import engine
from workflows.flows import KamkapFlow
from workflows.inspection import services
from workflows.inspection.demo_cases import _inspected  # the demo's compliant checklist, via the services
from workflows.inspection.flows import InspectionFlow
from workflows.models.approvals import RoundDecision

OPEN = (STATUS.NEW, STATUS.ASSIGNED)
STEPS = ("start", "assign", "inspect", "review", "sign_off")


def complete(task: Task, work) -> None:
    """Start the task, let `work(activation)` do the task's work, finish it (Viewflow goes on).
    A task of our flow is activated as its page runs it (workflows.engine.activation: the lock loads
    the process); a stock task as stock Viewflow does (`task.activation()`)."""
    ours = issubclass(task.flow_task.flow_class, KamkapFlow)
    with engine.activation(task) if ours else task.activation() as activation:
        activation.start(None)
        work(activation)
        activation.execute()


def as_new_request(person):
    """The person as a new request sees them: loaded already, their access scope not yet read."""
    person.__dict__.pop("_kamkap_scope", None)
    return person


class Chain:
    """One case through the flow. Each task's work is done as its owner would do it in a request:
    the person is loaded (request.user), their access scope is read afresh (one statement)."""

    def __init__(self, factory, staff):
        self.factory, self.staff = factory, staff

    def run(self, until: str = STEPS[-1]):
        for step in STEPS[: STEPS.index(until) + 1]:
            getattr(self, step)()
        return self


class OurChain(Chain):
    """InspectionFlow through the services (permissions, audit, SLA, notifications included). Where
    a task is completed the service gets `activation.process.case`: the object the flow's functions
    read (workflows.engine.activation)."""

    process_pk = None

    def task(self, name: str) -> Task:
        """The open task by its process, as the stock chain finds it, once a completion has told the
        process (the first by the case: the start does not return its process)."""
        tasks = Task.objects.filter(flow_task=getattr(InspectionFlow, name), status__in=OPEN)
        if self.process_pk is None:
            return tasks.get(process__inspectionprocess__inspection=self.case)
        return tasks.get(process_id=self.process_pk)

    def start(self):
        self.case = services.inspection_start(factory=self.factory, by=as_new_request(self.staff.head))

    def case_of(self, activation):
        """The case the flow's functions read (`activation.process.case`); the chain keeps it and its
        process."""
        self.case, self.process_pk = activation.process.case, activation.process.pk
        return self.case

    def assign(self):
        complete(self.task("assign"), lambda activation: services.inspection_assign(
            inspection=self.case_of(activation), inspector=self.staff.inspector,
            by=as_new_request(self.staff.head)))  # fmt: skip

    def inspect(self):
        complete(self.task("inspect"), lambda activation: _inspected(self.case_of(activation), compliant=True)(
            as_new_request(self.staff.inspector)))  # fmt: skip

    def review_work(self, activation):
        services.review_decide(
            inspection=self.case_of(activation), by=as_new_request(self.staff.head), decision=RoundDecision.APPROVE
        )

    def review(self):
        complete(self.task("review"), self.review_work)

    def sign_off(self):
        complete(self.task("sign_off"), lambda activation: services.inspection_sign_off(
            inspection=self.case_of(activation), by=as_new_request(self.staff.officer)))  # fmt: skip


def stock_form(**changes):
    """A stock task's work, as UpdateProcessView does it: the process form saved."""

    def save(activation):
        for field, value in changes.items():
            setattr(activation.process, field, value)
        activation.process.save()

    return save


class StockChain(Chain):
    """StockFlow: stock Viewflow only, no audit, no_lock."""

    def task(self, name: str) -> Task:
        return Task.objects.get(process_id=self.process.pk, flow_task=getattr(StockFlow, name), status__in=OPEN)

    def start(self):
        self.process = StockFlow.start.run(factory=self.factory, head=self.staff.head, officer=self.staff.officer)

    def assign(self):
        complete(self.task("assign"), stock_form(inspector=self.staff.inspector))

    def inspect(self):
        complete(self.task("inspect"), stock_form(findings="ตรวจสภาพโรงงานตามรายการตรวจ"))

    review_work = staticmethod(stock_form(approved=True))

    def review(self):
        complete(self.task("review"), self.review_work)

    def sign_off(self):
        complete(self.task("sign_off"), stock_form())
