"""iSingleForm's push: many self-reports in one request (POST /api/v1/selfreports/bulk/), each by the
factory's registration number, the report kind's code and the period as written.

Per-row results, not all-or-nothing: every row is checked (the filing service's own checks:
registry.selfreports.services.check_filing, operators.can_file, the kind's periods), the good ones are
filed together in one transaction and each refused row comes back with its error ({code, message,
fields}), so the sender re-sends only those. A row's codes: unknown_factory, unknown_kind,
invalid_period, already_filed, duplicate_row, no_change, invalid (a figure or the period: see fields).

The write is set-based, a constant number of statements for 1 or 1,000 rows (reads by reg_no, kind and
current filing; one UPDATE for the superseded revisions; bulk INSERTs of reports, figures, audit chains
and entries), which selfreport_file (one report at a time) cannot give: this adapter writes what it
writes, the same rows and audit entries. It belongs in registry/selfreports/services.py as a
`selfreport_file_many` (and the audit rows as `audit.record_new_chains` in workflows/audit.py)."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from permissions import operators
from registry.errors import RegistryError
from registry.models import Factory, ReportValue, SelfReport
from registry.selfreports.models import Channel, ReportKind
from registry.selfreports.periods import Period, PeriodError
from registry.selfreports.services import AMENDED, FILED, check_filing
from registry.validators import normalise_registration_number
from workflows import audit
from workflows.models import AuditChain, AuditEntry
from workflows.models.audit import GENESIS

from .errors import body, field_errors

MAX_ROWS = 1000
BATCH = 1000  # rows a statement (PostgreSQL; SQLite splits at its 999 parameters)
VALUE_BATCH = 10 * BATCH  # figures: 1,000 reports of up to 10 figures in one statement (5 parameters each)


class PushRowSerializer(serializers.Serializer):
    reg_no = serializers.CharField(max_length=30, help_text="The factory's registration number")
    kind = serializers.CharField(max_length=20, help_text="Report kind code, e.g. rw (GET /report-kinds/)")
    period = serializers.CharField(max_length=10, help_text="e.g. 2567, 2567-H1 or 2567-03")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=500),
        help_text='Figures by field key, e.g. {"bod": "18"}',
    )
    amend = serializers.BooleanField(default=False, help_text="File a corrected version of a period already filed")
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class PushSerializer(serializers.Serializer):
    reports = PushRowSerializer(many=True, min_length=1, max_length=MAX_ROWS)


class RowErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RowResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The row's place in `reports`, from 0")
    reg_no = serializers.CharField()
    kind = serializers.CharField()
    period = serializers.CharField()
    status = serializers.SerializerMethodField()
    id = serializers.IntegerField(allow_null=True, help_text="The report filed (null when refused)")
    revision = serializers.IntegerField(allow_null=True)
    error = RowErrorSerializer(allow_null=True)

    @extend_schema_field({"type": "string", "enum": ["filed", "amended", "refused"]})
    def get_status(self, result) -> str:
        return result["status"]


class PushResultSerializer(serializers.Serializer):
    filed = serializers.IntegerField(help_text="Rows filed (new periods and amendments)")
    refused = serializers.IntegerField()
    results = RowResultSerializer(many=True)


class Refused(Exception):
    def __init__(self, code: str, message, fields: dict | None = None):
        super().__init__(str(message))
        self.error = body(code, message, fields)


@dataclass
class Row:
    index: int
    data: dict
    factory: Factory | None = None
    kind: ReportKind | None = None
    period: Period | None = None
    cleaned: dict = field(default_factory=dict)
    current: SelfReport | None = None
    report: SelfReport | None = None
    error: dict | None = None


def _plain(values: dict) -> dict:
    return {k: f"{v.normalize():f}" if isinstance(v, Decimal) else v for k, v in values.items()}


def _values_of(report: SelfReport) -> dict:
    return {v.key: (v.number if v.number is not None else v.text) for v in report.values.all()}


def _json(data: dict | None) -> dict:
    return json.loads(json.dumps(data or {}, default=audit.json_value))


def _label(text) -> str:
    with translation.override(None):  # stored untranslated, as audit.record stores a lazy label
        return str(text)


def selfreports_push(*, rows: list[dict], by) -> dict:
    """Check every row, file the good ones in one transaction; the answer of PushResultSerializer."""
    with transaction.atomic():
        checked = _check(rows, by)
        _write([row for row in checked if row.error is None], by)
    results = [_result(row) for row in checked]
    filed = sum(1 for result in results if result["status"] != "refused")
    return {"filed": filed, "refused": len(results) - filed, "results": results}


def _check(rows: list[dict], by) -> list[Row]:
    kinds = {
        kind.code: kind for kind in ReportKind.objects.filter(active=True, code__in={r["kind"] for r in rows})
        .prefetch_related("fields")
    }  # fmt: skip
    numbers = {normalise_registration_number(r["reg_no"]) for r in rows}
    factories = {f.reg_no: f for f in Factory.objects.filter(reg_no__in=sorted(numbers))}
    checked = [Row(index, data) for index, data in enumerate(rows)]
    for row in checked:
        try:
            row.factory = factories.get(normalise_registration_number(row.data["reg_no"]))
            if row.factory is None or not operators.can_file(by, row.factory):
                message = _("is not a factory you may file reports for")
                raise Refused("unknown_factory", message, {"reg_no": [message]})
            row.kind = kinds.get(row.data["kind"])
            if row.kind is None:
                message = _("Unknown report kind %(code)s.") % {"code": row.data["kind"]}
                raise Refused("unknown_kind", message, {"kind": [message]})
            try:
                row.period = row.kind.period(row.data["period"])
            except PeriodError as exc:
                raise Refused("invalid_period", str(exc), {"period": [str(exc)]}) from None
        except Refused as exc:
            row.error = exc.error
    _read_current([row for row in checked if row.error is None])
    seen: dict[tuple, int] = {}
    for row in checked:
        if row.error is not None:
            continue
        try:
            key = (row.factory.pk, row.kind.pk, row.period.start)
            if key in seen:
                message = _("repeats row %(index)s") % {"index": seen[key]}
                raise Refused("duplicate_row", message, {"period": [message]})
            seen[key] = row.index
            if row.current is not None and not row.data["amend"]:
                message = _("%(period)s is already filed; send amend: true to file a corrected version")
                message %= {"period": row.period.label()}
                raise Refused("already_filed", message, {"period": [message]})
            try:
                row.cleaned = check_filing(
                    factory=row.factory, kind=row.kind, period=row.period, values=row.data["values"]
                )
            except RegistryError as exc:
                fields = field_errors(exc, nested="values", known=frozenset(PushRowSerializer().fields))
                whole = exc.errors.get(api_settings.NON_FIELD_ERRORS_KEY)
                raise Refused("invalid", whole or _("Some of what was sent is not valid."), _dotted(fields)) from None
            if row.current is not None and _values_of(row.current) == row.cleaned:
                message = _("The amendment changes no value.")
                raise Refused("no_change", message, {"amend": [message]})
        except Refused as exc:
            row.error = exc.error
    return checked


def _dotted(fields: dict) -> dict:
    found = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            found |= {f"{name}.{key}": value for key, value in messages.items()}
        else:
            found[name] = messages
    return found


def _read_current(rows: list[Row]) -> None:
    """The current filing of each row's (factory, kind, period), locked, with its figures: one query."""
    if not rows:
        return
    current = (
        SelfReport.objects.select_for_update()
        .filter(is_current=True, factory__in={r.factory.pk for r in rows}, kind__in={r.kind.pk for r in rows})
        .filter(period_start__in={r.period.start for r in rows})
        .prefetch_related(Prefetch("values", ReportValue.objects.order_by("pk")))
    )
    by_key = {(r.factory_id, r.kind_id, r.period_start): r for r in current}
    for row in rows:
        row.current = by_key.get((row.factory.pk, row.kind.pk, row.period.start))


def _write(rows: list[Row], by) -> None:
    if not rows:
        return
    now = timezone.now()
    superseded = [row.current.pk for row in rows if row.current is not None]
    if superseded:
        SelfReport.objects.filter(pk__in=superseded).update(is_current=False)
    for row in rows:
        current = row.current
        row.report = SelfReport(
            factory=row.factory, kind=row.kind, period_start=row.period.start, period_end=row.period.end,
            revision=current.revision + 1 if current else 1, is_current=True,
            first_filed_at=current.first_filed_at if current else now, filed_at=now, filed_by=by,
            channel=Channel.API, note=row.data["note"][:500],
        )  # fmt: skip
    SelfReport.objects.bulk_create([row.report for row in rows], batch_size=BATCH)
    values = []
    for row in rows:
        units = {f.key: f.unit for f in row.kind.fields.all()}
        values += [
            ReportValue(
                report=row.report,
                key=key,
                number=None if isinstance(value, str) else value,
                text=value if isinstance(value, str) else "",
                unit=units.get(key, ""),
            )  # fmt: skip
            for key, value in row.cleaned.items()
        ]
    ReportValue.objects.bulk_create(values, batch_size=VALUE_BATCH)
    _audit(rows, by, now)


def _audit(rows: list[Row], by, now) -> None:
    """Each new revision's chain begins with its filing, as selfreport_file records it."""
    entries, chains = [], []
    for row in rows:
        current, report = row.current, row.report
        content = {
            "chain": audit.chain_key(report), "seq": 1, "at": now, "prev_hash": GENESIS,
            "actor_id": by.pk, "actor_name": str(by), "acting_for": "",
            "action": "selfreport.amend" if current else "selfreport.file",
            "label": _label(AMENDED if current else FILED), "comment": str(row.data["note"]),
            "before": _json({**_plain(_values_of(current)), "revision": current.revision} if current else None),
            "after": _json({**_plain(row.cleaned), "revision": report.revision, "period": row.period.code,
                            "channel": Channel.API}),
        }  # fmt: skip
        content["hash"] = audit.entry_hash(content)
        entries.append(AuditEntry(**content))
        chains.append(AuditChain(key=content["chain"], seq=1, last_hash=content["hash"], updated_at=now))
    AuditChain.objects.bulk_create(chains, batch_size=BATCH)
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)


def _result(row: Row) -> dict:
    data = row.data
    result = {"index": row.index, "reg_no": data["reg_no"], "kind": data["kind"], "period": data["period"]}
    if row.error is not None:
        return {**result, "status": "refused", "id": None, "revision": None, "error": row.error}
    status = "amended" if row.current is not None else "filed"
    return {**result, "status": status, "id": row.report.pk, "revision": row.report.revision, "error": None}
