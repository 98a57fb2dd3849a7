"""Bulk CSV of one report kind: `reg_no`, `period`, one column per field key of the kind, and optional
`amend` (1 to file a corrected version of a period already filed) and `note`. Every row is checked first
(errors with their line numbers); then all rows are filed in one transaction through the same service as
the form, or nothing is filed at all (registry.imports.run_checked)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from permissions import operators

from ..errors import RegistryError
from ..imports import MAX_ERRORS, PROGRESS_EVERY, run_checked
from ..models import Factory
from ..validators import normalise_registration_number
from .models import Channel, ReportImport, ReportKind, SelfReport
from .periods import Period, PeriodError
from .services import check_filing, selfreport_file

FIXED = ("reg_no", "period")
OPTIONAL = ("amend", "note")
YES = {"1", "y", "yes", "true", "ใช่", "แก้ไข"}


def columns(kind: ReportKind) -> tuple[str, ...]:
    return (*FIXED, *(f.key for f in kind.fields.all()), *OPTIONAL)


def required_columns(kind: ReportKind) -> tuple[str, ...]:
    return (*FIXED, *(f.key for f in kind.fields.all() if f.required))


@dataclass(frozen=True)
class Row:
    line: int
    factory: Factory
    period: Period
    cleaned: dict
    amend: bool
    note: str


def check_rows(rows: list[dict], *, kind: ReportKind, by, on_progress=None) -> tuple[list[Row], list[dict]]:
    """Parse and check every row. Returns the checked rows and the row errors (the header is line 1)."""
    keys = [f.key for f in kind.fields.all()]
    wanted = {normalise_registration_number(r["reg_no"]) for r in rows}
    factories = {}
    for chunk in _chunks(sorted(wanted), 5000):
        factories |= {f.reg_no: f for f in Factory.objects.filter(reg_no__in=chunk)}
    filed = set(
        SelfReport.objects.filter(kind=kind, is_current=True, factory__in=[f.pk for f in factories.values()])
        .values_list("factory_id", "period_start")
    )  # fmt: skip
    seen: dict[tuple[int, object], int] = {}
    checked, errors = [], []
    for index, row in enumerate(rows):
        line = index + 2
        try:
            factory = factories.get(normalise_registration_number(row["reg_no"]))
            if factory is None or not operators.can_file(by, factory):
                raise RegistryError({"reg_no": _("is not a factory you may file reports for")})
            try:
                period = kind.period(row["period"])
            except PeriodError as exc:
                raise RegistryError({"period": str(exc)}) from None
            amend = row["amend"].lower() in YES
            if (factory.pk, period.start) in filed and not amend:
                message = _("%(period)s is already filed; put 1 in the amend column to file a corrected version")
                raise RegistryError({"period": message % {"period": period.label()}})
            if (factory.pk, period.start) in seen:
                raise RegistryError({"period": _("repeats line %(line)s") % {"line": seen[(factory.pk, period.start)]}})
            values = {key: row[key] for key in keys}
            cleaned = check_filing(factory=factory, kind=kind, period=period, values=values)
            seen[(factory.pk, period.start)] = line
            checked.append(Row(line, factory, period, cleaned, amend, row["note"]))
        except RegistryError as exc:
            for column, message in exc.errors.items():
                if len(errors) < MAX_ERRORS:
                    errors.append({"line": line, "column": column, "message": message})
        if on_progress and (index + 1) % PROGRESS_EVERY == 0:
            on_progress(index + 1)
    return checked, errors


def write_rows(checked: list[Row], *, kind: ReportKind, by) -> int:
    """File every checked row (inside the caller's transaction); a refusal names its line."""
    for row in checked:
        try:
            selfreport_file(
                factory=row.factory, kind=kind, period=row.period, values={}, cleaned=row.cleaned, by=by,
                amend=row.amend, note=row.note, channel=Channel.CSV,
            )  # fmt: skip
        except RegistryError as exc:
            raise RegistryError({f"line {row.line} {k}": v for k, v in exc.errors.items()}) from None
    return len(checked)


def run_import(job: ReportImport) -> ReportImport:
    kind = ReportKind.objects.prefetch_related("fields").get(pk=job.kind_id)
    by = job.created_by
    run_checked(
        job,
        columns=columns(kind),
        required=required_columns(kind),
        check=lambda rows, on_progress: check_rows(rows, kind=kind, by=by, on_progress=on_progress),
        write=lambda checked: write_rows(checked, kind=kind, by=by),
    )
    return job


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
