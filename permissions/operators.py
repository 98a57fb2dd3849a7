"""Factory operators: people outside the organisation who file their factories' self-reports.

They hold no position and get no office scope; what they may see and do comes only from the factories
tied to them (registry FactoryOperator): their self-reports, and their inspection results and issued
orders once signed off. Officers reach the same through `access` on the factory's office. Every
self-report screen and every document an operator may open asks here."""

from django.db.models import Model, QuerySet

from . import access


def factory_ids(user) -> frozenset[int]:
    """The factories the user operates (one query, cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = user.__dict__.get("_kamkap_operated")
    if cached is None:
        from registry.models import FactoryOperator

        cached = frozenset(FactoryOperator.objects.filter(person_id=user.pk).values_list("factory_id", flat=True))
        user.__dict__["_kamkap_operated"] = cached
    return cached


def is_operator(user) -> bool:
    return bool(factory_ids(user))


def operates(user, factory: Model) -> bool:
    return factory.pk in factory_ids(user)


def visible_factories(user, queryset: QuerySet) -> QuerySet:
    """Factories whose reports the user may see: their office's (officers) or their own (operators)."""
    mine = factory_ids(user)
    seen = access.visible(user, queryset)
    return (seen | queryset.filter(pk__in=sorted(mine))) if mine else seen


def visible_reports(user, queryset: QuerySet) -> QuerySet:
    """Reports (or anything with a `factory`) the user may see."""
    mine = factory_ids(user)
    seen = access.visible(user, queryset, office_field="factory__office")
    return (seen | queryset.filter(factory_id__in=sorted(mine))) if mine else seen


def visible_results(user, queryset: QuerySet) -> QuerySet:
    """Inspection cases the user may read: officers by their office (access); an operator their own
    factories' cases once the report is signed off (what the ministry sends them) — never a case
    still in work."""
    mine = factory_ids(user)
    seen = access.visible(user, queryset)
    if not mine:
        return seen
    return seen | queryset.filter(factory_id__in=sorted(mine), signed_off_at__isnull=False)


def can_see_reports(user, factory: Model) -> bool:
    return operates(user, factory) or access.can(user, "view", factory)


def can_file(user, factory: Model) -> bool:
    """Operators file their own factories' reports; office staff may file on a factory's behalf
    (e.g. a paper form received at the office)."""
    return operates(user, factory) or access.can(user, "work", factory)


def can_file_anywhere(user) -> bool:
    return is_operator(user) or access.can_anywhere(user, "work")
