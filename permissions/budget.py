"""Access questions of budget follow-up that take an office (a Unit) rather than an object owned by
one: may this person register projects in it, or review it as its assistant / deputy PS."""

from django.core.exceptions import PermissionDenied

from .access import ACTIONS, scope_of


def can_in_office(user, action: str, office) -> bool:
    """May the user `action` ("view", "work", "change", "oversee") in `office` (a provincial office unit)."""
    return office is not None and scope_of(user).covers(ACTIONS[action], office.pk)


def require_in_office(user, action: str, office) -> None:
    if not can_in_office(user, action, office):
        raise PermissionDenied
