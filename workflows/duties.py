"""Who may hold a human step: one rule per node (`nodes.View.Duty`), asked for every way a person
comes to a task — taking it from the office queue, being given it (assign, reassign), and executing
it (so a task handed to the wrong person by any path still cannot be completed by them).

A rule is a function of (person, task) -> bool. `fills(kind)`: the person holds or acts for a
position of that kind serving the case's office today (the acting person is judged as the post they
act for, workflows.roles.signed_as). `not_the_inspector(rule)`: segregation of duties — the inspector
of a case never reviews it, signs it off or decides its order."""

from collections.abc import Callable

from django.utils import timezone

from .roles import signed_as

Rule = Callable[[object, object], bool]


def _process(task):
    return task.process.coerced


def fills(kind: str) -> Rule:
    def rule(person, task) -> bool:
        office = _process(task).case_office
        return office is not None and bool(signed_as(person, kind, office, timezone.localdate()))

    rule.__doc__ = f"holds or acts for a {kind} position of the case's office"
    return rule


def not_the_inspector(rule: Rule) -> Rule:
    def guarded(person, task) -> bool:
        return _process(task).case.inspector_id != person.pk and rule(person, task)

    guarded.__doc__ = f"{rule.__doc__}, and is not the case's inspector"
    return guarded
