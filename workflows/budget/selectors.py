"""Reads for budget screens, documents and jobs: plan vs result of a project, the consolidated view
of a cluster, open directives. Every list is narrowed through permissions.access."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch, Q, Sum
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from permissions import access

from . import plan
from .models import (
    BudgetSource,
    Directive,
    DirectiveStatus,
    FiscalYearTarget,
    FollowUpReview,
    ProgressReport,
    Project,
    ProjectStatus,
    ReportStatus,
)

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
COUNTED = (ReportStatus.APPROVED,)  # only reports the head of office approved count as results
DEFAULT_THRESHOLD = Decimal("10")


@dataclass
class MonthRow:
    month: date
    planned: Decimal
    planned_cumulative: Decimal
    planned_pct: Decimal
    planned_progress: Decimal | None
    disbursed: Decimal | None
    disbursed_cumulative: Decimal | None
    disbursed_pct: Decimal | None
    progress: Decimal | None
    report: ProgressReport | None = None

    @property
    def quarter_end(self) -> bool:
        return self.month.month in plan.QUARTER_END_MONTHS


@dataclass
class Status:
    """A project's plan against its results (approved reports), month by month and in total."""

    project: Project
    allocation: Decimal
    by_source: dict[str, Decimal]
    provisional: Decimal
    rows: list[MonthRow]
    disbursed: Decimal
    progress: Decimal
    reasons: list = field(default_factory=list)

    @property
    def disbursed_pct(self) -> Decimal:
        return plan.pct(self.disbursed, self.allocation)

    @property
    def remaining(self) -> Decimal:
        return self.allocation - self.disbursed


def visible_projects(user, queryset=None):
    queryset = queryset if queryset is not None else Project.objects.all()
    return access.visible(user, queryset.select_related("office", "officer"))


def targets_for(fy_be: int) -> FiscalYearTarget | None:
    return FiscalYearTarget.objects.filter(fiscal_year=fy_be).first()


def results(project: Project, *, statuses=COUNTED) -> tuple[dict, dict, dict]:
    """(disbursed by month, progress by month, report by month) from the project's reports."""
    reports = {r.month: r for r in project.reports.all()}
    counted = {m: r for m, r in reports.items() if r.status in statuses}
    disbursed = {m: r.disbursed or plan.ZERO for m, r in counted.items()}
    progress = {m: r.progress_pct for m, r in counted.items() if r.progress_pct is not None}
    return disbursed, progress, reports


def status_of(project: Project, *, on: date | None = None, targets: FiscalYearTarget | None = None) -> Status:
    """Plan vs result of `project`; with `on`, also why it is behind on that day."""
    lines = list(project.lines.all())
    allocation = sum((line.allocation for line in lines), plan.ZERO)
    by_source = {source: plan.ZERO for source in BudgetSource.values}
    for line in lines:
        by_source[line.source] += line.allocation
    provisional = sum((line.allocation for line in lines if line.provisional), plan.ZERO)
    planned = {p.month: p.disbursement for p in project.plan.all()}
    planned_progress = {p.month: p.progress_pct for p in project.plan.all()}
    disbursed, progress, reports = results(project)
    months = plan.fiscal_months(project.fiscal_year)
    planned_running = plan.running_totals(planned, months)
    actual_running = plan.running_totals(disbursed, months)
    last_reported = max(disbursed) if disbursed else None
    rows = []
    for month, planned_total, actual_total in zip(months, planned_running, actual_running, strict=True):
        reported = last_reported is not None and month <= last_reported
        rows.append(
            MonthRow(
                month=month,
                planned=planned.get(month, plan.ZERO),
                planned_cumulative=planned_total,
                planned_pct=plan.pct(planned_total, allocation),
                planned_progress=planned_progress.get(month),
                disbursed=disbursed.get(month) if reported else None,
                disbursed_cumulative=actual_total if reported else None,
                disbursed_pct=plan.pct(actual_total, allocation) if reported else None,
                progress=progress.get(month),
                report=reports.get(month),
            )
        )
    status = Status(
        project=project,
        allocation=allocation,
        by_source=by_source,
        provisional=provisional,
        rows=rows,
        disbursed=actual_running[-1],
        progress=plan.latest_at(progress, months[-1]),
    )
    if on is not None:
        targets = targets if targets is not None else targets_for(project.fiscal_year)
        status.reasons = plan.behind_plan(
            fy_be=project.fiscal_year,
            allocation=allocation,
            planned_disbursement=planned,
            planned_progress=planned_progress,
            disbursed=disbursed,
            progress=progress,
            on=on,
            threshold=targets.threshold if targets else DEFAULT_THRESHOLD,
            quarter_targets=(targets.q1, targets.q2, targets.q3, targets.q4) if targets else None,
        )
    return status


def with_details(queryset):
    return queryset.prefetch_related("lines", "plan", "reports", "kpis")


def office_summary(projects) -> dict:
    """Totals over a list of Status: allocation, own / on behalf / carried over, provisional, disbursed."""
    total = {"allocation": plan.ZERO, "disbursed": plan.ZERO, "provisional": plan.ZERO, "behind": 0}
    total |= {source: plan.ZERO for source in BudgetSource.values}
    for status in projects:
        total["allocation"] += status.allocation
        total["disbursed"] += status.disbursed
        total["provisional"] += status.provisional
        total["behind"] += 1 if status.project.is_behind else 0
        for source, amount in status.by_source.items():
            total[source] += amount
    total["disbursed_pct"] = plan.pct(total["disbursed"], total["allocation"])
    return total


def consolidated(user, fy_be: int) -> list[dict]:
    """The cluster view: per visible office, its approved projects' plan vs result (one row each)."""
    projects = with_details(
        visible_projects(user).filter(fiscal_year=fy_be, status__in=[ProjectStatus.APPROVED, ProjectStatus.CLOSED])
    ).order_by("office__name_th", "code")
    by_office: dict[int, dict] = {}
    for project in projects:
        row = by_office.setdefault(project.office_id, {"office": project.office, "projects": []})
        row["projects"].append(status_of(project))
    for row in by_office.values():
        row["total"] = office_summary(row["projects"])
    return list(by_office.values())


def report_totals(report: ProgressReport) -> dict:
    """Cumulative disbursement up to this report's month, this report counted even before approval."""
    earlier = (
        ProgressReport.objects.filter(
            project_id=report.project_id, month__lt=report.month, status=ReportStatus.APPROVED
        ).aggregate(total=Sum("disbursed"))["total"]
        or plan.ZERO
    )
    cumulative = earlier + (report.disbursed or plan.ZERO)
    allocation = report.project.lines.aggregate(total=Sum("allocation"))["total"] or plan.ZERO
    return {"earlier": earlier, "cumulative": cumulative, "allocation": allocation,
            "cumulative_pct": plan.pct(cumulative, allocation)}  # fmt: skip


def open_directives(*, user=None, office=None, reviewer=None):
    """Directives not closed yet: of an office, given by a reviewer, or every one the user may see."""
    directives = Directive.objects.exclude(status=DirectiveStatus.CLOSED).select_related(
        "office", "assignee", "assignee_position", "review__reviewer"
    )
    if office is not None:
        directives = directives.filter(office=office)
    if reviewer is not None:
        directives = directives.filter(review__reviewer=reviewer)
    if user is not None:
        directives = access.visible(user, directives)
    return directives.order_by("due_on", "pk")


def visible_reviews(user):
    return access.visible(user, FollowUpReview.objects.select_related("office", "reviewer"))


def review_detail(review: FollowUpReview):
    directives = review.directives.select_related("assignee", "assignee_position").prefetch_related(
        Prefetch("updates", to_attr="history")
    )
    return {"review": review, "directives": list(directives), "projects": list(review.projects.all())}


def my_tasks(user):
    """The person's open budget tasks, soonest due first (none last)."""
    return (
        Task.objects.filter(owner=user, status__in=OPEN, flow_task__startswith="budget/")
        .select_related("process")
        .order_by(F("scheduled").asc(nulls_last=True), "pk")
    )


def open_tasks_for(user, *, process_filter: Q) -> list[Task]:
    tasks = list(Task.objects.filter(process_filter, status__in=OPEN).select_related("owner", "process"))
    for task in tasks:
        task.mine = task.owner_id == user.pk
    return tasks
