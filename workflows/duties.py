"""Who may hold a human step: one rule per node (`nodes.View.Duty`), asked for every way a person
comes to a task — taking it from the office queue, being given it (assign, reassign), and executing
it (so a task handed to the wrong person by any path still cannot be completed by them).

A rule is a function of (person, task) -> bool. `fills(kind)`: the person holds or acts for a
position of that kind serving the case's office today (the acting person is judged as the post they
act for, workflows.roles.signed_as). `excluding=` names the case's person who may never hold the
step (segregation of duties): the inspector of a case never reviews it, signs it off or decides its
order; the officer who filed a progress report never approves it; who prepared a plan never
approves it. `named`: the step belongs to the one person the node's `.Assign` names."""

from collections.abc import Callable

from django.utils import timezone

from .roles import signed_as

Rule = Callable[[object, object], bool]


def fills(kind: str, *, excluding: str | None = None) -> Rule:
    def rule(person, task) -> bool:
        process = task.process.coerced
        if excluding and getattr(process.case, f"{excluding}_id") == person.pk:
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
