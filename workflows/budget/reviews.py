"""Writes of follow-up reviews: the assistant or deputy PS reviews an office and gives directives
(ข้อสั่งการ); each is an action item of a person or position of the office, with a due date; the
assignee reports the action taken, the reviewer accepts (closed) or returns it. Audited on the
review's chain."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org import filling
from org.models import Person, Position, Unit
from permissions.budget import can_in_office
from workflows import audit

from . import plan
from .errors import BudgetError
from .models import Directive, DirectiveStatus, DirectiveUpdate, FollowUpReview, Project


def _reviewer_as(person: Person, office: Unit, on: date) -> str:
    """The title the reviewer acts under for this office (their overseeing position)."""
    return filling.signing(person, filling.overseeing(office), on)[0]


@transaction.atomic
def review_open(
    *, office: Unit, by: Person, meeting_on: date, projects: list[Project] = (), attendees: str = "",
    summary: str = "",
) -> FollowUpReview:  # fmt: skip
    """Record a follow-up review of `office` by one who oversees it (assistant or deputy PS)."""
    if not can_in_office(by, "oversee", office):
        raise PermissionDenied
    projects = list(projects)
    if any(p.office_id != office.pk for p in projects):
        raise BudgetError(_("Every project reviewed must belong to the office."), field="projects")
    if meeting_on is None:
        raise BudgetError(_("Give the meeting date."), field="meeting_on")
    review = FollowUpReview.objects.create(
        office=office, reviewer=by, reviewer_as=_reviewer_as(by, office, meeting_on), meeting_on=meeting_on,
        attendees=(attendees or "").strip(), summary=(summary or "").strip(),
    )  # fmt: skip
    review.projects.set(projects)
    audit.record(
        subject=review, action="review.open", label=_("Follow-up review recorded"), by=by,
        after={"office": office.name_th, "meeting_on": plan.be_text(meeting_on),
               "projects": [p.code for p in projects]},
    )  # fmt: skip
    return review


@transaction.atomic
def directive_add(
    *, review: FollowUpReview, by: Person, text: str, due_on: date, assignee: Person | None = None,
    position: Position | None = None,
) -> Directive:  # fmt: skip
    """A directive of the review, assigned to a person or a position of the office; its flow starts."""
    from .flows import DirectiveFlow

    if review.reviewer_id != by.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise BudgetError(_("Write the directive."), field="text")
    if assignee is None and position is None:
        raise BudgetError(_("Assign the directive to a person or a position of the office."), field="assignee")
    if position is not None and review.office_id not in (position.unit_id, position.unit.parent_id):
        raise BudgetError(_("The position is not in the office reviewed."), field="position")
    if assignee is not None and not can_in_office(assignee, "work", review.office):
        raise BudgetError(_("The person does not work in the office reviewed."), field="assignee")
    if due_on is None or due_on < review.meeting_on:
        raise BudgetError(_("The due date must come after the meeting."), field="due_on")
    directive = Directive.objects.create(
        review=review, office=review.office, text=text, assignee=assignee, assignee_position=position, due_on=due_on
    )
    audit.record(
        subject=review, action="directive.add", label=_("Directive issued"), by=by, comment=text,
        after={"directive_no": directive.pk, "assignee": str(assignee or position), "due_on": plan.be_text(due_on)},
    )  # fmt: skip
    DirectiveFlow.start.run(directive=directive)
    return directive


def assignee_of(directive: Directive, on: date | None = None) -> Person | None:
    """The named person, else whoever fills the position on the day (acting first)."""
    if directive.assignee_id:
        return directive.assignee
    person, _acting = filling.filler_of(directive.assignee_position, on or timezone.localdate())
    return person


@transaction.atomic
def directive_report(*, directive: Directive, by: Person, text: str) -> Directive:
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    if directive.status != DirectiveStatus.OPEN:
        raise BudgetError(_("This directive is not waiting for a report."))
    if not can_in_office(by, "work", directive.office):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise BudgetError(_("Say what was done."), field="text")
    directive.status = DirectiveStatus.REPORTED
    directive.save(update_fields=["status"])
    DirectiveUpdate.objects.create(directive=directive, kind=DirectiveUpdate.Kind.REPORT, text=text, by=by)
    audit.record(subject=directive.review, action="directive.report", label=_("Action reported on a directive"),
                 by=by, comment=text, after={"directive_no": directive.pk})  # fmt: skip
    return directive


@transaction.atomic
def directive_decide(*, directive: Directive, by: Person, accept: bool, comments: str = "") -> Directive:
    """The reviewer accepts the action taken (the directive is closed) or returns it."""
    directive = Directive.objects.select_for_update().select_related("review").get(pk=directive.pk)
    if directive.review.reviewer_id != by.pk:
        raise PermissionDenied
    if directive.status != DirectiveStatus.REPORTED:
        raise BudgetError(_("No action has been reported on this directive."))
    comments = (comments or "").strip()
    if not accept and not comments:
        raise BudgetError(_("Say what more must be done."), field="comments")
    directive.status = DirectiveStatus.CLOSED if accept else DirectiveStatus.OPEN
    directive.closed_at = timezone.now() if accept else None
    directive.save(update_fields=["status", "closed_at"])
    kind = DirectiveUpdate.Kind.ACCEPT if accept else DirectiveUpdate.Kind.RETURN
    DirectiveUpdate.objects.create(directive=directive, kind=kind, text=comments, by=by)
    audit.record(
        subject=directive.review, action="directive.close" if accept else "directive.return",
        label=_("Directive closed") if accept else _("Directive returned"), by=by, comment=comments,
        after={"directive_no": directive.pk},
    )  # fmt: skip
    return directive
