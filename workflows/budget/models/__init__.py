from .process import DirectiveProcess, EscalationProcess, ProgressProcess, ProjectProcess
from .projects import (
    BudgetLine,
    BudgetSource,
    FiscalYearTarget,
    Kpi,
    MonthlyPlan,
    Project,
    ProjectApproval,
    ProjectStatus,
)
from .reports import ProgressReport, ReportEvidence, ReportKpi, ReportRound, ReportStatus
from .reviews import Directive, DirectiveStatus, DirectiveUpdate, Escalation, FollowUpReview

__all__ = [
    "BudgetLine", "BudgetSource", "Directive", "DirectiveProcess", "DirectiveStatus", "DirectiveUpdate", "Escalation",
    "EscalationProcess", "FiscalYearTarget", "FollowUpReview", "Kpi", "MonthlyPlan", "ProgressProcess",
    "ProgressReport", "Project", "ProjectApproval", "ProjectProcess", "ProjectStatus", "ReportEvidence", "ReportKpi",
    "ReportRound", "ReportStatus",
]  # fmt: skip
