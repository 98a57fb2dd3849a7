"""iSingleForm's push: many self-reports in one request (POST /api/v1/selfreports/bulk/), each by the
factory's registration number, the report kind's code and the period as written.

Per-row results, not all-or-nothing: this adapter finds each row's factory (one the caller may file for:
operators.can_file), kind and period, and hands the rows it found to the filing service,
registry.selfreports.services.selfreport_file_many (the rules of selfreport_file, a constant number of
statements for 1 or 1,000 rows), which files the good ones together in one transaction; each refused row
comes back with its error ({code, message, fields}), so the sender re-sends only those. A row's codes:
unknown_factory, unknown_kind, invalid_period (found here), then the service's refusals: invalid (a
figure: see fields), already_filed, no_change, duplicate_row."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from permissions import operators
from registry.models import Factory
from registry.selfreports.models import Channel, ReportKind
from registry.selfreports.periods import PeriodError
from registry.selfreports.services import Filing, Refusal, selfreport_file_many
from registry.validators import normalise_registration_number

from .errors import body, field_errors

MAX_ROWS = 1000


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
    filing: Filing | None = None
    error: dict | None = None


def selfreports_push(*, rows: list[dict], by) -> dict:
    """Find every row's factory, kind and period, file those found through the filing service (one
    transaction); the answer of PushResultSerializer."""
    with transaction.atomic():
        found = _found(rows, by)
        selfreport_file_many(filings=[row.filing for row in found if row.filing], by=by, channel=Channel.API)
    index_of = {id(row.filing): row.index for row in found if row.filing}
    results = [_result(row, index_of) for row in found]
    filed = sum(1 for result in results if result["status"] != "refused")
    return {"filed": filed, "refused": len(results) - filed, "results": results}


def _found(rows: list[dict], by) -> list[Row]:
    """Each row with its Filing, or its error when its factory (one `by` may file for), kind or period is
    not found: one query for the kinds with their fields, one for the factories."""
    kinds = {
        kind.code: kind for kind in ReportKind.objects.filter(active=True, code__in={r["kind"] for r in rows})
        .prefetch_related("fields")
    }  # fmt: skip
    numbers = {normalise_registration_number(r["reg_no"]) for r in rows}
    factories = {f.reg_no: f for f in Factory.objects.filter(reg_no__in=sorted(numbers))}
    found = [Row(index, data) for index, data in enumerate(rows)]
    for row in found:
        data = row.data
        try:
            factory = factories.get(normalise_registration_number(data["reg_no"]))
            if factory is None or not operators.can_file(by, factory):
                message = _("is not a factory you may file reports for")
                raise Refused("unknown_factory", message, {"reg_no": [message]})
            kind = kinds.get(data["kind"])
            if kind is None:
                message = _("Unknown report kind %(code)s.") % {"code": data["kind"]}
                raise Refused("unknown_kind", message, {"kind": [message]})
            try:
                period = kind.period(data["period"])
            except PeriodError as exc:
                raise Refused("invalid_period", str(exc), {"period": [str(exc)]}) from None
        except Refused as exc:
            row.error = exc.error
            continue
        row.filing = Filing(
            factory=factory, kind=kind, period=period, values=data["values"], amend=data["amend"], note=data["note"]
        )
    return found


def _refused(filing: Filing, index_of: dict) -> dict:
    """The service's refusal as the row's error: its code, its message, its fields as the row holds them
    (a figure under `values.`); a repeated row names the row it repeats."""
    fields = field_errors(filing.error, nested="values", known=frozenset(PushRowSerializer().fields))
    whole = fields.get(api_settings.NON_FIELD_ERRORS_KEY)
    if filing.refusal == Refusal.DUPLICATE:
        message = _("repeats row %(index)s") % {"index": index_of[id(filing.duplicate_of)]}
        fields = {"period": [message]}
    elif filing.refusal == Refusal.INVALID:
        message = whole[0] if whole else _("Some of what was sent is not valid.")
    else:
        message = next(iter(fields.values()))[0]
    return body(filing.refusal.value, message, _dotted(fields))


def _dotted(fields: dict) -> dict:
    found = {}
    for name, messages in fields.items():
        if isinstance(messages, dict):
            found |= {f"{name}.{key}": value for key, value in messages.items()}
        else:
            found[name] = messages
    return found


def _result(row: Row, index_of: dict) -> dict:
    data, filing = row.data, row.filing
    result = {"index": row.index, "reg_no": data["reg_no"], "kind": data["kind"], "period": data["period"]}
    error = row.error if filing is None else (_refused(filing, index_of) if filing.refusal else None)
    if error is not None:
        return {**result, "status": "refused", "id": None, "revision": None, "error": error}
    status = "amended" if filing.superseded is not None else "filed"
    return {**result, "status": status, "id": filing.report.pk, "revision": filing.report.revision, "error": None}
