"""Keeps the dashboard's summary tables (dashboards.models) equal to the cases they count.

One hook: every service that changes a case, complaint, plan or project writes its audit entry
(workflows.audit.record / record_many), and that calls `touch(subject, ...)`. `touch` writes, in the
change's own transaction, which buckets the change touched (a StaleBucket row per office-year: one
INSERT, none for a key already marked by the same transaction, none for a step that moves no figure,
NO_FIGURE); the request recomputes nothing. `settle()` (the Celery task
dashboards.tasks.refresh_summaries, every SETTLE_SECONDS from beat) recomputes each marked bucket whole
from the cases — the office's twelve months of the fiscal years concerned, its state as of now and its
budget of the year — then deletes the marks it read. Recomputing from rows is idempotent, and two
workers do not take the same marks (FOR UPDATE SKIP LOCKED; each office's recomputes wait for each
other on its state row), so a mark delivered twice or two workers at once give the same rows. A
rolled-back change leaves no mark. With Celery eager (no worker: the embedded demo, the tests) the
marks are settled in the process once the change commits. `rebuild()` (`manage.py rebuild_dashboards`)
recomputes every bucket, for data written around the services (imports, fixtures, repairs).

The figures are thus as of the worker's last pass (`as_of()`, shown on the dashboards): seconds old.

The open human tasks of an office are kept by their due instants (OfficeState.task_dues) and those past
due counted on read, as the orders and progress reports past their deadline are (counted on read from the
deadlines kept in the summary). Most steps (an assignment, a review) move no other figure and write no
mark, so that a completion stays within its statements: every completion creates the next task of its
process (its end included), and the pass recounts the offices of the tasks created since its last read
of the task table (`scan_tasks`, from a watermark of task ids), and the first pass of a day recounts
every office's (they are kept to the instant for two days). A due date moved or a case moved to another
office is audited and marked as any change. Not seen until that daily recount: a task cancelled by
Viewflow's own cancel action (no new task, no audit)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from org.calendar import fiscal_year, fiscal_year_bounds

# What the summaries count: a change audited on anything else (a factory, a person) touches nothing.
COUNTED = {"inspection.Inspection", "complaint.Complaint", "planning.InspectionPlan", "budget.Project"}

# Audited steps that move no summarised figure (no office, date, outcome, order or plan changes): no
# mark, no statement. A step that moves the case to another office is marked whatever its action.
NO_FIGURE = frozenset({"case.assign", "case.answers", "case.evidence", "case.signature", "case.submit",
                       "review.approve", "review.return", "document.sign"})  # fmt: skip
SETTLE_SECONDS = 10  # how often beat runs the refresh (project.settings CELERY_BEAT_SCHEDULE)
SETTLED_KEY = "dashboards:settled_at"  # when the last pass began (the figures hold every change before it)
# A task id below the watermark not seen yet is read again by the passes until this many ids are created
# after it: a transaction open that long has been rolled back (a completion's lasts a fraction of a second).
GAP_SPAN = 10_000

# workflows.audit imports this module (its one hook): the workflow models are imported where used,
# so that importing it imports no service.
MONTH_FIELDS = ("opened", "signed_off", "closed", "compliant", "orders_issued", "complaints", "answered",
                "answered_in_time", "planned", "plan_done")  # fmt: skip


def fiscal_month(day: date) -> int:
    """1 for October … 12 for September."""
    return (day.month - 10) % 12 + 1


def _fy_of(value) -> int | None:
    if value is None:
        return None
    return fiscal_year(timezone.localdate(value) if isinstance(value, datetime) else value)


# --- marking: what a committed change touched ---------------------------------------------------------


@dataclass(frozen=True)
class Touched:
    office_id: int
    fiscal_years: frozenset[int]
    budget: bool  # a budget project: its office-year's budget summary only
    inspection_id: int | None = None  # a case: the fiscal year of its plan is recomputed too


class Batch:
    """The buckets one transaction marked (for marking each once), dropped with it on a rollback;
    once it commits, with Celery eager (no worker), the marks are settled in the process."""

    generation = 0  # settle() moves it on: a batch of an earlier generation has had its marks taken

    def __init__(self):
        # (office, fiscal year, budget, case) marked → the savepoints open when it was (a mark written
        # inside a savepoint since rolled back is gone: marked again)
        self.keys: dict[tuple, frozenset] = {}
        self.generation = Batch.generation
        self.done = False

    def __call__(self):
        self.done = True  # (a test's captured callbacks run before its transaction ends)
        if settings.CELERY_TASK_ALWAYS_EAGER:
            settle()


def _batch(savepoints: set) -> Batch | None:
    """The current transaction's Batch, registered on its commit when new (None in autocommit)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    batch = next(
        (f for sids, f, _robust in connection.run_on_commit
         if isinstance(f, Batch) and not f.done and f.generation == Batch.generation and sids <= savepoints),
        None,
    )  # fmt: skip
    if batch is None:
        batch = Batch()
        # robust: the change is committed whatever happens in the eager settle; a mark it left is taken
        # by the next pass
        transaction.on_commit(batch, robust=True)
    return batch


def touch(subject, before: dict | None = None, after: dict | None = None, action: str = "") -> None:
    """Note, in the current transaction, that `subject` (the audited case, complaint, plan or project)
    changed by `action`: one INSERT of the buckets not yet marked by this transaction, none when the
    step moves no figure (NO_FIGURE)."""
    marked(marks_of(subject, before, after, action))


def marks_of(subject, before: dict | None = None, after: dict | None = None, action: str = "") -> list:
    """`touch`'s StaleBucket rows, not yet written (noted as marked by the transaction): for a statement that
    writes them with others (workflows.audit.record's entry), which then calls `marked` with none left to write."""
    model = subject._meta.concrete_model._meta.label
    office_id = getattr(subject, "office_id", None)
    moved = any(isinstance(data.get("office"), int) for data in (before or {}, after or {}))
    if model not in COUNTED or office_id is None or (action in NO_FIGURE and not moved):
        return []  # no mark: the pass finds a step from the task it created
    years = {fiscal_year(timezone.localdate())}
    for name in ("created_at", "signed_off_at", "closed_at", "answered_at"):
        fy = _fy_of(getattr(subject, name, None))
        if fy:
            years.add(fy)
    if isinstance(getattr(subject, "fiscal_year", None), int):
        years.add(subject.fiscal_year)
    offices = {office_id}
    for data in (before or {}, after or {}):  # a case or complaint moved to another office
        if isinstance(data.get("office"), int):
            offices.add(data["office"])
    is_budget = model == "budget.Project"
    inspection_id = subject.pk if model == "inspection.Inspection" else None
    items = {Touched(office, frozenset(years), is_budget, inspection_id) for office in offices}
    savepoints = set(transaction.get_connection().savepoint_ids)
    batch = _batch(savepoints)
    keys = {(item.office_id, fy, item.budget, item.inspection_id) for item in items for fy in item.fiscal_years}
    if batch is not None:
        keys = {key for key in keys if key not in batch.keys or not batch.keys[key] <= savepoints}
        batch.keys.update(dict.fromkeys(keys, frozenset(savepoints)))
    return _rows(keys)


def marked(rows: list) -> None:
    """The rows of `marks_of` written (one INSERT) unless already; with Celery eager (no worker, no pass to
    come) the marks settled at once when no transaction is open, else at its commit (Batch)."""
    from .models import StaleBucket

    if rows := [row for row in rows if row.pk is None]:
        StaleBucket.objects.bulk_create(rows)
    if settings.CELERY_TASK_ALWAYS_EAGER and _batch(set(transaction.get_connection().savepoint_ids)) is None:
        settle()


def mark(keys) -> None:
    """One INSERT of a StaleBucket row per (office, fiscal year, budget, case) of `keys`."""
    from .models import StaleBucket

    if rows := _rows(keys):
        StaleBucket.objects.bulk_create(rows)


def _rows(keys) -> list:
    from .models import StaleBucket

    return [
        StaleBucket(office_id=office_id, fiscal_year=fy, budget=budget, inspection_id=case)
        for office_id, fy, budget, case in sorted(keys, key=lambda k: (k[0], k[1], k[2], k[3] or 0))
    ]


def _touched(marks) -> set[Touched]:
    years: dict[tuple, set[int]] = defaultdict(set)
    for m in marks:
        years[(m.office_id, m.budget, m.inspection_id)].add(m.fiscal_year)
    return {Touched(office, frozenset(fys), budget, case) for (office, budget, case), fys in years.items()}


def settle() -> int:
    """Mark the offices of the tasks created since the last pass (scan_tasks), recompute the buckets
    marked, office by office (a transaction each: its marks taken FOR UPDATE SKIP LOCKED, recomputed,
    deleted; new tasks alone recount the office's open tasks), recount the open tasks of the offices
    last counted on an earlier day (task_dues keeps today's and tomorrow's to the instant), and note when
    this pass began (`as_of`). Returns the number of offices recomputed. Safe to run twice at once or
    again."""
    from .models import OfficeState, StaleBucket

    began = timezone.now()
    Batch.generation += 1
    scan_tasks()
    done = set()
    for office_id in sorted(set(StaleBucket.objects.values_list("office_id", flat=True).distinct())):
        with transaction.atomic():
            marks = list(StaleBucket.objects.select_for_update(skip_locked=True).filter(office_id=office_id))
            if not marks:
                continue  # taken by another worker meanwhile
            counted = flush(_touched([m for m in marks if not m.tasks]))
            if office_id not in counted and any(m.tasks for m in marks):
                refresh_tasks(office_id)
            StaleBucket.objects.filter(pk__in=[m.pk for m in marks]).delete()
            done.add(office_id)
    today = timezone.localdate(began).isoformat()
    earlier = Q(task_dues__day__isnull=True) | ~Q(task_dues__day=today)  # (never counted, or on an earlier day)
    for office_id in OfficeState.objects.filter(earlier).order_by("pk").values_list("pk", flat=True):
        refresh_tasks(office_id)
        done.add(office_id)
    cache.set(SETTLED_KEY, began, None)
    return len(done)


def scan_tasks() -> int:
    """Mark (StaleBucket.tasks) the offices of the tasks created since the last pass read the task table:
    the ids above its watermark and those below it it had not seen (a transaction still open then, or
    rolled back), every office holding a summary when the table was never read. One short transaction;
    none when another worker's pass is reading (the watermark's row locked). The number of offices."""
    from viewflow.workflow.models import Task

    from workflows.processes import task_office

    from .models import OfficeState, StaleBucket, TaskWatermark

    try:
        with transaction.atomic():
            mark = TaskWatermark.objects.select_for_update(skip_locked=True).filter(pk=1).first()
            if mark is None:
                if TaskWatermark.objects.filter(pk=1).exists():
                    return 0  # another worker's pass reads it
                mark = TaskWatermark(pk=1)  # (written by the migration; gone from a flushed test database)
            if mark.last_id is None:
                offices = set(OfficeState.objects.values_list("office_id", flat=True))
                to_top(mark)
            else:
                rows = Task.objects.filter(Q(pk__gt=mark.last_id) | Q(pk__in=mark.gaps)).annotate(office=task_office())
                found = dict(rows.values_list("pk", "office"))
                top = max([mark.last_id, *found])
                missing = set(mark.gaps) | set(range(max(mark.last_id, top - GAP_SPAN) + 1, top + 1))
                mark.gaps = sorted(pk for pk in missing - found.keys() if pk > top - GAP_SPAN)
                mark.last_id = top
                offices = {office for office in found.values() if office is not None}
            mark.save()
            fy = fiscal_year(timezone.localdate())
            StaleBucket.objects.bulk_create(
                [StaleBucket(office_id=o, fiscal_year=fy, tasks=True) for o in sorted(offices)]
            )
    except IntegrityError:
        return 0  # another worker wrote the first watermark at the same time
    return len(offices)


def to_top(mark) -> None:
    """Move the watermark to the last task, the ids of the last GAP_SPAN not in the table kept as gaps (a
    transaction still open may commit them), with those it had."""
    from viewflow.workflow.models import Task

    top = Task.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    present = set(Task.objects.filter(pk__gt=top - GAP_SPAN).values_list("pk", flat=True))
    missing = set(mark.gaps or []) | set(range(max(top - GAP_SPAN, 0) + 1, top + 1))
    mark.gaps = sorted(pk for pk in missing - present if pk > top - GAP_SPAN)
    mark.last_id = top


def as_of() -> datetime | None:
    """When the figures were last brought up to date (every change committed before it is counted):
    the last pass of the worker, or now with Celery eager (settled at each commit); None when not known
    (no pass since the cache was emptied)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return timezone.now()
    return cache.get(SETTLED_KEY)


def flush(items) -> set[int]:
    """Recompute the buckets of `items` (Touched); the offices whose state (with their open tasks) it
    recomputed."""
    months: dict[int, set[int]] = defaultdict(set)
    budgets: dict[int, set[int]] = defaultdict(set)
    states: set[int] = set()
    cases = []
    for item in items:
        if item.budget:
            budgets[item.office_id] |= item.fiscal_years
            continue
        months[item.office_id] |= item.fiscal_years
        states.add(item.office_id)
        if item.inspection_id:
            cases.append(item.inspection_id)
    from workflows.planning.models import PlanItem

    if cases:  # a plan case signed off in a later year changes its plan's year
        plans = PlanItem.objects.filter(inspection__in=cases).values_list("plan__office", "plan__fiscal_year")
        for office_id, fy in plans:
            months[office_id].add(fy)
    for office_id, years in months.items():
        for fy in sorted(years):
            refresh_months(office_id, fy)
    for office_id in states:
        refresh_state(office_id)
    for office_id, years in budgets.items():
        for fy in sorted(years):
            refresh_budget(office_id, fy)
    return states


# --- recomputing one bucket ---------------------------------------------------------------------------


def _by_month(queryset, field: str, *, dates: bool = False, **counts) -> dict[int, dict]:
    """{fiscal month: {name: count}} of `queryset` grouped by the local month of `field` (a date field
    with `dates`)."""
    tz = None if dates else timezone.get_current_timezone()
    rows = queryset.annotate(m=TruncMonth(field, tzinfo=tz)).values("m").annotate(**counts).order_by()
    result = {}
    for row in rows:
        month = row.pop("m")
        day = timezone.localdate(month) if isinstance(month, datetime) else month
        result[fiscal_month(day)] = row
    return result


def month_counts(office_id: int, fy: int) -> dict[int, dict]:
    """{month 1..12: {field: count}} of one office's fiscal year, straight from the cases (6 statements)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.complaint.flows import ComplaintFlow
    from workflows.complaint.models import Complaint
    from workflows.inspection.models import CorrectiveOrder, Inspection, Outcome
    from workflows.planning.models import PlanItem, PlanStatus

    from .tracking import fy_bounds

    start, end = fy_bounds(fy)
    first, last = fiscal_year_bounds(fy)
    result = {m: dict.fromkeys(MONTH_FIELDS, 0) for m in range(1, 13)}

    def put(found: dict[int, dict]):
        for month, row in found.items():
            result[month].update(row)

    cases = Inspection.objects.filter(office=office_id)
    put(_by_month(cases.filter(created_at__gte=start, created_at__lt=end), "created_at", opened=Count("pk")))
    put(_by_month(cases.filter(signed_off_at__gte=start, signed_off_at__lt=end), "signed_off_at",
                  signed_off=Count("pk")))  # fmt: skip
    put(_by_month(cases.filter(closed_at__gte=start, closed_at__lt=end), "closed_at", closed=Count("pk"),
                  compliant=Count("pk", filter=Q(outcome=Outcome.COMPLIANT))))  # fmt: skip
    orders = CorrectiveOrder.objects.filter(inspection__office=office_id, issued_on__gte=first, issued_on__lte=last)
    put(_by_month(orders, "issued_on", dates=True, orders_issued=Count("pk")))
    complaints = Complaint.objects.filter(office=office_id, created_at__gte=start, created_at__lt=end)
    put(_by_month(complaints, "created_at", complaints=Count("pk")))
    steps = Task.objects.filter(
        process__complaintprocess__complaint__office=office_id,
        flow_task__in=[ComplaintFlow.answer, ComplaintFlow.answer_rejection],
        status=STATUS.DONE, finished__gte=start, finished__lt=end,
    )  # fmt: skip
    in_time = Q(scheduled__isnull=True) | Q(finished__lte=F("scheduled"))
    put(_by_month(steps, "finished", answered=Count("pk"), answered_in_time=Count("pk", filter=in_time)))
    items = PlanItem.objects.filter(plan__office=office_id, plan__fiscal_year=fy, plan__status=PlanStatus.APPROVED)
    for row in (
        items.values("plan__quarter")
        .annotate(planned=Count("pk"), plan_done=Count("pk", filter=Q(inspection__signed_off_at__isnull=False)))
        .order_by()
    ):
        result[3 * (row.pop("plan__quarter") - 1) + 1].update(row)
    return result


def _locked(office_id: int):
    """Recomputes of one office wait for each other (the office's state row locked), so that one that
    read older data never writes after one that read newer."""
    from .models import OfficeState

    OfficeState.objects.get_or_create(office_id=office_id)
    return OfficeState.objects.select_for_update().get(office_id=office_id)


def refresh_months(office_id: int, fy: int) -> None:
    from .models import OfficeMonth

    with transaction.atomic():
        _locked(office_id)
        counts = month_counts(office_id, fy)
        rows = [
            OfficeMonth(office_id=office_id, fiscal_year=fy, month=month, **values)
            for month, values in counts.items()
            if any(values.values())
        ]
        OfficeMonth.objects.filter(office_id=office_id, fiscal_year=fy).delete()
        OfficeMonth.objects.bulk_create(rows)


def state_of(office_id: int) -> dict:
    from workflows.inspection.models import CorrectiveOrder, Inspection, OrderKind, OrderStatus

    s37 = (OrderKind.S37_IMPROVE, OrderKind.S37_STOP)
    counts = Inspection.objects.filter(office=office_id).aggregate(
        cases=Count("pk"), open_cases=Count("pk", filter=Q(closed_at__isnull=True))
    )
    orders = CorrectiveOrder.objects.filter(inspection__office=office_id, status=OrderStatus.ISSUED)
    kinds = list(orders.values_list("kind", "deadline").order_by("deadline", "pk"))
    return {
        "cases": counts["cases"],
        "open_cases": counts["open_cases"],
        "orders_s37": sum(1 for kind, _d in kinds if kind in s37),
        "orders_s39": sum(1 for kind, _d in kinds if kind == OrderKind.S39_CLOSE),
        "order_deadlines": [deadline.isoformat() for _k, deadline in kinds],
    }


def refresh_state(office_id: int) -> None:
    with transaction.atomic():
        state = _locked(office_id)
        for name, value in state_of(office_id).items():
            setattr(state, name, value)
        state.task_dues = task_dues(office_id)
        state.save()


def instant(value: datetime) -> str:
    """A UTC instant as task_dues keeps it: a fixed-width ISO string, so that strings compare as instants."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")


EXACT_DAYS = 2  # the tasks due on the count's day and the next kept to the instant (settle recounts daily)


def task_dues(office_id: int, now: datetime | None = None) -> dict:
    """The office's open human tasks by due date as of `now` (two statements, tracking.office_open_tasks):
    {"day": today, "past": due before today, "instants": [[instant, number], …] due today or tomorrow,
    "days": [[ISO date, number], …] due later, "owners": {owner id: the same of their tasks with "open",
    their number, undated ones included}}. Bounded by the days, not the tasks (a rule counting calendar
    days gives every task its own instant: 69,648 of them in one office of the benchmark); exact at any
    instant of the two days, which the first pass of a day moves on. The owners' part is the office
    page's officers table (the office's open tasks were its slowest read: 59 ms at 1,000,000 cases)."""
    from datetime import timedelta

    from django.db.models.functions import TruncDate

    from .tracking import office_open_tasks

    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = (timezone.make_aware(datetime.combine(today + timedelta(days=d), datetime.min.time()))
                  for d in (0, EXACT_DAYS))  # fmt: skip
    tasks = office_open_tasks(office_id)
    by_day = tasks.annotate(day=TruncDate("scheduled", tzinfo=timezone.get_current_timezone()))
    days = list(by_day.values("owner", "day").annotate(n=Count("pk")).order_by())  # day None: no due date
    soon = tasks.filter(scheduled__gte=start, scheduled__lt=end).values("owner", "scheduled").annotate(n=Count("pk"))
    soon = list(soon.order_by("scheduled"))
    by_owner: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for rows, part in ((days, 0), (soon, 1)):
        for row in rows:
            if row["owner"] is not None:
                by_owner[row["owner"]][part].append(row)
    dues = _dues(today, days, soon)
    dues["owners"] = {
        str(owner): {"open": sum(r["n"] for r in theirs), **_dues(today, theirs, their_soon)}
        for owner, (theirs, their_soon) in sorted(by_owner.items())
    }
    return dues


def _dues(today: date, days: list[dict], soon: list[dict]) -> dict:
    from datetime import timedelta

    by_day: dict[date, int] = defaultdict(int)
    for row in days:
        if row["day"] is not None:
            by_day[row["day"]] += row["n"]
    instants: dict[str, int] = defaultdict(int)
    for row in soon:
        instants[instant(row["scheduled"])] += row["n"]
    later = today + timedelta(days=EXACT_DAYS)
    return {
        "day": today.isoformat(),
        "past": sum(n for day, n in by_day.items() if day < today),
        "instants": [[at, n] for at, n in sorted(instants.items())],
        "days": [[day.isoformat(), n] for day, n in sorted(by_day.items()) if day >= later],
    }


def owner_tasks(dues: dict, now: datetime) -> dict[int, tuple[int, int]] | None:
    """{owner: (open tasks, of those past due at `now`)} from OfficeState.task_dues; None when the office's
    tasks were counted before the owners were kept (the next pass counts them)."""
    if not isinstance(dues, dict) or "owners" not in dues:
        return None
    return {int(owner): (part["open"], overdue_tasks(part, now)) for owner, part in dues["owners"].items()}


def mark_tasks(office_id: int | None) -> None:
    """Note, in the current transaction, that a task of the office changed hands without a task being
    created (taken from the queue, given back): the next pass recounts the office's open tasks by owner."""
    from .models import StaleBucket

    if office_id is None:
        return
    batch = _batch(set(transaction.get_connection().savepoint_ids))
    StaleBucket.objects.create(office_id=office_id, fiscal_year=fiscal_year(timezone.localdate()), tasks=True)
    if batch is None and settings.CELERY_TASK_ALWAYS_EAGER:  # autocommit: the mark is committed already
        settle()


def refresh_tasks(office_id: int) -> None:
    from .models import OfficeState

    with transaction.atomic():
        _locked(office_id)
        OfficeState.objects.filter(office_id=office_id).update(task_dues=task_dues(office_id))


def budget_of(office_id: int, fy: int) -> dict:
    """The office-year's approved or closed projects as tracking sums them (budget.status_of)."""
    from workflows.budget import selectors as budget
    from workflows.budget.models import Project, ProjectStatus, ReportStatus

    late_statuses = (ReportStatus.DUE, ReportStatus.RETURNED)
    counted = (ProjectStatus.APPROVED, ProjectStatus.CLOSED)
    projects = Project.objects.filter(office=office_id, fiscal_year=fy, status__in=counted)
    statuses = [budget.status_of(p) for p in projects.prefetch_related("lines", "plan", "reports")]
    total = budget.office_summary(statuses)
    reports = []
    for status in statuses:
        for report in status.project.reports.all():
            sent_on = timezone.localdate(report.submitted_at) if report.submitted_at else None
            late = report.status in late_statuses or (sent_on is not None and sent_on > report.due_on)
            reports.append([report.due_on.isoformat(), late])
    reports.sort()
    rows = [
        {"pk": st.project.pk, "code": st.project.code, "title": st.project.title, "is_behind": st.project.is_behind,
         "allocation": str(st.allocation), "disbursed_pct": str(st.disbursed_pct), "progress": str(st.progress)}
        for st in sorted(statuses, key=lambda st: st.project.code)
    ]  # fmt: skip
    return {"projects": len(statuses), "behind": total["behind"], "allocation": total["allocation"],
            "disbursed": total["disbursed"], "reports": reports, "rows": rows}  # fmt: skip


def refresh_budget(office_id: int, fy: int) -> None:
    from .models import OfficeBudget

    with transaction.atomic():
        _locked(office_id)
        values = budget_of(office_id, fy)
        if values["projects"]:
            OfficeBudget.objects.update_or_create(office_id=office_id, fiscal_year=fy, defaults=values)
        else:
            OfficeBudget.objects.filter(office_id=office_id, fiscal_year=fy).delete()


def rebuild(fiscal_years: list[int] | None = None) -> int:
    """Recompute every bucket of `fiscal_years` (by default every year from the first case, plan,
    complaint or project to the next one) of every office holding any; the number of office-years
    recomputed. An office holding nothing keeps no row (a dashboard reads no row as zeros)."""
    from django.db.models import Min

    from workflows.budget.models import Project
    from workflows.complaint.models import Complaint
    from workflows.inspection.models import Inspection
    from workflows.planning.models import InspectionPlan

    from .models import OfficeBudget, OfficeMonth, OfficeState, TaskWatermark

    # the tasks created from here on are the next pass's to read (every open task is counted below)
    with transaction.atomic():
        TaskWatermark.objects.get_or_create(pk=1)
        mark = TaskWatermark.objects.select_for_update().get(pk=1)
        to_top(mark)
        mark.save()
    holders = ((Inspection, "office"), (Complaint, "office"), (InspectionPlan, "office"), (Project, "office"))
    offices = sorted({pk for model, name in holders for pk in model.objects.values_list(name, flat=True).distinct()})
    current = fiscal_year(timezone.localdate())
    everything = fiscal_years is None
    if everything:
        firsts = [current]
        for model in (Inspection, Complaint):
            first = model.objects.aggregate(first=Min("created_at"))["first"]
            if first is not None:
                firsts.append(_fy_of(first))
        for model in (InspectionPlan, Project):
            first = model.objects.aggregate(first=Min("fiscal_year"))["first"]
            if first is not None:
                firsts.append(first)
        fiscal_years = list(range(min(firsts), current + 2))
    for office_id in offices:
        refresh_state(office_id)
        for fy in fiscal_years:
            refresh_months(office_id, fy)
            refresh_budget(office_id, fy)
    for model in (OfficeMonth, OfficeBudget):
        stale = model.objects.exclude(office__in=offices)
        if everything:  # and the years no longer holding anything
            stale = model.objects.filter(Q(pk__in=stale.values("pk")) | ~Q(fiscal_year__in=fiscal_years))
        stale.delete()
    OfficeState.objects.exclude(office__in=offices).delete()
    return len(offices) * len(fiscal_years)


# --- reading -------------------------------------------------------------------------------------------


def case_count(office_ids: list[int] | None) -> int:
    """The cases of these offices (None: of every office), summed from their state rows (one statement,
    a row per office whatever the number of cases), as of the worker's last pass."""
    from django.db.models import Sum

    from .models import OfficeState

    states = OfficeState.objects.all() if office_ids is None else OfficeState.objects.filter(office__in=office_ids)
    return states.aggregate(n=Sum("cases"))["n"] or 0


def late_reports(reports: list, today: date) -> tuple[int, int]:
    iso = today.isoformat()
    due = [late for due_on, late in reports if due_on < iso]
    return len(due), sum(1 for late in due if late)


@dataclass(frozen=True)
class ProjectRef:
    pk: int
    code: str
    title: str
    is_behind: bool


@dataclass(frozen=True)
class ProjectRow:
    """A project of the office page's table, read from the budget summary (as budget.Status reads)."""

    project: ProjectRef
    allocation: Decimal
    disbursed_pct: Decimal
    progress: Decimal


def project_rows(rows: list[dict]) -> list[ProjectRow]:
    return [
        ProjectRow(ProjectRef(r["pk"], r["code"], r["title"], r["is_behind"]), Decimal(r["allocation"]),
                   Decimal(r["disbursed_pct"]), Decimal(r["progress"]))
        for r in rows
    ]  # fmt: skip


def overdue_tasks(dues: dict, now: datetime) -> int:
    """The open tasks past due at `now`, from OfficeState.task_dues (exact within the two days after its
    count; counted a day earlier, the tasks due on the day read are counted from the next day)."""
    if not isinstance(dues, dict) or "past" not in dues:
        return 0  # not counted yet (the next pass counts it)
    at, today = instant(now), timezone.localdate(now).isoformat()
    late = sum(n for due, n in dues["instants"] if due < at) + sum(n for day, n in dues["days"] if day < today)
    return dues["past"] + late


def overdue_orders(deadlines: list[str], today: date) -> int:
    iso = today.isoformat()
    return sum(1 for d in deadlines if d < iso)
