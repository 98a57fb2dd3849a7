"""Behind-plan flagging and escalation (the periodic job): each approved project is judged against
its monthly plan and its fiscal year's quarterly targets; the reason is stored on the project and
audited when it changes. A project still behind for its fiscal year's `escalate_after_days` (data the
administrator sets with the quarterly targets; ESCALATE_AFTER_DAYS when the year has none) after it was
flagged gets a task for the head of office; still behind as long again, a task for the cluster's
assistant PS."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows import audit

from . import plan, selectors
from .models import Escalation, FiscalYearTarget, Project, ProjectStatus

ESCALATE_AFTER_DAYS = 30
LEVELS = (1, 2)  # 1: head of office, 2: assistant PS


@transaction.atomic
def flag_project(*, project: Project, on: date) -> list:
    """Store why the project is behind on `on` (or clear it) and escalate when it stays behind."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    reasons = selectors.status_of(selectors.with_details(Project.objects).get(pk=project.pk), on=on).reasons
    text = "\n".join(str(r) for r in reasons)
    before = {"behind_reason": project.behind_reason, "behind_since": plan.be_text(project.behind_since)}
    if not reasons:
        project.behind_reason, project.behind_since, project.escalation_level = "", None, 0
    else:
        project.behind_reason = text
        project.behind_since = project.behind_since or on
    project.save(update_fields=["behind_reason", "behind_since", "escalation_level"])
    audit.record_changes(
        subject=project, before=before, by=None,
        after={"behind_reason": project.behind_reason, "behind_since": plan.be_text(project.behind_since)},
        action="project.behind" if reasons else "project.on_track",
        label=_("Behind plan") if reasons else _("Back on plan"),
    )  # fmt: skip
    if reasons:
        _escalate(project, on)
    return reasons


def _escalate(project: Project, on: date) -> Escalation | None:
    from .flows import EscalationFlow

    level = project.escalation_level + 1
    days = (
        FiscalYearTarget.objects.filter(fiscal_year=project.fiscal_year).values_list("escalate_after_days", flat=True)
        .first() or ESCALATE_AFTER_DAYS
    )  # fmt: skip
    if level not in LEVELS or on < project.behind_since + timedelta(days=days * level):
        return None
    escalation, created = Escalation.objects.get_or_create(
        project=project, level=level, defaults={"reason": project.behind_reason, "opened_on": on}
    )
    project.escalation_level = level
    project.save(update_fields=["escalation_level"])
    if created:
        audit.record(
            subject=project, action="project.escalate",
            label=_("Still behind plan: escalated to the head of office") if level == 1
            else _("Still behind plan: escalated to the assistant permanent secretary"),
            comment=project.behind_reason,
        )  # fmt: skip
        EscalationFlow.start.run(escalation=escalation)
    return escalation


@transaction.atomic
def escalation_respond(*, escalation: Escalation, by, response: str) -> Escalation:
    from .errors import BudgetError

    response = (response or "").strip()
    if not response:
        raise BudgetError(_("Say what will be done to catch up."), field="response")
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.responded_at is not None:
        raise BudgetError(_("This escalation has been answered."))
    escalation.response, escalation.responded_by, escalation.responded_at = response, by, timezone.now()
    escalation.save(update_fields=["response", "responded_by", "responded_at"])
    audit.record(subject=escalation.project, action="project.escalation_answer",
                 label=_("Answer to the behind-plan escalation"), by=by, comment=response)  # fmt: skip
    return escalation


def sweep(*, on: date | None = None) -> tuple[int, int]:
    """Judge every approved project of the current and previous fiscal year. Returns (behind, escalations)."""
    on = on or timezone.localdate()
    from org.calendar import fiscal_year

    fy = fiscal_year(on)
    before = Escalation.objects.count()
    behind = 0
    for project in Project.objects.filter(status=ProjectStatus.APPROVED, fiscal_year__in=[fy - 1, fy]):
        behind += bool(flag_project(project=project, on=on))
    return behind, Escalation.objects.count() - before
