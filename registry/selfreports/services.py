"""Writes of self-reports. One way of filing: `selfreport_file_many` files a set of reports in a constant
number of statements (iSingleForm's push of 1,000); `selfreport_file`, which the operator's form, the CSV
import and the REST API call, is that for one report. Nothing else saves a SelfReport."""

import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.calendar import format_be
from permissions import operators
from workflows import audit, outbox
from workflows.models import AuditChain, AuditEntry
from workflows.models.audit import GENESIS

from ..errors import RegistryError
from ..models import Factory
from .models import Channel, FactoryOperator, ReportImport, ReportKind, ReportValue, SelfReport
from .periods import Period, PeriodError
from .validation import clean_values

FILED = gettext_lazy("Self-report filed")
AMENDED = gettext_lazy("Self-report amended")
OPERATOR_ADDED = gettext_lazy("Operator added")
BATCH = 1000  # rows a statement (PostgreSQL; SQLite splits at its 999 parameters)
VALUE_BATCH = 10 * BATCH  # figures: 1,000 reports of up to 10 figures in one statement


class Refusal(models.TextChoices):
    """Why `selfreport_file_many` did not file a report (each with its RegistryError, whose messages are
    what people read): a figure or the period is not valid; the period is already filed (amend it); the
    amendment changes no value; the same factory, kind and period earlier in the set."""

    INVALID = "invalid"
    ALREADY_FILED = "already_filed"
    NO_CHANGE = "no_change"
    DUPLICATE = "duplicate_row"


@dataclass(eq=False)  # each filing is itself: `filings.index` finds this one, not an equal one
class Filing:
    """One report to file: what `selfreport_file` takes. `cleaned`: values already run through
    `check_filing` (the CSV import checks every row before writing). After `selfreport_file_many`:
    `report` (and the revision it `superseded`) or `refusal` with its `error` (a DUPLICATE names the filing
    it repeats: `duplicate_of`)."""

    factory: Factory
    kind: ReportKind
    period: Period
    values: dict
    amend: bool = False
    note: str = ""
    cleaned: dict | None = None
    report: SelfReport | None = None
    superseded: SelfReport | None = None
    refusal: Refusal | None = None
    error: RegistryError | None = None
    duplicate_of: "Filing | None" = None

    @property
    def key(self) -> tuple:
        return self.factory.pk, self.kind.pk, self.period.start


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
    report is never filed twice by mistake. Audited on the chain of the new revision. A refusal is the
    RegistryError of `selfreport_file_many`."""
    filing = Filing(factory=factory, kind=kind, period=period, values=values, amend=amend, note=note, cleaned=cleaned)
    selfreport_file_many(filings=[filing], by=by, channel=channel)
    if filing.error is not None:
        raise filing.error
    return filing.report


@transaction.atomic
def selfreport_file_many(*, filings: list[Filing], by, channel: str = Channel.FORM) -> list[Filing]:
    """File every filing that passes `selfreport_file`'s rules, in one transaction; each one refused gets
    its `refusal` and `error` (a RegistryError by field) and the others are filed all the same. The
    statements do not grow with the filings: the current revisions read and locked in one query, the
    superseded ones in one UPDATE, the reports, figures and audit entries in bulk INSERTs. Every filing's
    factory must be one `by` may file for (PermissionDenied otherwise: the caller asks first)."""
    factories = {filing.factory.pk: filing.factory for filing in filings}
    if not all(operators.can_file(by, factory) for factory in factories.values()):
        raise PermissionDenied
    for filing in filings:
        if filing.cleaned is None:
            try:
                filing.cleaned = check_filing(
                    factory=filing.factory, kind=filing.kind, period=filing.period, values=filing.values
                )
            except RegistryError as exc:
                _refuse(filing, Refusal.INVALID, exc.errors)
    checked = [filing for filing in filings if filing.refusal is None]
    current = _current_of(checked)
    first_of: dict[tuple, Filing] = {}
    for filing in checked:
        if filing.key in first_of:
            filing.duplicate_of = first_of[filing.key]
            repeated = _("repeats row %(index)s") % {"index": filings.index(filing.duplicate_of)}  # from 0
            _refuse(filing, Refusal.DUPLICATE, {"period": repeated})
            continue
        first_of[filing.key] = filing
        filing.superseded = current.get(filing.key)
        if filing.superseded is not None and not filing.amend:
            message = _("%(period)s was already filed on %(date)s. Amend it instead: the earlier version is kept.")
            filed_on = format_be(timezone.localdate(filing.superseded.first_filed_at))
            _refuse(
                filing, Refusal.ALREADY_FILED, {"period": message % {"period": filing.period.label(), "date": filed_on}}
            )
        elif filing.superseded is not None and _values_of(filing.superseded) == filing.cleaned:
            _refuse(filing, Refusal.NO_CHANGE, {"amend": _("The amendment changes no value.")})
    _write([filing for filing in filings if filing.refusal is None], by, channel)
    return filings


def _refuse(filing: Filing, refusal: Refusal, errors: dict) -> None:
    filing.refusal, filing.error, filing.superseded = refusal, RegistryError(errors), None


def _current_of(filings: list[Filing]) -> dict[tuple, SelfReport]:
    """The current revision of each filing's (factory, kind, period), locked, with its figures: one query
    (and one for the figures)."""
    if not filings:
        return {}
    current = (
        SelfReport.objects.select_for_update()
        .filter(is_current=True, factory__in={f.factory.pk for f in filings}, kind__in={f.kind.pk for f in filings})
        .filter(period_start__in={f.period.start for f in filings})
        .prefetch_related(Prefetch("values", ReportValue.objects.order_by("pk")))
    )
    return {(report.factory_id, report.kind_id, report.period_start): report for report in current}


def _write(filings: list[Filing], by, channel: str) -> None:
    if not filings:
        return
    now = timezone.now()
    superseded = [filing.superseded.pk for filing in filings if filing.superseded is not None]
    if superseded:
        SelfReport.objects.filter(pk__in=superseded).update(is_current=False)
    for filing in filings:
        before = filing.superseded
        filing.report = SelfReport(
            factory=filing.factory, kind=filing.kind, period_start=filing.period.start, period_end=filing.period.end,
            revision=before.revision + 1 if before else 1, is_current=True,
            first_filed_at=before.first_filed_at if before else now, filed_at=now, filed_by=by, channel=channel,
            note=filing.note[:500],
        )  # fmt: skip
    SelfReport.objects.bulk_create([filing.report for filing in filings], batch_size=BATCH)
    values = []
    for filing in filings:
        units = {f.key: f.unit for f in filing.kind.fields.all()}
        values += [
            ReportValue(
                report=filing.report,
                key=key,
                number=None if isinstance(value, str) else value,
                text=value if isinstance(value, str) else "",
                unit=units.get(key, ""),
            )
            for key, value in filing.cleaned.items()
        ]
    ReportValue.objects.bulk_create(values, batch_size=VALUE_BATCH)
    _audit(filings, by, channel, now)


def _audit(filings: list[Filing], by, channel: str, now) -> None:
    """Each new revision's chain begins with its filing (`audit.record`'s entry, written for all of them
    in two INSERTs: the chains are new, so there is no head to lock)."""
    entries, chains = [], []
    for filing in filings:
        before, report = filing.superseded, filing.report
        content = {
            "chain": audit.chain_key(report), "seq": 1, "at": now, "prev_hash": GENESIS,
            "actor_id": by.pk, "actor_name": str(by), "acting_for": "",
            "action": "selfreport.amend" if before else "selfreport.file",
            "label": _untranslated(AMENDED if before else FILED), "comment": str(filing.note),
            "before": _json({**_plain(_values_of(before)), "revision": before.revision} if before else None),
            "after": _json({**_plain(filing.cleaned), "revision": report.revision, "period": filing.period.code,
                            "channel": channel}),
        }  # fmt: skip
        content["hash"] = audit.entry_hash(content)
        entries.append(AuditEntry(**content))
        chains.append(AuditChain(key=content["chain"], seq=1, last_hash=content["hash"], updated_at=now))
    AuditChain.objects.bulk_create(chains, batch_size=BATCH)
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)


def _json(data: dict | None) -> dict:
    """As the JSON column reads it back, so that the entry's hash can be recomputed (audit.record's)."""
    return json.loads(json.dumps(data or {}, default=audit.json_value))


def _untranslated(text) -> str:
    with translation.override(None):  # stored untranslated, as audit.record stores a lazy label
        return str(text)


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
