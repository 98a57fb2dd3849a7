"""Reads of the executive dashboard: per provincial office, for one fiscal year (BE), inspections
planned vs done, compliance among closed cases, corrective orders in force, overdue tasks, budget
projects behind plan and disbursement against the year's quarterly target; summed up to clusters
and to the whole scope. Every read is narrowed through permissions.access and aggregated by office
in the database, so a page costs the same number of queries whatever the number of offices or cases.

Budget figures reuse workflows.budget (selectors.status_of / office_summary for disbursement, the
stored behind-plan flag of behind.py, plan.ended_quarters for the target that applies)."""

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, F, Func, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.calendar import fiscal_year, fiscal_year_bounds
from org.models import Unit, UnitKind
from permissions import access
from project.choices import label
from project.links import link
from workflows.budget import plan as budget_plan
from workflows.budget import selectors as budget
from workflows.budget.models import ProjectStatus, ReportStatus
from workflows.inspection.models import CorrectiveOrder, Inspection, OrderKind, OrderStatus, Outcome
from workflows.planning.models import PlanItem, PlanStatus
from workflows.processes import REFERENCE_FIELDS, case_links, of_offices, task_office

from . import summary

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
S37 = (OrderKind.S37_IMPROVE, OrderKind.S37_STOP)
COUNTED_PROJECTS = (ProjectStatus.APPROVED, ProjectStatus.CLOSED)
YEARS_BACK = 4  # the year picker offers the current fiscal year and this many before it

# --- figures ----------------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the dashboard shows of one office, or summed over several."""

    planned: int = 0  # plan items of the year's approved quarterly plans
    done: int = 0  # of those, inspections signed off
    signed_off: int = 0  # every inspection signed off in the year (plan, routine, complaint, follow-up)
    closed: int = 0  # cases closed in the year
    compliant: int = 0  # of those, found compliant
    open_cases: int = 0
    orders_s37: int = 0  # s.37 orders issued and not yet complied with
    orders_s39: int = 0
    orders_overdue: int = 0  # of those, past the deadline they set (today)
    answered: int = 0  # complaints answered in the year (the answer or rejection step done)
    answered_in_time: int = 0  # of those, by the step's due date (its service level, workflows.sla)
    overdue: int = 0  # open human tasks past their due date (Task.scheduled), now
    projects: int = 0  # approved or closed budget projects of the year
    behind: int = 0  # of those, flagged behind plan (workflows.budget.behind)
    allocation: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    reports_due: int = 0  # monthly progress reports of those projects due before today
    reports_late: int = 0  # of those, not sent by their due date (still unsent, or sent after it)

    def add(self, other: "Figures") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def done_pct(self) -> Decimal | None:
        return budget_plan.pct(self.done, self.planned) if self.planned else None

    @property
    def compliance_pct(self) -> Decimal | None:
        return budget_plan.pct(self.compliant, self.closed) if self.closed else None

    @property
    def disbursed_pct(self) -> Decimal | None:
        return budget_plan.pct(self.disbursed, self.allocation) if self.allocation else None

    @property
    def in_time_pct(self) -> Decimal | None:
        return budget_plan.pct(self.answered_in_time, self.answered) if self.answered else None

    @property
    def orders_open(self) -> int:
        return self.orders_s37 + self.orders_s39

    @property
    def is_empty(self) -> bool:
        """Nothing recorded for the year yet (a year just opened): no plan, inspection, closure,
        answered complaint or budget project. Orders in force and overdue tasks are as of now."""
        return not (self.planned or self.signed_off or self.closed or self.answered or self.projects)


@dataclass
class Row:
    unit: Unit
    figures: Figures
    url: str = ""
    offices: int = 1

    @property
    def label(self) -> str:
        """A cluster's name; an office by its province (the rows of a cluster page read "สงขลา")."""
        return self.unit.province.name if self.unit.province_id else self.unit.name


@dataclass
class Target:
    """The cabinet's cumulative disbursement target of the latest ended quarter of the year."""

    quarter: int | None = None
    pct: Decimal | None = None


@dataclass
class Board:
    fy: int
    today: date
    now: datetime
    rows: list[Row]
    total: Figures
    target: Target
    years: list[int] = field(default_factory=list)
    offices: list[tuple[Unit, Figures]] = field(default_factory=list)  # each office's own figures
    trends: "Trends | None" = None  # month by month, this year and the year before
    as_of: datetime | None = None  # the summaries hold every change committed before (summary.as_of)


def fy_bounds(fy: int) -> tuple[datetime, datetime]:
    """[start, end) of a fiscal year as aware datetimes (local midnight)."""
    first, last = fiscal_year_bounds(fy)
    tz = timezone.get_current_timezone()
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def years(today: date) -> list[int]:
    current = fiscal_year(today)
    return list(range(current, current - YEARS_BACK - 1, -1))


def target_for(fy: int, today: date, targets=False) -> Target:
    """`targets`: the year's FiscalYearTarget (or None) when read already (with_summary)."""
    targets = budget.targets_for(fy) if targets is False else targets
    ended = budget_plan.ended_quarters(fy, today)
    if targets is None or not ended:
        return Target()
    return Target(ended[-1], targets.target(ended[-1]))


STATE_FIELDS = ("open_cases", "orders_s37", "orders_s39", "order_deadlines", "task_dues")


def with_summary(offices: QuerySet[Unit], fy: int) -> QuerySet[Unit]:
    """The offices each with its state summary (`state_open_cases` …, None without a row) and the year's
    disbursement targets (`target_q1` …) read in the same query: the office page reads them with its
    office (summary_state, year_targets)."""
    from workflows.budget.models import FiscalYearTarget

    from .models import OfficeState

    state = OfficeState.objects.filter(office=OuterRef("pk"))
    targets = FiscalYearTarget.objects.filter(fiscal_year=fy)
    return offices.annotate(
        **{f"state_{name}": Subquery(state.values(name)[:1], output_field=OfficeState._meta.get_field(name))
           for name in STATE_FIELDS},
        **{f"target_q{q}": Subquery(targets.values(f"q{q}")[:1]) for q in range(1, 5)},
    )  # fmt: skip


def summary_state(office: Unit):
    """The OfficeState read with the office by with_summary (zeros without a row)."""
    from .models import OfficeState

    values = {name: getattr(office, f"state_{name}") for name in STATE_FIELDS}
    if values["open_cases"] is None:
        return OfficeState(office_id=office.pk)
    return OfficeState(office_id=office.pk, **values)


def year_targets(office: Unit, fy: int):
    """The FiscalYearTarget read with the office by with_summary (None when the year has none)."""
    from workflows.budget.models import FiscalYearTarget

    quarters = [getattr(office, f"target_q{q}") for q in range(1, 5)]
    if quarters[0] is None:
        return None
    return FiscalYearTarget(fiscal_year=fy, q1=quarters[0], q2=quarters[1], q3=quarters[2], q4=quarters[3])


def open_tasks() -> QuerySet:
    return Task.objects.filter(status__in=OPEN, flow_task_type="HUMAN").annotate(office_id=task_office())


def office_open_tasks(office_id: int) -> QuerySet:
    """The open human tasks of one office, found from its open cases' processes
    (workflows.processes.of_offices), not through open_tasks()'s joins over every open task."""
    return Task.objects.filter(of_offices([office_id], open_cases=True), status__in=OPEN, flow_task_type="HUMAN")


MONTHLY = ("opened", "signed_off", "closed", "compliant", "orders_issued", "complaints", "answered",
           "answered_in_time", "planned", "plan_done")  # fmt: skip


@dataclass
class Trends:
    """Month by month (1 = October) over the offices read: {field: {fiscal year: [12 counts]}}."""

    fy: int
    series: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    def add(self, fy: int, month: int, values: dict) -> None:
        for name in MONTHLY:
            self.series.setdefault(name, {}).setdefault(fy, [0] * 12)[month - 1] += values[name]

    def of(self, name: str, fy: int) -> list[int]:
        return self.series.get(name, {}).get(fy, [0] * 12)


def figures_by_office(
    user,
    fy: int,
    office_ids: Iterable[int],
    *,
    now: datetime,
    trends: Trends | None = None,
    projects: dict[int, list] | None = None,
    states: list | None = None,
) -> dict[int, Figures]:
    """Figures of each office in `office_ids` the user may see, read from the summary tables that the
    services keep (dashboards.summary): three statements whatever the number of offices or cases — the
    months of the year (and of the year before, summed into `trends` if given), the offices' state (its
    open tasks by due instant: those past due at `now` counted) and their budget. `projects`, if given,
    gets each office's project rows (summary.ProjectRow); `states`: the offices' OfficeState rows when
    read already (summary_state, with their open tasks by due instant and owner).
    An office outside the person's scope counts nothing."""
    from .models import OfficeBudget, OfficeMonth, OfficeState

    ids = sorted(set(office_ids))
    result = {pk: Figures() for pk in ids}
    scope = access.scope_of(user)
    visible_ids = [pk for pk in ids if scope.covers(access.ACTIONS["view"], pk)]
    if not visible_ids:
        return result
    today = timezone.localdate(now)
    years = [fy, fy - 1] if trends is not None else [fy]
    rows = OfficeMonth.objects.filter(office__in=visible_ids, fiscal_year__in=years).values(
        "office", "fiscal_year", "month", *MONTHLY
    )
    for row in rows:
        if trends is not None:
            trends.add(row["fiscal_year"], row["month"], row)
        if row["fiscal_year"] != fy:
            continue
        figures = result[row["office"]]
        figures.signed_off += row["signed_off"]
        figures.closed += row["closed"]
        figures.compliant += row["compliant"]
        figures.answered += row["answered"]
        figures.answered_in_time += row["answered_in_time"]
        figures.planned += row["planned"]
        figures.done += row["plan_done"]
    if states is None:
        states = OfficeState.objects.filter(office__in=visible_ids)
    for state in states:
        if state.office_id not in visible_ids:
            continue
        figures = result[state.office_id]
        figures.open_cases = state.open_cases
        figures.orders_s37, figures.orders_s39 = state.orders_s37, state.orders_s39
        figures.orders_overdue = summary.overdue_orders(state.order_deadlines, today)
        figures.overdue = summary.overdue_tasks(state.task_dues, now)
    for row in OfficeBudget.objects.filter(office__in=visible_ids, fiscal_year=fy):
        figures = result[row.office_id]
        if projects is not None:
            projects[row.office_id] = summary.project_rows(row.rows)
        figures.projects, figures.behind = row.projects, row.behind
        figures.allocation, figures.disbursed = row.allocation, row.disbursed
        figures.reports_due, figures.reports_late = summary.late_reports(row.reports, today)
    return result


def counted_figures(
    user,
    fy: int,
    office_ids: Iterable[int],
    *,
    now: datetime,
    statuses: dict[int, list] | None = None,
    overdue: bool = True,
) -> dict[int, Figures]:
    """Figures of each office in `office_ids` the user may see counted from the cases themselves (what
    the summary tables must always equal; the tests compare them); a fixed number of queries;
    `statuses`: the offices' project_statuses when the caller has read them already; `overdue=False`
    leaves the overdue tasks uncounted (the briefing counts its overdue_work list instead)."""
    ids = sorted(set(office_ids))
    result = {pk: Figures() for pk in ids}
    if not ids:
        return result
    start, end = fy_bounds(fy)

    items = access.visible(user, PlanItem.objects.all(), office_field="plan__office").filter(
        plan__office__in=ids, plan__fiscal_year=fy, plan__status=PlanStatus.APPROVED
    )
    for row in (
        items.values("plan__office")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(inspection__signed_off_at__isnull=False)))
        .order_by()
    ):
        figures = result[row["plan__office"]]
        figures.planned, figures.done = row["planned"], row["done"]

    in_year = Q(closed_at__gte=start, closed_at__lt=end)
    signed = Q(signed_off_at__gte=start, signed_off_at__lt=end)
    cases = access.visible(user, Inspection.objects.all()).filter(office__in=ids)
    for row in (
        cases.filter(in_year | signed | Q(closed_at__isnull=True))
        .values("office")
        .annotate(
            signed_off=Count("pk", filter=signed),
            closed=Count("pk", filter=in_year),
            compliant=Count("pk", filter=in_year & Q(outcome=Outcome.COMPLIANT)),
            open_cases=Count("pk", filter=Q(closed_at__isnull=True)),
        )
        .order_by()
    ):
        figures = result[row["office"]]
        figures.signed_off, figures.closed = row["signed_off"], row["closed"]
        figures.compliant, figures.open_cases = row["compliant"], row["open_cases"]

    orders = access.visible(user, CorrectiveOrder.objects.all(), office_field="inspection__office")
    for row in (
        orders.filter(inspection__office__in=ids, status=OrderStatus.ISSUED)
        .values("inspection__office")
        .annotate(
            s37=Count("pk", filter=Q(kind__in=S37)),
            s39=Count("pk", filter=Q(kind=OrderKind.S39_CLOSE)),
            late=Count("pk", filter=Q(deadline__lt=timezone.localdate(now))),
        )
        .order_by()
    ):
        figures = result[row["inspection__office"]]
        figures.orders_s37, figures.orders_s39, figures.orders_overdue = row["s37"], row["s39"], row["late"]

    for row in answers(user, ids, start, end):
        figures = result[row["office"]]
        figures.answered, figures.answered_in_time = row["answered"], row["in_time"]

    visible_ids = [pk for pk in ids if access.scope_of(user).covers(access.ACTIONS["view"], pk)]
    late_tasks = open_tasks().filter(office_id__in=visible_ids if overdue else [], scheduled__lt=now)
    for row in late_tasks.values("office_id").annotate(n=Count("pk")).order_by():  # no query when []
        result[row["office_id"]].overdue = row["n"]

    if statuses is None:
        statuses = project_statuses(user, fy, ids)
    for office_id, office_statuses in statuses.items():
        summary = budget.office_summary(office_statuses)
        figures = result[office_id]
        figures.projects, figures.behind = len(office_statuses), summary["behind"]
        figures.allocation, figures.disbursed = summary["allocation"], summary["disbursed"]
        figures.reports_due, figures.reports_late = late_reports(office_statuses, timezone.localdate(now))
    return result


COMPLAINT_OFFICE = "process__complaintprocess__complaint__office"


def answers(user, office_ids: list[int], start: datetime, end: datetime):
    """Per office, complaints answered in [start, end) (their answer or rejection step done then) and
    how many of them by the step's due date (one query)."""
    from workflows.complaint.flows import ComplaintFlow

    steps = access.visible(user, Task.objects.all(), office_field=COMPLAINT_OFFICE).filter(
        **{f"{COMPLAINT_OFFICE}__in": office_ids},
        flow_task__in=[ComplaintFlow.answer, ComplaintFlow.answer_rejection],
        status=STATUS.DONE, finished__gte=start, finished__lt=end,
    )  # fmt: skip
    in_time = Q(scheduled__isnull=True) | Q(finished__lte=F("scheduled"))
    return (
        steps.values(office=F(COMPLAINT_OFFICE))
        .annotate(answered=Count("pk"), in_time=Count("pk", filter=in_time))
        .order_by()
    )


LATE_STATUSES = (ReportStatus.DUE, ReportStatus.RETURNED)


def late_reports(statuses: list, today: date) -> tuple[int, int]:
    """(due, late) monthly progress reports of the projects (prefetched by project_statuses): due
    before today; late when still not sent (due or returned) or first sent after the due date."""
    due = late = 0
    for status in statuses:
        for report in status.project.reports.all():
            if report.due_on >= today:
                continue
            due += 1
            sent_on = timezone.localdate(report.submitted_at) if report.submitted_at else None
            if report.status in LATE_STATUSES or (sent_on is not None and sent_on > report.due_on):
                late += 1
    return due, late


# What budget.status_of and late_reports read of a project (budget.with_details also loads its KPIs,
# which no dashboard shows: one statement less per page).
STATUS_NEEDS = ("lines", "plan", "reports")


def project_statuses(user, fy: int, office_ids: Iterable[int]) -> dict[int, list]:
    """Plan vs result (budget.selectors.status_of) of each office's approved or closed projects; whether
    one is behind plan is the flag the daily check (workflows.budget.behind) stored on it."""
    projects = (
        budget.visible_projects(user)
        .filter(office__in=sorted(office_ids), fiscal_year=fy, status__in=COUNTED_PROJECTS)
        .prefetch_related(*STATUS_NEEDS)
        .order_by("office__name_th", "code")
    )
    by_office: dict[int, list] = {}
    for project in projects:
        by_office.setdefault(project.office_id, []).append(budget.status_of(project))
    return by_office


# --- the three levels ---------------------------------------------------------------------------------


def _board(user, fy: int, offices: list[Unit], group_by_cluster: bool) -> Board:
    today, now = timezone.localdate(), timezone.now()
    trends = Trends(fy)
    by_office = figures_by_office(user, fy, [o.pk for o in offices], now=now, trends=trends)
    total = Figures()
    rows: list[Row] = []
    if group_by_cluster:
        clusters: dict[int, Row] = {}
        for office in offices:
            cluster = office.parent
            row = clusters.get(cluster.pk)
            if row is None:
                url = link("dashboards:cluster", cluster.pk)
                row = clusters[cluster.pk] = Row(cluster, Figures(), url, 0)
            row.figures.add(by_office[office.pk])
            row.offices += 1
        rows = sorted(clusters.values(), key=lambda r: r.unit.code)
    else:
        rows = [Row(o, by_office[o.pk], link("dashboards:office", o.pk)) for o in offices]
    for row in rows:
        total.add(row.figures)
    per_office = [(o, by_office[o.pk]) for o in offices]
    target = target_for(fy, today)
    return Board(fy, today, now, rows, total, target, years(today), per_office, trends, summary.as_of())


def visible_offices(user) -> QuerySet[Unit]:
    return access.visible_offices(user).select_related("parent", "province").order_by("name_th")


def ministry_board(user, fy: int, offices: list[Unit] | None = None) -> Board:
    """One row per cluster with offices the user may see (only those offices counted in it);
    `offices`: visible_offices(user) when the caller has listed them already."""
    offices = list(visible_offices(user)) if offices is None else offices
    return _board(user, fy, offices, group_by_cluster=True)


def cluster_offices(user, cluster_id: int) -> list[Unit]:
    """The offices of a cluster the user may see (none: not a cluster of theirs), one query."""
    return list(visible_offices(user).filter(parent_id=cluster_id, parent__kind=UnitKind.CLUSTER))


def cluster_board(user, fy: int, cluster: Unit, offices: list[Unit] | None = None) -> Board:
    offices = cluster_offices(user, cluster.pk) if offices is None else offices
    return _board(user, fy, offices, group_by_cluster=False)


# --- one office -----------------------------------------------------------------------------------------


@dataclass
class Officer:
    person: object
    titles: list[str]
    open_tasks: int = 0
    overdue: int = 0
    open_cases: int = 0
    signed_off: int = 0


def office_tasks(office: Unit, now: datetime) -> dict[int | None, tuple[int, int]]:
    """{owner (None: in a queue): (open human tasks of the office, of those past their due date)}, one
    query: the officers' columns and the office's overdue figure from the same read. The tasks are found
    from the office's processes (workflows.processes.of_offices), not by task_office() over every open task:
    3.7 s → 0.07 s at 200,000 cases on SQLite (make bench FACTORIES=30000 CASES=200000 INBOX=50000)."""
    rows = (
        office_open_tasks(office.pk)
        .values("owner")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(scheduled__lt=now)))
        .order_by()
    )
    return {row["owner"]: (row["n"], row["late"]) for row in rows}


def officers(office: Unit, fy: int, *, today: date, now: datetime, tasks: dict | None = None) -> list[Officer]:
    """The people holding (or acting for) a position in the office or its groups today, each with
    their open and overdue tasks of the office (`tasks`: office_tasks when read already) and their
    cases open and signed off in the year: one query (the holders and the acting, each row with its
    person's cases counted), two without `tasks`."""
    from org.filling import signature
    from org.models import ActingAssignment, Holding, Person

    start, end = fy_bounds(fy)
    theirs = Inspection.objects.filter(office=office, inspector=OuterRef("person")).order_by().values("inspector")
    counts = {
        "open_cases": Coalesce(Subquery(theirs.filter(closed_at__isnull=True).annotate(n=Count("pk")).values("n")), 0),
        "signed": Coalesce(Subquery(theirs.filter(signed_off_at__gte=start, signed_off_at__lt=end)
                                    .annotate(n=Count("pk")).values("n")), 0),
    }  # fmt: skip
    columns = ("person_id", "person__title_th", "person__first_name", "person__last_name", "person__username",
               "position__title_th")  # fmt: skip
    where = Q(position__unit=office) | Q(position__unit__parent=office)
    held = Holding.objects.active_on(today).filter(where).order_by()
    acting = ActingAssignment.objects.active_on(today).filter(where).order_by()
    rows = held.values(*columns, acting_kind=Value("", CharField()), **counts).union(
        acting.values(*columns, acting_kind=F("kind"), **counts), all=True
    )
    people: dict[int, Officer] = {}
    for row in rows:
        officer = people.get(row["person_id"])
        if officer is None:
            person = Person(pk=row["person_id"], title_th=row["person__title_th"], username=row["person__username"],
                            first_name=row["person__first_name"], last_name=row["person__last_name"])  # fmt: skip
            officer = people[person.pk] = Officer(person, [], open_cases=row["open_cases"], signed_off=row["signed"])
        officer.titles.append(signature(row["position__title_th"], row["acting_kind"]))
    tasks = office_tasks(office, now) if tasks is None else tasks
    for owner, (n, late) in tasks.items():
        if owner in people:
            people[owner].open_tasks, people[owner].overdue = n, late
    return sorted(people.values(), key=lambda o: (-o.overdue, -o.open_tasks, o.person.first_name))


CASE_PAGE = 50  # the office page's case table, a page at a time (?page=): a few phone screens
CASE_EXPORT = 200  # the Excel sheet: the newest 200
# What a case row of the office page and its Excel sheet shows: 16 columns instead of 58 (the factories'
# and inspectors' whole rows), read, sent and made into objects 200 rows at a time.
CASE_COLUMNS = ("ref_no", "reason", "outcome", "created_at", "closed_at", "office_id", "factory__name",
                *(f"inspector__{name}" for name in ("title_th", "first_name", "last_name", "username")))  # fmt: skip


def office_cases(user, office: Unit, fy: int) -> QuerySet[Inspection]:
    """The office's cases opened in the year or still open (those the person may see)."""
    start, end = fy_bounds(fy)
    return access.visible(user, Inspection.objects.filter(office=office)).filter(
        Q(created_at__gte=start, created_at__lt=end) | Q(closed_at__isnull=True)
    )


def case_rows(cases: QuerySet[Inspection], limit: int, offset: int = 0) -> list[Inspection]:
    """`limit` of `cases`, newest first, from the `offset`th, each with the due date of its earliest open
    task, the kind of its order in force and, as `total`, how many `cases` there are. The rows are chosen
    first (their ids, by the cases' own columns) and only those joined and given their subqueries: SQLite
    computed every column of all of them before sorting (14,516 cases of the busiest office, 129 ms at
    1,000,000)."""
    due = (
        Task.objects.filter(process__inspectionprocess__inspection=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("process__inspectionprocess__inspection")
        .annotate(due=Min("scheduled"))
        .values("due")
    )
    order = CorrectiveOrder.objects.filter(inspection=OuterRef("pk"), status=OrderStatus.ISSUED).order_by("-pk")
    # The count with the rows, from the cases alone (not a window over the rows joined to their
    # factories), and without a GROUP BY: grouped by office, SQLite read the office's every case through
    # an index in office order (76,320 rows, 110 ms at 1,000,000) instead of the two it filters by (2 ms).
    counted = cases.order_by().annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")
    newest = cases.order_by("-created_at", "-pk").values("pk")[offset : offset + limit]
    return list(
        Inspection.objects.filter(pk__in=newest)
        .select_related("factory", "inspector")
        .only(*CASE_COLUMNS)
        .annotate(due=Subquery(due), order_in_force=Subquery(order.values("kind")[:1]), total=Subquery(counted))
        .order_by("-created_at", "-pk")
    )


@dataclass
class OfficeBoard:
    board: Board
    office: Unit
    figures: Figures
    officers: list[Officer]
    cases: list[Inspection]
    case_count: int
    projects: list
    officer: Officer | None = None
    case_page: int = 1
    case_offset: int = 0

    @property
    def case_pages(self) -> int:
        return max(1, -(-self.case_count // CASE_PAGE))


def office_board(user, fy: int, office: Unit, *, officer_id: int | None = None, page: int | None = 1) -> OfficeBoard:
    """An office's figures, its people's work and its cases (only one officer's with `officer_id`): the
    `page`th CASE_PAGE of them, or with `page` None the newest CASE_EXPORT (the Excel sheet)."""
    today, now = timezone.localdate(), timezone.now()
    trends, projects = Trends(fy), {}
    read_with_office = hasattr(office, "state_open_cases")  # with_summary
    states = [summary_state(office)] if read_with_office else None
    figures = figures_by_office(user, fy, [office.pk], now=now, trends=trends, projects=projects, states=states)[
        office.pk
    ]
    # The officers' open and overdue tasks from the summary read with the office; counted from the
    # office's open tasks (59 ms at 1,000,000 cases on PostgreSQL) only where it has not kept them yet.
    tasks = summary.owner_tasks(states[0].task_dues, now) if read_with_office else None
    if tasks is None:
        tasks = office_tasks(office, now)
        figures.overdue = sum(late for _n, late in tasks.values())
    cases = office_cases(user, office, fy)
    if officer_id is not None:
        cases = cases.filter(inspector_id=officer_id)
    limit, offset = (CASE_EXPORT, 0) if page is None else (CASE_PAGE, (page - 1) * CASE_PAGE)
    rows = case_rows(cases, limit, offset)
    # The labels from project.choices: get_FOO_display() rebuilds the field's choices on every call.
    reason, outcome = (Inspection._meta.get_field(name) for name in ("reason", "outcome"))
    for case in rows:  # days as a person reads them (local dates), and whether the case is late
        case.url = link("inspection:case", case.pk)
        case.overdue = case.due is not None and case.due < now
        case.due_on = timezone.localdate(case.due) if case.due else None
        case.opened_on = timezone.localdate(case.created_at)
        case.reason_label = label(reason, case.reason)
        case.outcome_label = label(outcome, case.outcome or "")
    target = target_for(fy, today, year_targets(office, fy) if read_with_office else False)
    board = Board(fy, today, now, [], figures, target, years(today), trends=trends, as_of=summary.as_of())
    people = officers(office, fy, today=today, now=now, tasks=tasks)
    return OfficeBoard(
        board=board, office=office, figures=figures, officers=people, cases=rows,
        case_count=rows[0].total if rows else 0,
        projects=projects.get(office.pk, []),
        officer=next((o for o in people if o.person.pk == officer_id), None),
        case_page=page or 1, case_offset=offset,
    )  # fmt: skip


@dataclass
class OverdueTask:
    """An open human task of the office past its due date, with the case it belongs to."""

    task: Task
    reference: str  # the case's number (workflows.processes.REFERENCE_FIELDS)
    due_on: date

    @property
    def step(self) -> str:
        return str(getattr(self.task.flow_task, "task_title", "") or self.task.flow_task.name)


def case_reference_expression():
    """The number of a task's case, whichever flow it is part of (one LEFT JOIN chain per process
    kind, like workflows.processes.task_office)."""
    paths = []
    for model, (accessor, name) in case_links().items():
        case_model = model._meta.get_field(name).related_model
        for ref in REFERENCE_FIELDS:
            if any(f.name == ref for f in case_model._meta.get_fields()):
                paths.append(Cast(F(f"process__{accessor}__{name}__{ref}"), CharField()))
                break
    return Coalesce(*paths, Value(""), output_field=CharField())


@dataclass
class OverdueWork:
    count: int  # every open human task of the office past due
    rows: list[OverdueTask]  # the longest overdue of them
    # {owner (None: in a queue): (open human tasks, of those past due)}, as office_tasks counts them
    owners: dict = field(default_factory=dict)


def overdue_work(user, office: Unit, now: datetime, limit: int | None = None) -> OverdueWork:
    """The open human tasks of the office past their due date, whichever flow they are part of (an
    order's follow-up or approval, a complaint, a budget report): how many, and the `limit` (by default
    BRIEFING_OVERDUE_ROWS) longest overdue with their cases' numbers — one selector, so the briefing's
    figure and its list never disagree. Two queries: the due dates of the office's open tasks, found
    from its open cases' processes and sorted here (a database sorting them by due date walks every
    task of the ministry by its due index: 1.5 s at 1,000,000 cases), then the rows shown."""
    if not access.scope_of(user).covers(access.ACTIONS["view"], office.pk):
        return OverdueWork(0, [])
    late, owners = [], {}
    for pk, owner, due in office_open_tasks(office.pk).values_list("pk", "owner", "scheduled"):
        overdue = due is not None and due < now
        if overdue:
            late.append((due, pk))
        n, m = owners.get(owner, (0, 0))
        owners[owner] = (n + 1, m + overdue)
    late.sort()
    shown = [pk for _due, pk in late[: limit or BRIEFING_OVERDUE_ROWS]]
    rows = (
        Task.objects.filter(pk__in=shown)
        .annotate(reference=case_reference_expression())
        .select_related("owner")
        .order_by("scheduled", "pk")
    )
    return OverdueWork(len(late), [OverdueTask(t, t.reference, timezone.localdate(t.scheduled)) for t in rows], owners)


BRIEFING_OVERDUE_ROWS = 40  # about a page: the longest overdue first, the rest counted (an office had 29 pages)


def briefing(user, fy: int, office: Unit) -> dict:
    """The visit briefing of an office: its figures, projects with why they are behind, its people's
    overdue work, its orders in force and open directives. The overdue figure is the number of rows of
    the overdue work (one selector, overdue_work), which lists the BRIEFING_OVERDUE_ROWS longest
    overdue; the briefing says how many more there are."""
    today, now = timezone.localdate(), timezone.now()
    statuses = project_statuses(user, fy, [office.pk])
    figures = figures_by_office(user, fy, [office.pk], now=now)[office.pk]
    overdue = overdue_work(user, office, now)
    figures.overdue = overdue.count
    orders = list(
        access.visible(user, CorrectiveOrder.objects.all(), office_field="inspection__office")
        .filter(inspection__office=office, status=OrderStatus.ISSUED)
        .select_related("inspection__factory")
        .order_by("deadline", "pk")
    )
    projects = statuses.get(office.pk, [])
    return {
        "office": office, "fy": fy, "today": today, "figures": figures,
        "target": target_for(fy, today), "projects": projects,
        "officers": officers(office, fy, today=today, now=now, tasks=overdue.owners),
        "overdue_shown": overdue.rows, "overdue_more": overdue.count - len(overdue.rows), "orders": orders,
        "directives": list(budget.open_directives(user=user, office=office)),
        "budget_total": budget.office_summary(projects),
    }  # fmt: skip


def visible_clusters(user) -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.CLUSTER, children__in=access.visible_offices(user)).distinct()
