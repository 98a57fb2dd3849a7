"""The benchmarks, one module per subject; each `measure(cast)` returns figures and evidence."""

from dataclasses import dataclass

from org.models import Person, Unit, UnitKind

from ..seed.people import BIG_INBOX, LOPBURI, SMALL_INBOX, SONGKHLA, STOCK_USER, Staff, office_staff


@dataclass(frozen=True)
class Cast:
    big_inbox: Person
    small_inbox: Person
    stock_user: Person
    deputy_ps: Person
    songkhla: Staff
    lopburi: Staff  # works the chains: its factories are not crowded by the big inboxes


def cast() -> Cast:
    staff = office_staff()
    office = dict(Unit.objects.filter(kind=UnitKind.OFFICE).values_list("province_id", "pk"))
    people = {p.username: p for p in Person.objects.filter(username__in=[BIG_INBOX, SMALL_INBOX, STOCK_USER, "dps"])}
    return Cast(
        big_inbox=people[BIG_INBOX],
        small_inbox=people[SMALL_INBOX],
        stock_user=people[STOCK_USER],
        deputy_ps=people["dps"],
        songkhla=staff[office[SONGKHLA]],
        lopburi=staff[office[LOPBURI]],
    )
