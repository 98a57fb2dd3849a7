"""The stock flow's inbox data: as many StockFlow processes waiting at `inspect` for the stock
user as our inspector has, shaped as Viewflow writes them (no SLA rows, no audit: stock has none)."""

from datetime import timedelta

from django.db import transaction
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from bench.stockflow.flows import StockFlow
from bench.stockflow.models import StockProcess

from .bulk import BATCH, id_counter, insert, insert_children, row
from .people import Staff

STEPS = (("start", "START"), ("assign", "HUMAN"), ("inspect", "HUMAN"))


@transaction.atomic
def _write(processes: list, children: list, tasks: list, links: list) -> None:
    insert(Process, processes)
    insert_children(StockProcess, children)
    insert(Task, tasks)
    insert(Task.previous.through, links)


def make_stock_inbox(*, count: int, owner, staff: Staff, factories: list, now) -> int:
    ids = {m: id_counter(m) for m in (Process, Task, Task.previous.through)}
    processes, children, tasks, links = [], [], [], []
    for n in range(count):
        created = now - timedelta(days=30) + timedelta(days=25) * (n / max(count, 1))
        process = row(Process, id=next(ids[Process]), flow_class=StockFlow, status=PROCESS.NEW, created=created)
        processes.append(process)
        children.append(row(StockProcess,
            process_ptr_id=process.id, factory_id=factories[n % len(factories)][0], head=staff.head,
            inspector=owner, officer=staff.officer,
        ))  # fmt: skip
        previous = None
        for k, (name, task_type) in enumerate(STEPS):
            waiting = name == "inspect"
            task = row(Task,
                id=next(ids[Task]), process_id=process.id, flow_task=getattr(StockFlow, name), flow_task_type=task_type,
                status=STATUS.ASSIGNED if waiting else STATUS.DONE, created=created + timedelta(hours=k),
                started=None if waiting else created + timedelta(hours=k),
                finished=None if waiting else created + timedelta(hours=k + 1),
                owner={"assign": staff.head, "inspect": owner}.get(name),
            )  # fmt: skip
            tasks.append(task)
            if previous is not None:
                links.append(
                    row(Task.previous.through, id=next(ids[Task.previous.through]), from_task=task, to_task=previous)
                )
            previous = task
        if len(processes) >= BATCH:
            _write(processes, children, tasks, links)
            processes, children, tasks, links = [], [], [], []
    _write(processes, children, tasks, links)
    return count
