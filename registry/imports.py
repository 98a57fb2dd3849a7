"""Bulk CSV import of factories: every row is checked first (errors reported with their line
numbers); then all rows are saved in one transaction, or nothing is saved at all."""

import csv
import io
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from org.forms import parse_be_date
from permissions import access

from .errors import RegistryError
from .models import Factory, FactoryImport, FactoryStatus, ImportStatus, Jurisdiction
from .rules import GeoIndex
from .validators import normalise_registration_number, validate_registration_number

COLUMNS = (
    "reg_no", "name", "operator", "factory_type", "category_code", "jurisdiction", "address",
    "province_code", "district_code", "sub_district_code", "latitude", "longitude",
    "machinery_hp", "workers", "status", "licence_issued_on", "operating_since",
)  # fmt: skip
REQUIRED = ("reg_no", "name", "operator", "factory_type", "category_code", "address",
            "province_code", "district_code", "sub_district_code")  # fmt: skip
PROGRESS_EVERY = 500
MAX_ERRORS = 1000
MAX_WORKERS = 2_147_483_647  # the largest whole number the column holds on every database

logger = logging.getLogger(__name__)


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


def _int(row, column, *, minimum=0, maximum=None):
    try:
        value = int(row[column])
    except ValueError:
        raise RowError(column, _("must be a whole number")) from None
    if value < minimum:
        raise RowError(column, _("must be at least %(min)s") % {"min": minimum})
    if maximum is not None and value > maximum:
        raise RowError(column, _("must be at most %(max)s") % {"max": f"{maximum:,}"})
    return value


def _decimal(row, column, *, low=None, high=None):
    if not row[column]:
        return None
    try:
        value = Decimal(row[column])
    except InvalidOperation:
        raise RowError(column, _("must be a number")) from None
    if not value.is_finite():  # "NaN" and "Infinity" read as numbers, but no column holds them
        raise RowError(column, _("must be a number"))
    if (low is not None and value < low) or (high is not None and value > high):
        raise RowError(column, _("must be between %(low)s and %(high)s") % {"low": low, "high": high})
    return value


def _date(row, column):
    """ISO or day/month/year; a year above 2400 is Buddhist era (25/03/2567 = 2024-03-25)."""
    raw = row[column]
    if not raw:
        return None
    try:
        return parse_be_date(raw)
    except ValueError:
        raise RowError(column, _("must be a date: 25/03/2567 or 2024-03-25")) from None


def _choice(row, column, choices, default):
    value = row[column] or default
    if value not in choices:
        raise RowError(column, _("must be one of: %(choices)s") % {"choices": ", ".join(choices)})
    return value


def parse_row(row: dict, geo: GeoIndex) -> Factory:
    for column in REQUIRED:
        if not row[column]:
            raise RowError(column, _("is required"))
    reg_no = normalise_registration_number(row["reg_no"])
    try:
        validate_registration_number(reg_no)
    except ValidationError as exc:
        raise RowError("reg_no", exc.messages[0]) from None
    factory_type = _int(row, "factory_type", minimum=1)
    if factory_type not in (1, 2, 3):
        raise RowError("factory_type", _("must be 1, 2 or 3"))
    province, district, sub = (_int(row, c) for c in ("province_code", "district_code", "sub_district_code"))
    address_errors = geo.address_errors(province, district, sub)
    if address_errors:
        field, message = next(iter(address_errors.items()))
        raise RowError(f"{field}_code", message)
    return Factory(
        reg_no=reg_no,
        name=row["name"][:255],
        operator=row["operator"][:255],
        factory_type=factory_type,
        category_code=row["category_code"][:20],
        jurisdiction=_choice(row, "jurisdiction", Jurisdiction.values, Jurisdiction.PROVINCIAL),
        address=row["address"][:255],
        province_id=province,
        district_id=district,
        sub_district_id=sub,
        postcode=geo.postcode(sub),
        office_id=geo.office_for(province),
        latitude=_decimal(row, "latitude", low=5, high=21),
        longitude=_decimal(row, "longitude", low=97, high=106),
        machinery_hp=_decimal(row, "machinery_hp", low=0, high=10**9) or Decimal(0),
        workers=_int(row, "workers", maximum=MAX_WORKERS) if row["workers"] else 0,
        status=_choice(row, "status", FactoryStatus.values, FactoryStatus.OPERATING),
        licence_issued_on=_date(row, "licence_issued_on"),
        operating_since=_date(row, "operating_since"),
    )


def read_rows(data: bytes, *, columns=COLUMNS, required=REQUIRED) -> tuple[list[dict], list[dict]]:
    """Decode (UTF-8, with or without BOM) and check the header. Returns (rows, file errors)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [{"line": 0, "column": "", "message": _("The file is not UTF-8 text (save the CSV as UTF-8).")}]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in required if c not in header]
        if missing:
            message = _("The header lacks the column(s): %(cols)s") % {"cols": ", ".join(missing)}
            return [], [{"line": 1, "column": "", "message": message}]
        reader.fieldnames = header
        rows = [{c: (row.get(c) or "").strip() for c in columns} for row in reader]
    except csv.Error:  # a field over csv's limit (131,072 characters), a NUL byte, an open quote
        message = _("Line %(line)s cannot be read as CSV: a field is too long or a quote is not closed.")
        line = reader.line_num + 1  # the line being read when it failed
        return [], [{"line": line, "column": "", "message": message % {"line": line}}]
    return rows, []


def _not_yours_or_taken() -> str:
    """One answer for a row outside `by`'s offices and for a number registered where `by` cannot see:
    which of the two it is would tell a stranger that another province's factory exists."""
    return _("is outside the offices you may register factories for, or already registered")


def check_rows(rows: list[dict], *, by, on_progress=None) -> tuple[list[Factory], list[dict]]:
    """Parse and check every row. Returns the unsaved factories and the row errors (line numbers
    count the header as line 1)."""
    geo = GeoIndex.load()
    wanted = [normalise_registration_number(r["reg_no"]) for r in rows]
    existing, known = set(), set()  # registered anywhere; registered where `by` may see it
    for start in range(0, len(wanted), 5000):
        chunk = Factory.objects.filter(reg_no__in=wanted[start : start + 5000])
        existing |= set(chunk.values_list("reg_no", flat=True))
        known |= set(access.visible(by, chunk).values_list("reg_no", flat=True))
    seen: dict[str, int] = {}
    factories, errors = [], []
    for index, row in enumerate(rows):
        line = index + 2
        try:
            factory = parse_row(row, geo)
            if factory.reg_no in known:
                raise RowError("reg_no", _("is already registered"))
            if factory.reg_no in existing:  # in an office `by` may not see: say nothing of it
                raise RowError("reg_no", _not_yours_or_taken())
            if factory.reg_no in seen:
                raise RowError("reg_no", _("repeats line %(line)s") % {"line": seen[factory.reg_no]})
            if not access.can(by, "change", factory):
                raise RowError("reg_no", _not_yours_or_taken())
            seen[factory.reg_no] = line
            factories.append(factory)
        except RowError as exc:
            if len(errors) < MAX_ERRORS:
                errors.append({"line": line, "column": exc.column, "message": exc.message})
        if on_progress and (index + 1) % PROGRESS_EVERY == 0:
            on_progress(index + 1)
    return factories, errors


def register_rows(rows: list[dict], *, by) -> int:
    """All-or-nothing registration of checked rows (used by the import and the demo data)."""
    factories, errors = check_rows(rows, by=by)
    if errors:
        raise RegistryError({f"line {e['line']} {e['column']}": e["message"] for e in errors[:20]})
    with transaction.atomic():
        Factory.objects.bulk_create(factories, batch_size=1000)
    return len(factories)


def run_checked(job, *, columns, required, check, write) -> None:
    """The import machinery shared by every CSV upload (factories, self-reports): read the file, check
    every row with `check(rows, on_progress=...) -> (checked, errors)` saving progress as it goes, then
    `write(checked) -> count` in one transaction, or nothing at all when any row failed. `write` may
    still refuse with a RegistryError (its errors keyed "line N column"): everything is rolled back.

    Any other error (the file gone from storage, a value the database refuses, a bug) is logged and
    ends the job failed with its reason: a job never stays "waiting" or "checking" because its task
    raised.

    A job runs to its end once however often its task is delivered (a worker killed mid-import, a
    retry, the sweep re-queueing it): a finished job (finished_at set) is left alone, the rows are
    written in the transaction that finishes the job, and a run that finds the job finished by
    another when it comes to write writes nothing."""
    if _finished(job):
        return
    try:
        _run_checked(job, columns=columns, required=required, check=check, write=write)
    except Exception as exc:
        logger.exception("%s %s stopped on an unexpected error", type(job).__name__, job.pk)
        _fail_unexpectedly(job, exc)


def _finished(job) -> bool:
    return type(job).objects.filter(pk=job.pk, finished_at__isnull=False).exists()


def _save_unfinished(job, *fields: str) -> None:
    """Save `fields` of a job no other run has finished meanwhile (a finished job is never reopened)."""
    type(job).objects.filter(pk=job.pk, finished_at__isnull=True).update(**{f: getattr(job, f) for f in fields})


def fail_job(job, message: str) -> bool:
    """End an unfinished job failed, nothing saved, `message` shown on its page. False when it had
    finished meanwhile."""
    job.status, job.errors, job.finished_at = (
        ImportStatus.FAILED,
        [{"line": 0, "column": "", "message": message}],
        timezone.now(),
    )
    job.created_count = 0
    return bool(
        type(job)
        .objects.filter(pk=job.pk, finished_at__isnull=True)
        .update(status=job.status, errors=job.errors, finished_at=job.finished_at, created_count=0)
    )


def _fail_unexpectedly(job, exc: Exception) -> None:
    """Nothing was saved: rows are written in one transaction, which the error rolled back."""
    message = _(
        "The import stopped on an unexpected error (%(error)s); nothing was saved. Try again, or give "
        "the system administrator the import number %(job)s."
    ) % {"error": type(exc).__name__, "job": job.pk}
    fail_job(job, message)


def _run_checked(job, *, columns, required, check, write) -> None:
    job.file.open("rb")
    try:
        rows, errors = read_rows(job.file.read(), columns=columns, required=required)
    finally:
        job.file.close()
    job.total_rows, job.processed_rows, job.status = len(rows), 0, ImportStatus.VALIDATING
    _save_unfinished(job, "total_rows", "processed_rows", "status")
    if not rows and not errors:
        errors = [{"line": 0, "column": "", "message": _("The file has no data rows.")}]

    def progress(done: int) -> None:
        job.processed_rows = done
        _save_unfinished(job, "processed_rows")

    checked, row_errors = check(rows, on_progress=progress) if rows else ([], [])
    errors += row_errors
    job.processed_rows = len(rows)
    if not errors:
        job.status = ImportStatus.WRITING
        _save_unfinished(job, "processed_rows", "status")
        try:
            with transaction.atomic():
                if type(job).objects.select_for_update().filter(pk=job.pk, finished_at__isnull=False).exists():
                    return  # another delivery of this job wrote it meanwhile
                job.created_count = write(checked)
                _finish(job, [])
            return
        except RegistryError as exc:
            job.created_count = 0
            errors = [_write_error(key, message) for key, message in exc.errors.items()]
    _finish(job, errors)


def _finish(job, errors: list[dict]) -> None:
    job.status = ImportStatus.FAILED if errors else ImportStatus.DONE
    job.errors = errors
    job.finished_at = timezone.now()
    _save_unfinished(job, "processed_rows", "status", "errors", "created_count", "finished_at")


def _write_error(key: str, message: str) -> dict:
    line, _sep, column = key.removeprefix("line ").partition(" ")
    return {"line": int(line) if line.isdigit() else 0, "column": column, "message": message}


def run_import(job: FactoryImport) -> FactoryImport:
    """Check every row (progress saved as it goes), then save all rows in one transaction."""

    def write(factories: list[Factory]) -> int:
        Factory.objects.bulk_create(factories, batch_size=1000)
        return len(factories)

    run_checked(
        job,
        columns=COLUMNS,
        required=REQUIRED,
        check=lambda rows, on_progress: check_rows(rows, by=job.created_by, on_progress=on_progress),
        write=write,
    )
    return job
