"""Writes to budget projects and their monthly progress reports. Each function validates, changes the
data in one transaction and records the change in the project's audit trail; views, flows, jobs
and the demo call these and nothing else writes."""

import calendar
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from org.calendar import fiscal_year
from org.models import Person, PositionKind, Unit
from permissions import access
from permissions.budget import can_in_office
from workflows import approvals, audit, uploads
from workflows.chain import resolve_chain
from workflows.models.approval import RuleSubject
from workflows.models.approvals import RoundDecision
from workflows.roles import acting_as, signed_as

from . import plan
from .errors import BudgetError
from .models import (
    BudgetLine,
    BudgetSource,
    Kpi,
    MonthlyPlan,
    ProgressReport,
    Project,
    ProjectApproval,
    ProjectStatus,
    ReportEvidence,
    ReportKpi,
    ReportRound,
    ReportStatus,
)

REPORT_DUE_DAY = 10  # a month's report is due on this day of the next month
EVIDENCE_TYPES = {uploads.JPEG, uploads.PNG, uploads.PDF}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def _today() -> date:
    return timezone.localdate()


def _decimal(value, field: str, *, low: Decimal | None = Decimal("0"), high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise BudgetError(_("Enter a number."), field=field)
    if (low is not None and number < low) or (high is not None and number > high):
        raise BudgetError(_("The number is out of range."), field=field)
    return number


def _next_code(office: Unit, fy_be: int) -> str:
    """90-2567-P03: the office's province, the fiscal year, the next number of the office in it."""
    prefix = f"{office.province_id:02d}-{fy_be}-P"
    taken = Project.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:02d}"


def _clean_lines(lines: list[dict]) -> list[dict]:
    if not lines:
        raise BudgetError(_("A project needs at least one budget line."), field="lines")
    cleaned = []
    for line in lines:
        source = line.get("source") or BudgetSource.OWN
        if source not in BudgetSource.values:
            raise BudgetError(_("Unknown budget source."), field="lines")
        owner = (line.get("owner_agency") or "").strip()
        if source == BudgetSource.ON_BEHALF and not owner:
            raise BudgetError(_("Name the agency whose budget is disbursed on its behalf."), field="lines")
        cleaned.append({
            "description": (line.get("description") or "").strip() or _("Project budget"),
            "source": source, "owner_agency": owner, "disbursing_office": line.get("disbursing_office"),
            "reference_no": (line.get("reference_no") or "").strip(), "provisional": bool(line.get("provisional")),
            "allocation": _decimal(line.get("allocation"), "lines"), "carried_from": line.get("carried_from"),
        })  # fmt: skip
    return cleaned


def _line_text(line: dict) -> str:
    """A budget line as the timeline shows it: description · source (owner) · provisional · amount."""
    parts = [line["description"], str(BudgetSource(line["source"]).label)]
    if line["owner_agency"]:
        parts.append(line["owner_agency"])
    if line["provisional"]:
        parts.append(str(BudgetLine._meta.get_field("provisional").verbose_name))
    return " · ".join([*parts, f"{line['allocation']:,.2f}"])


def _clean_plan(fy_be: int, rows: list[dict], allocation: Decimal) -> dict[date, dict]:
    months = set(plan.fiscal_months(fy_be))
    cleaned: dict[date, dict] = {}
    for row in rows or []:
        month = plan.month_start(row["month"])
        if month not in months:
            raise BudgetError(_("A plan month lies outside the fiscal year."), field="plan")
        cleaned[month] = {
            "progress_pct": _decimal(row.get("progress_pct", 0), "plan", high=plan.HUNDRED),
            "disbursement": _decimal(row.get("disbursement", 0), "plan"),
        }
    progress = [cleaned[m]["progress_pct"] for m in sorted(cleaned)]
    if progress != sorted(progress):
        raise BudgetError(_("Planned physical progress is cumulative: it may not go down."), field="plan")
    if sum((r["disbursement"] for r in cleaned.values()), plan.ZERO) > allocation:
        raise BudgetError(_("The plan disburses more than the allocation."), field="plan")
    return cleaned


@transaction.atomic
def project_register(
    *, office: Unit, by: Person, fiscal_year: int, title: str, objectives: str, lines: list[dict],
    kpis: list[dict] = (), plan_rows: list[dict] = (), officer: Person | None = None, start_flow: bool = True,
) -> Project:  # fmt: skip
    """Register a project of `office` (lines, KPIs and the monthly plan) and send it for approval."""
    if not can_in_office(by, "work", office):
        raise PermissionDenied
    title, objectives = (title or "").strip(), (objectives or "").strip()
    if not title:
        raise BudgetError(_("Give the project a title."), field="title")
    if not objectives:
        raise BudgetError(_("State the project's objectives."), field="objectives")
    lines = _clean_lines(lines)
    allocation = sum((line["allocation"] for line in lines), plan.ZERO)
    months = _clean_plan(fiscal_year, list(plan_rows), allocation)
    project = Project.objects.create(
        fiscal_year=fiscal_year, office=office, code=_next_code(office, fiscal_year), title=title,
        objectives=objectives, officer=officer or by,
    )  # fmt: skip
    BudgetLine.objects.bulk_create([BudgetLine(project=project, **line) for line in lines])
    Kpi.objects.bulk_create([
        Kpi(project=project, name=k["name"], unit=k["unit"], target=_decimal(k["target"], "kpis")) for k in kpis
    ])  # fmt: skip
    MonthlyPlan.objects.bulk_create([MonthlyPlan(project=project, month=m, **row) for m, row in sorted(months.items())])
    audit.record(
        subject=project, action="project.register", label=_("Project registered"), by=by,
        after={"fiscal_year": fiscal_year, "title": title, "allocation": allocation,
               "budget_lines": [_line_text(line) for line in lines]},
    )  # fmt: skip
    if start_flow:
        from .flows import ProjectFlow

        ProjectFlow.start.run(project=project)
    return project


def project_submit(*, project: Project) -> list[ProjectApproval]:
    """Resolve the approval chain for the project's amount (the same resolver as inspections) and
    record every step; vacant levels are recorded as skipped."""
    allocation = project.lines.aggregate(total=Sum("allocation"))["total"] or plan.ZERO
    steps = resolve_chain(subject=RuleSubject.BUDGET_PROJECT, office=project.office, on=_today(), amount=allocation)
    if not any(not s.vacant for s in steps):
        raise BudgetError(_("No one can approve this project: every position in its chain is vacant."))
    rows = approvals.chain_open(project.approvals, steps)
    project.status = ProjectStatus.APPROVING
    project.save(update_fields=["status"])
    audit.record(
        subject=project, action="project.submit", label=_("Sent for approval"),
        after={"levels": [str(PositionKind(r.level).label) for r in rows], "allocation": allocation},
    )  # fmt: skip
    return rows


def pending_approval(project: Project) -> ProjectApproval | None:
    return approvals.pending(project.approvals)


@transaction.atomic
def project_decide(*, project: Project, by: Person, approve: bool, comments: str = "") -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    step = pending_approval(project)
    if project.status != ProjectStatus.APPROVING or step is None or step.approver_id != by.pk:
        raise PermissionDenied
    comments = (comments or "").strip()
    if not approve and not comments:
        raise BudgetError(_("Say why the project is returned."), field="comments")
    approvals.decide(step, approve=approve, comments=comments)
    if not approve:
        project.status = ProjectStatus.RETURNED
    elif pending_approval(project) is None:
        project.status, project.approved_at = ProjectStatus.APPROVED, timezone.now()
    project.save(update_fields=["status", "approved_at"])
    audit.record(
        subject=project, action="project.approve" if approve else "project.return",
        label=(_("Approved at step %(n)s") if approve else _("Returned at step %(n)s")) % {"n": step.step},
        by=by, acting_for=step.acting_for, comment=comments,
    )  # fmt: skip
    return project


@transaction.atomic
def project_revise(*, project: Project, by: Person, title: str, objectives: str) -> Project:
    """The registrant revises a returned project; it goes up the chain again."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.RETURNED:
        raise BudgetError(_("Only a returned project can be revised."))
    if not access.can(by, "work", project):
        raise PermissionDenied
    before = audit.snapshot(project, ["title", "objectives"])
    project.title = (title or "").strip() or project.title
    project.objectives = (objectives or "").strip() or project.objectives
    project.save(update_fields=["title", "objectives"])
    audit.record_changes(subject=project, before=before, after=audit.snapshot(project, ["title", "objectives"]), by=by)
    project_submit(project=project)
    return project


@transaction.atomic
def carry_over(*, project: Project, by: Person, amount: Decimal, plan_rows: list[dict] = ()) -> Project:
    """Money reserved at year end (กันเงินไว้เบิกเหลื่อมปี): the unspent part of an approved project,
    carried into the next fiscal year as a project of its own, approved with the original."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can_in_office(by, "work", project.office):
        raise PermissionDenied
    if project.status not in (ProjectStatus.APPROVED, ProjectStatus.CLOSED):
        raise BudgetError(_("Only an approved project can carry money over."))
    if project.carried_to.exists():
        raise BudgetError(_("This project has already carried money over."))
    from .selectors import status_of

    left = status_of(project).remaining
    amount = _decimal(amount, "amount")
    if not 0 < amount <= left:
        raise BudgetError(_("Carry over at most the unspent %(left)s baht.") % {"left": left}, field="amount")
    nxt = project.fiscal_year + 1
    months = _clean_plan(nxt, list(plan_rows), amount)
    new = Project.objects.create(
        fiscal_year=nxt, office=project.office, code=_next_code(project.office, nxt), title=project.title,
        objectives=project.objectives, officer=project.officer, carried_from=project,
        status=ProjectStatus.APPROVED, approved_at=timezone.now(),
    )  # fmt: skip
    source_line = project.lines.order_by("pk").first()
    BudgetLine.objects.create(
        project=new, description=_("Carried over from FY %(fy)s") % {"fy": project.fiscal_year},
        source=BudgetSource.CARRY_OVER, owner_agency=source_line.owner_agency,
        disbursing_office=source_line.disbursing_office, reference_no=source_line.reference_no,
        carried_from=source_line, allocation=amount,
    )  # fmt: skip
    Kpi.objects.bulk_create([Kpi(project=new, name=k.name, unit=k.unit, target=k.target) for k in project.kpis.all()])
    MonthlyPlan.objects.bulk_create([MonthlyPlan(project=new, month=m, **row) for m, row in sorted(months.items())])
    audit.record(subject=project, action="project.carry_over", label=_("Money carried over to FY %(fy)s") % {
        "fy": nxt}, by=by, after={"amount": amount, "next_year_project": new.code})  # fmt: skip
    audit.record(subject=new, action="project.carried_in", label=_("Carried over from FY %(fy)s") % {
        "fy": project.fiscal_year}, by=by, after={"amount": amount, "carried_from": project.code})  # fmt: skip
    return new


@transaction.atomic
def project_close(*, project: Project, by: Person, summary: str) -> Project:
    """Close a project at its end; the close-out report reads what is recorded."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can_in_office(by, "change", project.office):
        raise PermissionDenied
    if project.status != ProjectStatus.APPROVED:
        raise BudgetError(_("Only an approved project can be closed."))
    if project.reports.exclude(status=ReportStatus.APPROVED).exists():
        raise BudgetError(_("Finish the open progress reports before closing the project."))
    summary = (summary or "").strip()
    if not summary:
        raise BudgetError(_("Summarise the project's results."), field="summary")
    project.status, project.closed_at, project.close_summary = ProjectStatus.CLOSED, timezone.now(), summary
    project.save(update_fields=["status", "closed_at", "close_summary"])
    audit.record(subject=project, action="project.close", label=_("Project closed"), by=by, comment=summary)
    return project


# --- monthly progress reports -------------------------------------------------------------------


def report_due_on(month: date) -> date:
    nxt = plan.add_months(month, 1)
    return nxt.replace(day=min(REPORT_DUE_DAY, calendar.monthrange(nxt.year, nxt.month)[1]))


@transaction.atomic
def report_open(*, project: Project, month: date) -> ProgressReport:
    """Open the report of `month` (its due date the 10th of the next month) and hand it to the officer."""
    from .flows import ProgressFlow

    month = plan.month_start(month)
    if project.status != ProjectStatus.APPROVED:
        raise BudgetError(_("Reports are filed for approved projects only."))
    if month not in plan.fiscal_months(project.fiscal_year):
        raise BudgetError(_("The month lies outside the project's fiscal year."))
    report, created = ProgressReport.objects.get_or_create(
        project=project, month=month, defaults={"due_on": report_due_on(month)}
    )
    if created:
        audit.record(subject=project, action="report.open", label=_("Progress report for %(month)s opened") % {
            "month": plan.be_month_text(month)}, after={"due_on": plan.be_text(report.due_on)})  # fmt: skip
        ProgressFlow.start.run(report=report)
    return report


def open_due_reports(*, on: date | None = None) -> int:
    """The monthly job: open last month's report of every approved project of that fiscal year."""
    on = on or _today()
    month = plan.last_ended_month(on)
    projects = Project.objects.filter(status=ProjectStatus.APPROVED, fiscal_year=fiscal_year(month)).exclude(
        reports__month=month
    )
    opened = 0
    for project in projects:
        report_open(project=project, month=month)
        opened += 1
    return opened


def _check_evidence(files) -> list[tuple]:
    """(file, its real content type) of each upload; a file that is not what the form accepts is refused."""
    checked = []
    for upload in [f for f in (files or []) if f]:
        if upload.size > EVIDENCE_MAX_BYTES:
            raise BudgetError(_("An evidence file may be at most 10 MB."), field="evidence")
        content_type = uploads.content_type_of(upload, EVIDENCE_TYPES)
        if content_type is None:
            raise BudgetError(_("Evidence must be a JPEG, PNG or PDF file."), field="evidence")
        checked.append((upload, content_type))
    return checked


@transaction.atomic
def report_submit(
    *, report: ProgressReport, by: Person, progress_pct, disbursed, kpi_actuals: dict | None = None,
    problems: str = "", needs: str = "", files=(),
) -> ProgressReport:  # fmt: skip
    """The officer files the month: cumulative physical progress, baht disbursed in the month, KPI
    actuals, problems and needs, evidence. Cumulative disbursement may not pass the allocation."""
    report = ProgressReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    if report.status not in (ReportStatus.DUE, ReportStatus.RETURNED):
        raise BudgetError(_("This report is not open for filing."))
    if not access.can(by, "work", report):
        raise PermissionDenied
    progress_pct = _decimal(progress_pct, "progress_pct", high=plan.HUNDRED)
    disbursed = _decimal(disbursed, "disbursed")
    earlier = ProgressReport.objects.filter(project_id=report.project_id, month__lt=report.month)
    last_progress = earlier.exclude(progress_pct=None).order_by("-month").values_list("progress_pct", flat=True).first()
    if last_progress is not None and progress_pct < last_progress:
        raise BudgetError(
            _("Physical progress is cumulative: last month was %(pct)s%%.") % {"pct": last_progress},
            field="progress_pct",
        )
    spent = earlier.aggregate(total=Sum("disbursed"))["total"] or plan.ZERO
    allocation = report.project.lines.aggregate(total=Sum("allocation"))["total"] or plan.ZERO
    if spent + disbursed > allocation:
        raise BudgetError(
            _("Cumulative disbursement would be %(total)s baht, more than the allocation of %(allocation)s baht.")
            % {"total": spent + disbursed, "allocation": allocation},
            field="disbursed",
        )
    kpis = {k.pk: k for k in report.project.kpis.all()}
    actuals = {}
    for kpi_id, value in (kpi_actuals or {}).items():
        if int(kpi_id) not in kpis:
            raise BudgetError(_("A KPI does not belong to this project."), field="kpis")
        actuals[int(kpi_id)] = _decimal(value, "kpis")
    files = _check_evidence(files)
    before = audit.snapshot(report, ["progress_pct", "disbursed", "problems", "needs"])
    report.progress_pct, report.disbursed = progress_pct, disbursed
    report.problems, report.needs = (problems or "").strip(), (needs or "").strip()
    report.status, report.submitted_by, report.submitted_at = ReportStatus.SUBMITTED, by, timezone.now()
    report.save()
    for kpi_id, value in actuals.items():
        ReportKpi.objects.update_or_create(report=report, kpi_id=kpi_id, defaults={"actual": value})
    for upload, content_type in files:
        ReportEvidence.objects.create(
            report=report, file=upload, name=upload.name[:255], content_type=content_type,
            size=upload.size, uploaded_by=by,
        )  # fmt: skip
    after = audit.snapshot(report, ["progress_pct", "disbursed", "problems", "needs"])
    after |= {"cumulative": spent + disbursed, "evidence": [f.name for f, _type in files],
              "kpi_actuals": {kpis[kpi_id].name: value for kpi_id, value in actuals.items()}}  # fmt: skip
    audit.record(
        subject=report.project, action="report.submit",
        label=_("Progress report for %(month)s filed") % {"month": plan.be_month_text(report.month)},
        by=by, before=before, after=after,
    )  # fmt: skip
    return report


@transaction.atomic
def report_review(*, report: ProgressReport, by: Person, approve: bool, comments: str = "") -> ReportRound:
    """The head of office approves the report (its figures then count) or returns it with comments."""
    report = ProgressReport.objects.select_for_update().select_related("project__office").get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise BudgetError(_("This report is not awaiting review."))
    if not can_in_office(by, "change", report.project.office):
        raise PermissionDenied
    comments = (comments or "").strip()
    if not approve and not comments:
        raise BudgetError(_("Say what must be corrected."), field="comments")
    head = PositionKind.PROVINCIAL_OFFICER
    by_as = signed_as(by, head, report.project.office, _today())
    decision = RoundDecision.APPROVE if approve else RoundDecision.RETURN
    review = approvals.round_record(report.rounds, by=by, by_as=by_as, decision=decision, comments=comments)
    if approve:
        report.status, report.approved_by, report.approved_at = ReportStatus.APPROVED, by, timezone.now()
        for row in report.kpi_actuals.all():
            Kpi.objects.filter(pk=row.kpi_id).update(actual=row.actual)
    else:
        report.status = ReportStatus.RETURNED
    report.save(update_fields=["status", "approved_by", "approved_at"])
    month = plan.be_month_text(report.month)
    audit.record(
        subject=report.project, action="report.approve" if approve else "report.return",
        label=(_("Progress report for %(month)s approved") if approve else _("Progress report for %(month)s returned"))
        % {"month": month},
        by=by, acting_for=acting_as(by, head, report.project.office, _today()), comment=comments,
    )  # fmt: skip
    return review
