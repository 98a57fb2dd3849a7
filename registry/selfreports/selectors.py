"""Reads of self-reports: the latest reported figures (for the inspection cross-check), late and missing
reports per factory and period (for the risk score and the offices' lists), a factory's reports.

Late or missing, for one required (factory, kind, period) as of a day `on`: the due date (the period's
end + the kind's `due_days`) has passed (`due < on`; the due date itself is still on time) and the
report was not first filed by the end of the due date. A report filed after its due date stays late.
Required: the kind is in use and applies to the factory's type, the factory is operating and was operating
when the period ended (no `operating_since`: always), and the due date falls in the year before `on`
(LOOKBACK_DAYS)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions import operators
from project.prepared import Prepared

from ..models import Factory, FactoryStatus
from .models import ReportKind, ReportValue, SelfReport
from .periods import Period, periods_due_between

LOOKBACK_DAYS = 365


@dataclass(frozen=True)
class ReportedValue:
    value: Decimal
    unit: str
    kind_code: str
    kind_label: str  # Thai, e.g. "รว."
    period_label: str  # Thai, Buddhist era, e.g. "ครึ่งปีแรก 2567"
    report_id: int
    filed_at: datetime


def latest_values(factory, keys) -> dict[str, ReportedValue]:
    """For each key, the factory's latest filed number (current revisions only, latest period first,
    across kinds). One query."""
    keys = sorted(set(keys))
    if not keys:
        return {}
    found: dict[str, ReportedValue] = {}
    for row in _latest_query(len(keys)).all(getattr(factory, "pk", factory), *keys):
        if row.key in found:
            continue
        report, kind = row.report, row.report.kind
        found[row.key] = ReportedValue(
            value=row.number,
            unit=row.unit,
            kind_code=kind.code,
            kind_label=kind.form_ref or kind.name_th,
            period_label=Period(report.period_start, kind.frequency).label("th"),
            report_id=report.pk,
            filed_at=report.filed_at,
        )
    return found


def _values_query(factory_id: int, *keys: str) -> QuerySet:
    return (
        ReportValue.objects.filter(
            report__factory_id=factory_id, report__is_current=True, key__in=keys, number__isnull=False
        )
        .select_related("report__kind")
        .order_by("key", "-report__period_end", "-report__filed_at", "-pk")
    )


_LATEST: dict[int, Prepared] = {}  # by the number of keys: a handful (the report fields a checklist names)


def _latest_query(count: int) -> Prepared:
    """latest_values' query for `count` keys, compiled once: it is read at every save of a checklist, and
    building this join of three tables and four orderings cost more than running it (1.2 of its 1.6 ms,
    200,000 cases, 4 Dec 2026, one-off measurement)."""
    prepared = _LATEST.get(count)
    if prepared is None:
        prepared = _LATEST[count] = Prepared(_values_query, int, *(str,) * count)
    return prepared


@dataclass(frozen=True)
class Due:
    """One required (kind, period) and its due date."""

    kind: ReportKind
    period: Period
    due: date

    @property
    def filed_by_deadline(self) -> datetime:
        """Filed before this instant is on time (the end of the due date, local time)."""
        return timezone.make_aware(datetime.combine(self.due + timedelta(days=1), time.min))


def dues(on: date, kinds: list[ReportKind] | None = None) -> list[Due]:
    """The (kind, period) pairs falling due in the year before `on` (due < on)."""
    kinds = kinds if kinds is not None else list(ReportKind.objects.filter(active=True))
    first, last = on - timedelta(days=LOOKBACK_DAYS), on - timedelta(days=1)
    found = []
    for kind in kinds:
        for period in periods_due_between(kind.frequency, kind.due_days, first, last):
            found.append(Due(kind, period, period.due(kind.due_days)))
    return found


def _required(due: Due, factory_type: int, operating_since: date | None) -> bool:
    types = due.kind.factory_types
    return (not types or factory_type in types) and (operating_since is None or operating_since <= due.period.end)


def _on_time(due: Due) -> Q:
    """Current filings that meet `due` on time, from factories that had to file it."""
    required = Q(factory__operating_since__isnull=True) | Q(factory__operating_since__lte=due.period.end)
    if due.kind.factory_types:
        required &= Q(factory__factory_type__in=due.kind.factory_types)
    return Q(kind_id=due.kind.pk, period_start=due.period.start, first_filed_at__lt=due.filed_by_deadline) & required


def overdue_counts(factory_ids=None, *, on: date) -> dict[int, int]:
    """{factory id: number of late-or-missing reports} as of `on`, for operating factories (all of them,
    or those of `factory_ids`); factories with none are left out. Three queries whatever the number of
    factories: the kinds, the factories, the on-time filings counted per factory."""
    due_list = dues(on)
    if not due_list:
        return {}
    factories = Factory.objects.filter(status=FactoryStatus.OPERATING)
    reports = SelfReport.objects.filter(is_current=True)
    if factory_ids is not None:
        factory_ids = list(factory_ids)
        factories, reports = factories.filter(pk__in=factory_ids), reports.filter(factory_id__in=factory_ids)
    on_time = Q()
    for due in due_list:
        on_time |= _on_time(due)
    # One count per factory: a filing matches at most one due (kind, period), so rows = dues met.
    met = dict(reports.filter(on_time).values("factory_id").annotate(n=Count("pk")).values_list("factory_id", "n"))
    counts = {}
    for pk, factory_type, since in factories.values_list("pk", "factory_type", "operating_since").iterator(2000):
        required = sum(1 for due in due_list if _required(due, factory_type, since))
        overdue = required - met.get(pk, 0)
        if overdue > 0:
            counts[pk] = overdue
    return counts


LATE, MISSING = "late", "missing"
STATUS_LABELS = {LATE: _("Filed late"), MISSING: _("Not filed")}


@dataclass(frozen=True)
class Overdue:
    factory: Factory
    kind: ReportKind
    period: Period
    due: date
    status: str  # LATE or MISSING
    filed_at: datetime | None
    report_id: int | None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def days_late(self) -> int:
        end = timezone.localdate(self.filed_at) if self.filed_at else timezone.localdate()
        return (end - self.due).days


def overdue_list(factories: QuerySet, *, on: date) -> list[Overdue]:
    """Every late or missing report of the given (operating) factories as of `on`, by factory, due date
    and kind. Three queries (kinds, factories, their filings of the due periods)."""
    due_list = dues(on)
    if not due_list:
        return []
    factories = list(factories.filter(status=FactoryStatus.OPERATING).order_by("name", "pk"))
    starts = sorted({due.period.start for due in due_list})
    filed = {
        (r.factory_id, r.kind_id, r.period_start): r
        for r in SelfReport.objects.filter(
            is_current=True, factory__in=[f.pk for f in factories], period_start__in=starts
        ).only("pk", "factory_id", "kind_id", "period_start", "first_filed_at")
    }
    rows = []
    for factory in factories:
        for due in sorted(due_list, key=lambda d: (d.due, d.kind.order, d.kind.code)):
            if not _required(due, factory.factory_type, factory.operating_since):
                continue
            report = filed.get((factory.pk, due.kind.pk, due.period.start))
            if report is not None and report.first_filed_at < due.filed_by_deadline:
                continue
            if report is not None and timezone.localdate(report.first_filed_at) > on:
                report = None  # filed after `on`: missing as of `on`
            rows.append(
                Overdue(
                    factory=factory,
                    kind=due.kind,
                    period=due.period,
                    due=due.due,
                    status=LATE if report else MISSING,
                    filed_at=report.first_filed_at if report else None,
                    report_id=report.pk if report else None,
                )  # fmt: skip
            )
    return rows


def reports_visible(user) -> QuerySet:
    """Current reports the user may see, newest period first."""
    return operators.visible_reports(
        user, SelfReport.objects.filter(is_current=True).select_related("factory", "kind", "filed_by")
    )


def factory_reports(factory) -> QuerySet:
    """A factory's current reports (the caller has checked access)."""
    return SelfReport.objects.filter(factory=factory, is_current=True).select_related("kind", "filed_by")


def revisions(report: SelfReport) -> QuerySet:
    """Every revision of the report's factory, kind and period, newest first, with their values."""
    return (
        SelfReport.objects.filter(
            factory_id=report.factory_id, kind_id=report.kind_id, period_start=report.period_start
        )
        .select_related("filed_by")
        .prefetch_related("values")
        .order_by("-revision")
    )


def outstanding(factory, *, on: date) -> list[Due]:
    """What the factory has to file now: required periods already over and not yet filed, due date
    passed (overdue) or not — for the operator's page. Two queries."""
    kinds = [k for k in ReportKind.objects.filter(active=True) if k.applies_to(factory)]
    candidates = []
    for kind in kinds:
        period = Period.containing(kind.frequency, on).previous()
        for _i in range(2):  # the last two finished periods
            if factory.operating_since is None or factory.operating_since <= period.end:
                candidates.append(Due(kind, period, period.due(kind.due_days)))
            period = period.previous()
    filed = set(
        SelfReport.objects.filter(
            factory=factory, is_current=True, period_start__in={d.period.start for d in candidates}
        ).values_list("kind_id", "period_start")
    )
    return [d for d in candidates if (d.kind.pk, d.period.start) not in filed]
