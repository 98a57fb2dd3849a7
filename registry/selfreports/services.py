"""Writes of self-reports. The operator's form, the CSV import and the REST API all call
`selfreport_file`; nothing else saves a SelfReport."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.calendar import format_be
from permissions import operators
from workflows import audit, outbox

from ..errors import RegistryError
from ..models import Factory
from .models import Channel, FactoryOperator, ReportImport, ReportKind, ReportValue, SelfReport
from .periods import Period, PeriodError
from .validation import clean_values

FILED = gettext_lazy("Self-report filed")
AMENDED = gettext_lazy("Self-report amended")
OPERATOR_ADDED = gettext_lazy("Operator added")


def check_filing(*, factory: Factory, kind: ReportKind, period: Period, values: dict, on=None) -> dict:
    """Everything about a filing that does not depend on what is already filed: the kind applies to the
    factory, the period is over, the values fit the fields. Returns the cleaned values."""
    on = on or timezone.localdate()
    if not kind.active:
        raise RegistryError({"kind": _("This report kind is no longer in use.")})
    if period.frequency != kind.frequency:
        raise RegistryError({"period": Period.hint(kind.frequency)})
    if not kind.applies_to(factory):
        raise RegistryError({"kind": _("Factories of this type do not file this report.")})
    if period.end >= on:
        message = _("The period %(period)s ends on %(end)s; file its report after that.")
        raise RegistryError({"period": message % {"period": period.label(), "end": format_be(period.end)}})
    cleaned, errors = clean_values(list(kind.fields.all()), values)
    if errors:
        raise RegistryError(errors)
    return cleaned


def _plain(values: dict) -> dict:
    """Numbers as written (`18`, not `18.0000`) for the audit trail."""
    return {k: f"{v.normalize():f}" if isinstance(v, Decimal) else v for k, v in values.items()}


def _values_of(report: SelfReport | None) -> dict:
    if report is None:
        return {}
    return {v.key: (v.number if v.number is not None else v.text) for v in report.values.all()}


@transaction.atomic
def selfreport_file(
    *,
    factory: Factory,
    kind: ReportKind,
    period: Period,
    values: dict,
    by,
    amend: bool = False,
    note: str = "",
    channel: str = Channel.FORM,
    cleaned: dict | None = None,
) -> SelfReport:
    """File the report of `factory` for `kind` and `period`. When the period is already filed, `amend=True`
    adds the next revision (the earlier one stays, superseded); without it the filing is refused, so a
    report is never filed twice by mistake. Audited on the chain of the new revision. `cleaned`: values
    the caller already ran through `check_filing` (the CSV import checks every row before writing)."""
    if not operators.can_file(by, factory):
        raise PermissionDenied
    cleaned = cleaned if cleaned is not None else check_filing(factory=factory, kind=kind, period=period, values=values)
    current = (
        SelfReport.objects.select_for_update()
        .filter(factory=factory, kind=kind, period_start=period.start, is_current=True)
        .first()
    )
    if current is not None and not amend:
        message = _("%(period)s was already filed on %(date)s. Amend it instead: the earlier version is kept.")
        filed_on = format_be(timezone.localdate(current.first_filed_at))
        raise RegistryError({"period": message % {"period": period.label(), "date": filed_on}})
    if current is not None and _values_of(current) == cleaned:
        raise RegistryError({"amend": _("The amendment changes no value.")})
    now = timezone.now()
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    report = SelfReport.objects.create(
        factory=factory,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        revision=current.revision + 1 if current else 1,
        is_current=True,
        first_filed_at=current.first_filed_at if current else now,
        filed_at=now,
        filed_by=by,
        channel=channel,
        note=note[:500],
    )
    units = {f.key: f.unit for f in kind.fields.all()}
    ReportValue.objects.bulk_create(
        ReportValue(
            report=report,
            key=key,
            number=None if isinstance(value, str) else value,
            text=value if isinstance(value, str) else "",
            unit=units.get(key, ""),
        )
        for key, value in cleaned.items()
    )
    audit.record(
        subject=report,
        action="selfreport.amend" if current else "selfreport.file",
        label=AMENDED if current else FILED,
        by=by,
        comment=note,
        before={**_plain(_values_of(current)), "revision": current.revision} if current else None,
        after={**_plain(cleaned), "revision": report.revision, "period": period.code, "channel": channel},
    )
    return report


def selfreport_submit(
    *,
    factory: Factory,
    kind_code: str,
    period: str,
    values: dict,
    by,
    amend: bool = False,
    note: str = "",
    channel: str = Channel.API,
) -> SelfReport:
    """`selfreport_file` for callers that hold codes (the REST API): the kind by its code, the period as
    written (`2567`, `2567-H1`, `2567-03`). Unknown codes are RegistryErrors like any other."""
    kind = ReportKind.objects.filter(code=kind_code, active=True).prefetch_related("fields").first()
    if kind is None:
        raise RegistryError({"kind": _("Unknown report kind %(code)s.") % {"code": kind_code}})
    try:
        parsed = kind.period(period)
    except PeriodError as exc:
        raise RegistryError({"period": str(exc)}) from None
    return selfreport_file(factory=factory, kind=kind, period=parsed, values=values, by=by, amend=amend, note=note,
                           channel=channel)  # fmt: skip


@transaction.atomic
def operator_add(*, person, factory: Factory, by) -> FactoryOperator:
    """Tie a person to a factory as its operator (by the factory's office managers)."""
    from permissions import access

    access.require(by, "change", factory)
    link, created = FactoryOperator.objects.get_or_create(person=person, factory=factory)
    if created:
        audit.record(subject=factory, action="factory.operator_add", label=OPERATOR_ADDED, by=by,
                     after={"operator": person.get_username()})  # fmt: skip
    return link


def report_import_start(*, by, kind: ReportKind, upload) -> ReportImport:
    """Store an uploaded CSV of one report kind and queue its import (runs at once in the embedded set-up)."""
    from .tasks import import_reports

    if not operators.can_file_anywhere(by):
        raise PermissionDenied
    if not upload.name.lower().endswith(".csv"):
        raise RegistryError({"file": _("Upload a .csv file.")})
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise RegistryError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}}
        )
    with transaction.atomic():  # the job and its outbox row, or neither
        job = ReportImport.objects.create(created_by=by, kind=kind, file=upload, original_name=upload.name[:255])
        outbox.enqueue(import_reports, job.pk)
    return job
