"""The one door: "may this person see / do X to this object" and "which objects may they see".

Every view, list, API and export asks here. Scopes come from the grants stored by
permissions.grants (guardian rows on units), loaded once per request in one query."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from org.models import UnitKind
from project.prepared import Prepared

from .grants import MANAGE, OVERSEE, SEE, WORK
from .models import UnitUserObjectPermission

ACTIONS = {"view": SEE, "work": WORK, "change": MANAGE, "oversee": OVERSEE}


@dataclass(frozen=True)
class Scope:
    national: frozenset[str] = frozenset()
    offices: dict[str, frozenset[int]] = field(default_factory=dict)

    def covers(self, codename: str, office_id: int | None) -> bool:
        if codename in self.national:
            return True
        return office_id is not None and office_id in self.offices.get(codename, frozenset())

    def any(self, codename: str) -> bool:
        return codename in self.national or bool(self.offices.get(codename))


_ALL = Scope(national=frozenset(ACTIONS.values()))
_NONE = Scope()


# A person's grants: read once a request, by every request (compiled once per connection: project.prepared).
_GRANTS = Prepared(
    lambda user_id: UnitUserObjectPermission.objects.filter(user_id=user_id).values_list(
        "permission__codename", "content_object_id", "content_object__kind"
    ),
    int,
)


def scope_of(user) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NONE
    if user.is_superuser:
        return _ALL
    cached = user.__dict__.get("_kamkap_scope")
    if cached is not None:
        return cached
    national, offices = set(), {}
    for codename, unit_id, kind in _GRANTS.rows(user.pk):
        if kind == UnitKind.MINISTRY:
            national.add(codename)
        else:
            offices.setdefault(codename, set()).add(unit_id)
    scope = Scope(frozenset(national), {k: frozenset(v) for k, v in offices.items()})
    user.__dict__["_kamkap_scope"] = scope
    return scope


def visible(user, queryset: QuerySet, *, office_field: str = "office", action: str = "view") -> QuerySet:
    """Narrow `queryset` to the rows the user may `action`, by the office that owns each row."""
    ids = visible_office_ids(user, action)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{office_field}__in": ids})


def visible_office_ids(user, action: str = "view") -> list[int] | None:
    """The offices whose rows the user may `action`, by the rule of `visible`: None for every office
    (a national scope), [] for none. For an aggregate read per office (a summary) instead of row by row."""
    codename = ACTIONS[action]
    scope = scope_of(user)
    if codename in scope.national:
        return None
    return sorted(scope.offices.get(codename, ()))


def office_id_of(obj: Model) -> int | None:
    if hasattr(obj, "owning_office_id"):
        return obj.owning_office_id
    return getattr(obj, "office_id", None)


def can(user, action: str, obj: Model) -> bool:
    return scope_of(user).covers(ACTIONS[action], office_id_of(obj))


def can_anywhere(user, action: str) -> bool:
    """May the user `action` in at least one office (e.g. show the "add factory" button)."""
    return scope_of(user).any(ACTIONS[action])


def require(user, action: str, obj: Model) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def visible_offices(user) -> QuerySet:
    from org.models import Unit

    return visible(user, Unit.objects.filter(kind=UnitKind.OFFICE), office_field="pk")


def office_choices(user) -> QuerySet:
    """The offices a list offers to filter by: those the user sees, none when that is one office or
    fewer (nothing to choose between; told by the scope, so no statement is run)."""
    ids = visible_office_ids(user)
    offices = visible_offices(user)
    return offices.none() if ids is not None and len(ids) < 2 else offices


def may_track(user) -> bool:
    """Who may open the executive dashboards: whoever oversees or manages an office, and a read-only
    viewer (sees offices without working in them). An inspector works cases and follows them from
    the inbox; the dashboards are not theirs."""
    if not getattr(user, "is_authenticated", False):
        return False
    if can_anywhere(user, "oversee") or can_anywhere(user, "change"):
        return True
    return can_anywhere(user, "view") and not can_anywhere(user, "work")
