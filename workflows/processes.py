"""What every Kamkap process model knows about its case: which foreign key holds it and what the
flow reads of it, read once per process object (`process.case`)."""

from functools import cache

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from project.prepared import Prepared


class CaseProcess:
    """Mixin of a Viewflow process model: `case_field` names the foreign key to the case the process
    is about, `case_related` what the flow reads from that case (its office, its assignee, …)."""

    case_field = ""
    case_related: tuple[str, ...] = ()
    case_office_path = "office"  # from the case to the office it belongs to
    # A lookup true of the cases whose process may still hold an open task, where a closed case's process
    # has ended (its open tasks are then found among the open cases only); "" where none says so.
    case_open = ""

    @property
    def case_office(self):
        """The office of the case (e.g. a progress report's project's office)."""
        *path, last = self.case_office_path.split("__")
        return getattr(self._along(path), last, None)

    @property
    def owning_office_id(self) -> int | None:
        """The office the process belongs to, as permissions.access asks it (no query once the case
        is loaded)."""
        if getattr(self, self._meta.get_field(self.case_field).attname) is None:
            return None
        *path, last = self.case_office_path.split("__")
        return getattr(self._along(path), f"{last}_id", None)

    def _along(self, path: list[str]):
        found = self.case
        for name in path:
            found = getattr(found, name, None)
        return found

    @cached_property
    def case(self):
        """The case with what the flow reads of it, in one query; task pages and services work on this
        object, so the flow's assignment functions and predicates see what the service just changed."""
        field = self._meta.get_field(self.case_field)
        if field.is_cached(self):
            return getattr(self, self.case_field)
        case = _case_query(type(self)).one(getattr(self, field.attname))
        if case is None:
            raise field.related_model.DoesNotExist(f"No case {getattr(self, field.attname)} of {self}")
        field.set_cached_value(self, case)  # `process.inspection` (the field itself) is the same object
        return case

    @classmethod
    def case_annotations(cls, pk: str = "pk") -> dict:
        """Figures of the case the flow's services read, loaded with the case (no query of their own).
        `pk`: the path to the case's key from the model of the query they annotate."""
        return {}

    @classmethod
    def case_figures(cls, pk: str = "pk") -> dict:
        """`case_annotations` and the head of the case's audit chain (workflows.audit.head_of), so that
        the first entry a completion writes does not read the head again. `pk`: as `case_annotations`'s
        (a task's query: workflows.engine loads the case with the task it locks)."""
        from .audit import head_of

        model = cls._meta.get_field(cls.case_field).related_model
        return {**cls.case_annotations(pk), "audit_head": head_of(model, pk)}


@cache
def _case_query(process_class) -> Prepared:
    """The query of `process_class.case` by the case's key, compiled once per process class
    (project.prepared): a fifth of a chain's ORM time was building it anew for every completion."""
    model = process_class._meta.get_field(process_class.case_field).related_model
    cases = model.objects.select_related(*process_class.case_related).annotate(**process_class.case_figures())
    return Prepared(lambda pk: cases.filter(pk=pk), int)


REFERENCE_FIELDS = ("ref_no", "tracking_no", "code")  # a case's own number, where it has one


def case_reference(case) -> str:
    """How people name a case: its number, tracking number or code."""
    for name in REFERENCE_FIELDS:
        value = getattr(case, name, "")
        if value:
            return str(value)
    return str(case)


@cache
def case_links() -> dict[type, tuple[str, str]]:
    """{process model: (accessor from Viewflow's Process, the field holding its case)} of every flow."""
    from django.apps import apps
    from viewflow.workflow.models import Process

    links = {}
    for model in apps.get_models():
        if issubclass(model, CaseProcess) and issubclass(model, Process) and model is not Process:
            links[model] = (model._meta.parents[Process].remote_field.get_accessor_name(), model.case_field)
    return links


def task_office():
    """An expression for the office of a task's case, whichever flow it is part of (one LEFT JOIN
    chain per process kind)."""
    paths = [
        F(f"process__{accessor}__{field}__{model.case_office_path}")
        for model, (accessor, field) in case_links().items()
    ]
    return Coalesce(*paths)


def of_offices(office_ids, *, open_cases: bool = False) -> Q:
    """Tasks of the cases of `office_ids`, whichever flow: the task's process among each flow's processes
    of those offices (a subquery per flow, through its case's office index), so that a filter by office
    reads the offices' processes instead of every open task through task_office()'s LEFT JOIN chains.
    `open_cases`: of their open cases only where a closed case's process has ended (`case_open`), for
    open tasks: an office's open inspections are a tenth of its cases (7,605 of 76,258 in the
    benchmark's busiest office at 1,000,000 cases)."""
    found = []
    for model, (_accessor, field) in case_links().items():
        processes = model.objects.filter(**{f"{field}__{model.case_office_path}__in": office_ids})
        if open_cases and model.case_open:
            processes = processes.filter(**{f"{field}__{model.case_open}": True})
        found.append(processes.order_by().values("pk"))
    # one UNION ALL, not an OR of subqueries: the database joins the tasks to the processes found (by the
    # task's process index) instead of testing every open task against each flow's processes
    return Q(process_id__in=found[0].union(*found[1:], all=True))
