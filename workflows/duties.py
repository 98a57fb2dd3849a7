"""Who may hold a human step: one rule per node (`nodes.View.Duty`), asked for every way a person
comes to a task — taking it from the office queue, being given it (assign, reassign), and executing
it (so a task handed to the wrong person by any path still cannot be completed by them).

A rule is a function of (person, task) -> bool. `fills(kind)`: the person holds or acts for a
position of that kind serving the case's office today (the acting person is judged as the post they
act for, workflows.roles.signed_as). `excluding=` names the case's person who may never hold the
step (segregation of duties): the inspector of a case never reviews it, signs it off or decides its
order; the officer who filed a progress report never approves it; who prepared a plan never
approves it. `named`: the step belongs to the one person the node's `.Assign` names; `named_except`
adds the people of the case who may never hold it even when named.

A task that nobody may be given when it is created (the post is vacant up to the top, or the one
person named is excluded) is reported to the process administrator: `report_unheld`."""

import logging
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import signed_as

log = logging.getLogger(__name__)

Rule = Callable[[object, object], bool]


def _is_excluded(person, case, excluding) -> bool:
    """Whether `person` is one of the case's people named by `excluding` (a field or a property
    ending in `_id`, or a set of ids `_ids`)."""
    for name in (excluding,) if isinstance(excluding, str) else excluding or ():
        ids = getattr(case, f"{name}_ids", None)
        if ids is not None and person.pk in ids:
            return True
        if ids is None and getattr(case, f"{name}_id") == person.pk:
            return True
    return False


def fills(kind: str, *, excluding: str | None = None) -> Rule:
    def rule(person, task) -> bool:
        process = task.process.coerced
        if excluding and _is_excluded(person, process.case, excluding):
            return False
        office = process.case_office
        return office is not None and bool(signed_as(person, kind, office, timezone.localdate()))

    rule.__doc__ = f"holds or acts for a {kind} position of the case's office" + (
        f", and is not the case's {excluding}" if excluding else ""
    )
    return rule


def named(person, task) -> bool:
    """The person the node's own `.Assign` names for this case today (a project's officer, a
    directive's assignee and reviewer, a plan's preparer, whoever answers an escalation)."""
    node = task.flow_task
    owner = node.calc_owner(node.activation_class(task))
    return owner is not None and owner.pk == person.pk


def named_except(*excluding: str) -> Rule:
    """`named`, unless the person is one of the case's `excluding` (e.g. a directive's reviewer who
    also reported the action taken on it)."""

    def rule(person, task) -> bool:
        return not _is_excluded(person, task.process.coerced.case, excluding) and named(person, task)

    rule.__doc__ = f"the person the step names, unless the case's {' or '.join(excluding)}"
    return rule


def report_unheld(task, *, refused=None) -> None:
    """The new `task` could be given to nobody: list it for the process administrator and write it
    into the case's audit trail (the task waits unowned; its duty still decides who may take it)."""
    from . import audit
    from .models import UnheldReason, UnheldStep

    process = task.process.coerced
    reason = UnheldReason.EXCLUDED if refused is not None else UnheldReason.VACANT
    UnheldStep.objects.create(
        task=task, office=process.case_office, reason=reason, named=str(refused) if refused is not None else ""
    )
    log.warning("task %s (%s) could be given to nobody: %s", task.pk, task.flow_task, reason)
    audit.record(
        subject=process.case, action="task.unheld", label=_("Step could be given to nobody: %(step)s")
        % {"step": task.flow_task.task_title or task.flow_task.name},
        after={"reason": str(UnheldReason(reason).label), "named": str(refused) if refused is not None else ""},
    )  # fmt: skip


def hand_over(task, *, to, by, subject, label, acting_for: str = "") -> None:
    """Give an open task to `to` by hand, once the caller has checked who may hand it over: only to a
    person the step's duty lets hold it (the last guard, whatever the page), and written to `subject`'s
    audit trail with the owner before and after."""
    from django.core.exceptions import PermissionDenied
    from viewflow.workflow.status import STATUS

    from . import audit

    if not task.flow_task.may_hold(to, task):
        raise PermissionDenied
    before = task.owner_id
    task.owner, task.status = to, STATUS.ASSIGNED
    task.save(update_fields=["owner", "status"])
    audit.record(
        subject=subject, action="task.reassign", label=label, by=by, acting_for=acting_for,
        before={"owner": before}, after={"owner": to.pk, "step": task.flow_task.name},
    )  # fmt: skip
