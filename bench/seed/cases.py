"""Inspection cases as the services and InspectionFlow leave them: the case, its Viewflow process
and tasks (every node passed except the gateways, which workflows.nodes decides without a task row:
each task links to the persisted task before it), a human task's SLA due date in its own row
(`Task.scheduled`, as workflows.nodes.View writes it; no TaskNotice rows: only the SLA job writes
those), the review round, and the audit chain with each entry's hash computed exactly as
workflows.audit does."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from org.calendar import fiscal_year
from org.models import Unit
from workflows.audit import entry_hash
from workflows.demo import SLA_DAYS
from workflows.flows import OFFICE_QUEUE
from workflows.inspection.flows import InspectionFlow
from workflows.inspection.models import CaseCounter, Inspection, InspectionProcess, ReviewRound
from workflows.models import AuditChain, AuditEntry
from workflows.models.approvals import RoundDecision
from workflows.models.audit import GENESIS

from .bulk import id_counter, insert, insert_children, row
from .plan import CaseSpec

INSPECTION_DAYS = SLA_DAYS["inspection"]

NODES = (  # (node, task type, who owns it): the tasks written; the gateways review_passed and compliant write none
    ("start", "START", None),
    ("assign", "HUMAN", "head"),
    ("inspect", "HUMAN", "inspector"),
    ("review", "HUMAN", "head"),
    ("sign_off", "HUMAN", "officer"),
    ("close", "FUNCTION", None),
    ("end", "END", None),
)
NAMES = [name for name, _type, _who in NODES]
K = {name: k for k, name in enumerate(NAMES)}  # `at[K[name]]`: when the task of `name` was created,
# which is when the task before it finished (plus a second)
STEP = timedelta(hours=20)  # between one task and the next
ANSWERS = {"LIC-01": "yes", "LIC-02": "48", "SAF-01": "yes", "SAF-02": "yes", "ENV-01": "yes", "ENV-03": "no"}
SUBMITTED = {"outcome": "compliant", "severity": None, "score": "100.00"}


class CaseWriter:
    """Collects the rows of many cases; `flush` writes them in one transaction."""

    def __init__(self, *, checklist, provinces: dict[int, int]):
        self.checklist, self.provinces = checklist, provinces
        self.ids = {m: id_counter(m) for m in (Inspection, Process, Task, Task.previous.through, AuditEntry)}
        self.unit_type = ContentType.objects.get_for_model(Unit).pk
        self.numbers: dict[tuple[int, int], int] = {}
        self.rows: dict[type, list] = {}
        with translation.override("th"):
            self.labels = {
                "open": _("Case opened"), "answers": _("Checklist saved"), "submit": _("Submitted for review"),
                "approve": _("Review round %(n)s: %(decision)s") % {"n": 1, "decision": RoundDecision.APPROVE.label},
                "sign_off": _("Report signed off"), "close": _("Case closed"), "assign": _("Assigned to %(person)s"),
            }  # fmt: skip

    def _add(self, model, obj):
        self.rows.setdefault(model, []).append(obj)

    def _ref_no(self, office_id: int, created) -> str:
        """Numbered per office and fiscal year, as services._next_ref_no numbers them."""
        key = (office_id, fiscal_year(timezone.localdate(created)))
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{self.provinces[office_id]:02d}-{key[1]}/{self.numbers[key]:04d}"

    def counters(self) -> list[CaseCounter]:
        """The last number given per office and year, where the services go on numbering."""
        return [CaseCounter(office_id=office, fiscal_year=fy, last=n) for (office, fy), n in self.numbers.items()]

    def add(self, spec: CaseSpec) -> None:
        last = NAMES.index(spec.waits_at) if spec.waits_at else len(NODES) - 1  # the last task written
        at = [spec.created + STEP * k for k in range(len(NODES) + 1)]
        done = {name: k < last or not spec.waits_at for k, (name, _type, _who) in enumerate(NODES)}
        case = self._inspection(spec, done, at)
        process_id = next(self.ids[Process])
        closed = spec.waits_at is None
        self._add(Process, row(Process,
            id=process_id, flow_class=InspectionFlow, status=PROCESS.DONE if closed else PROCESS.NEW,
            created=at[0], finished=at[-1] if closed else None,
        ))  # fmt: skip
        self._add(InspectionProcess, row(InspectionProcess, process_ptr_id=process_id, inspection_id=case.pk))
        self._tasks(spec, process_id, last, at)
        self._audit(spec, case, done, at)

    def _inspection(self, spec: CaseSpec, done: dict, at: list) -> Inspection:
        staff, (factory_id, _reg_no) = spec.staff, spec.factory
        case = row(Inspection,
            id=next(self.ids[Inspection]), ref_no=self._ref_no(staff.office_id, at[0]), factory_id=factory_id,
            office_id=staff.office_id, reason=spec.reason, checklist=self.checklist, created_by=staff.head,
            created_at=at[0], inspector=spec.inspector if done["assign"] else None,
        )  # fmt: skip
        if done["inspect"]:
            case.inspected_on, case.submitted_at = timezone.localdate(at[K["inspect"]]), at[K["review"]]
            case.findings, case.outcome, case.score = "ตรวจสภาพโรงงานตามรายการตรวจ", "compliant", 100
        if done["review"]:
            self._add(ReviewRound, row(ReviewRound,
                inspection=case, number=1, decided_by=staff.head, decided_as=staff.head_as,
                decision=RoundDecision.APPROVE, decided_at=at[K["sign_off"]],
            ))  # fmt: skip
        if done["sign_off"]:
            case.signed_off_at, case.signed_off_by = at[K["close"]], staff.officer
            case.signed_off_as = staff.officer_as
        if done["close"]:
            case.closed_at = at[K["end"]]
        self._add(Inspection, case)
        return case

    def _tasks(self, spec: CaseSpec, process_id: int, last: int, at: list) -> None:
        owners = {"head": spec.staff.head, "inspector": spec.inspector, "officer": spec.staff.officer}
        previous = None
        for k, (name, task_type, who) in enumerate(NODES[: last + 1]):
            waiting = k == last and spec.waits_at is not None
            task = row(Task,
                id=next(self.ids[Task]), process_id=process_id, flow_task=getattr(InspectionFlow, name),
                flow_task_type=task_type, status=STATUS.ASSIGNED if waiting else STATUS.DONE, created=at[k],
                started=None if waiting else at[k], finished=None if waiting else at[k + 1] - timedelta(seconds=1),
                scheduled=at[k] + timedelta(days=INSPECTION_DAYS[name]) if task_type == "HUMAN" else None,
            )  # fmt: skip
            if who:
                task.owner = owners[who]
                task.owner_permission, task.owner_permission_content_type_id = OFFICE_QUEUE, self.unit_type
                task.owner_permission_obj_pk = str(spec.staff.office_id)
            self._add(Task, task)
            if previous is not None:
                link = row(
                    Task.previous.through, id=next(self.ids[Task.previous.through]), from_task=task, to_task=previous
                )
                self._add(Task.previous.through, link)
            previous = task

    def _audit(self, spec: CaseSpec, case: Inspection, done: dict, at: list) -> None:
        staff, labels = spec.staff, self.labels
        events = [(at[0], staff.head, "", "case.open", labels["open"], {}, {
            "factory": spec.factory[1], "reason": spec.reason, "checklist": str(self.checklist)})]  # fmt: skip
        if done["assign"]:
            label = labels["assign"] % {"person": spec.inspector}
            events.append((at[K["inspect"]], staff.head, staff.head_as, "case.assign", label, {"inspector": None},
                           {"inspector": spec.inspector.pk}))  # fmt: skip
        if done["inspect"]:
            events.append((at[K["review"]], spec.inspector, "", "case.answers", labels["answers"], {}, ANSWERS))
            events.append((at[K["review"]], spec.inspector, "", "case.submit", labels["submit"], {}, SUBMITTED))
        if done["review"]:
            events.append((at[K["sign_off"]], staff.head, staff.head_as, "review.approve", labels["approve"], {}, {}))
        if done["sign_off"]:
            events.append((at[K["close"]], staff.officer, staff.officer_as, "case.sign_off", labels["sign_off"], {},
                           {"outcome": "compliant"}))  # fmt: skip
        if done["close"]:
            events.append((at[K["end"]], None, "", "case.close", labels["close"], {}, {}))
        key, prev = f"inspection:{case.pk}", GENESIS
        for seq, (moment, actor, acting_for, action, label, before, after) in enumerate(events, start=1):
            entry = {
                "chain": key, "seq": seq, "at": moment, "actor_id": actor.pk if actor else None,
                "actor_name": str(actor) if actor else "", "acting_for": acting_for, "action": action,
                "label": label, "comment": "", "before": before, "after": after, "prev_hash": prev,
            }  # fmt: skip
            prev = entry_hash(entry)
            self._add(AuditEntry, row(AuditEntry, id=next(self.ids[AuditEntry]), **entry, hash=prev))
        self._add(AuditChain, row(AuditChain, key=key, seq=len(events), last_hash=prev, updated_at=events[-1][0]))

    @transaction.atomic
    def flush(self) -> None:
        for model in (Inspection, Process):
            insert(model, self.rows.get(model, []))
        insert_children(InspectionProcess, self.rows.get(InspectionProcess, []))
        for model in (Task, Task.previous.through, ReviewRound, AuditChain, AuditEntry):
            insert(model, self.rows.get(model, []))
        self.rows = {}
