"""The registration system's push: a factory created or updated by its registration number
(PUT /api/v1/factories/by-reg-no/{reg_no}/). The body is a row of the factories CSV (the same
columns, as strings or numbers), checked by the import's own parser (registry.imports.parse_row: its
rules and messages), then written by the registry's services (factory_create, factory_update: the
caller's scope, the address, the registration number once). A new factory enters its audit chain here
(the services record only edits); an update is audited by factory_update."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import DecimalField
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from registry import imports, services
from registry.errors import RegistryError
from registry.models import Factory
from registry.rules import GeoIndex
from registry.validators import normalise_registration_number
from workflows import audit

from .errors import field_errors

REGISTERED = _("Factory registered through the API")
COLUMNS = tuple(column for column in imports.COLUMNS if column != "reg_no")  # reg_no is the path's


class CellField(serializers.CharField):
    """A CSV cell: text, or a JSON number written as text; empty or null is an empty cell."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, allow_null=True, max_length=500, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        return super().to_internal_value(str(data))

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)


class FactoryUpsertSerializer(serializers.Serializer):
    """A factory as one row of the factories CSV (registry/imports.py: the same columns, rules and
    messages); dates as 25/03/2567 or 2024-03-25. Optional columns left out take the CSV's defaults."""

    def get_fields(self):
        return {
            column: CellField(required=True) if column in imports.REQUIRED else CellField(required=False, default="")
            for column in COLUMNS
        }


def _data_of(parsed: Factory) -> dict:
    """The services' data of a factory the import's parser built."""
    data = {}
    for name in services.EDITABLE:
        field = Factory._meta.get_field(name)
        value = getattr(parsed, field.attname)
        if isinstance(field, DecimalField) and value is not None:  # 120.5 as stored, 120.50: no false "edit"
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        data[field.attname] = value
    return data


def factory_upsert(*, reg_no: str, row: dict, by) -> tuple[Factory, bool]:
    """Create or update the factory of `reg_no` from a CSV row; (factory, created). A bad value is a
    ValidationError naming its column; outside the caller's scope a PermissionDenied (also for a number
    registered in an office the caller may not change: the answer does not tell it exists)."""
    row = {**{column: "" for column in COLUMNS}, **{k: (v or "").strip() for k, v in row.items()}, "reg_no": reg_no}
    try:
        parsed = imports.parse_row(row, GeoIndex.load())
    except imports.RowError as exc:
        raise ValidationError({exc.column: [exc.message]}) from None
    number = normalise_registration_number(reg_no)
    for attempt in (1, 2):
        existing = Factory.objects.filter(reg_no=number).first()
        try:
            with transaction.atomic():
                if existing is not None:
                    return services.factory_update(factory=existing, by=by, data=_data_of(parsed)), False
                factory = services.factory_create(by=by, data=_data_of(parsed))
                audit.record(
                    subject=factory, action="factory.register", label=REGISTERED, by=by,
                    after={**audit.snapshot(factory, services.AUDITED), "channel": "api"},
                )  # fmt: skip
                return factory, True
        except RegistryError as exc:
            raise ValidationError(field_errors(exc)) from None
        except IntegrityError:  # registered meanwhile by a concurrent push: update it instead
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# --- a push of many new factories: the CSV import's checks and its all-or-nothing write -------------

PUSH_MAX = 1000


class FactoryRowSerializer(FactoryUpsertSerializer):
    """One new factory: a row of the factories CSV with its registration number."""

    def get_fields(self):
        return {"reg_no": CellField(required=True), **super().get_fields()}


class FactoryPushSerializer(serializers.Serializer):
    factories = FactoryRowSerializer(many=True, min_length=1, max_length=PUSH_MAX)


class PushedFactorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reg_no = serializers.CharField()


class FactoryPushResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    factories = PushedFactorySerializer(many=True)


def factories_push(*, rows: list[dict], by) -> list[Factory]:
    """Register up to 1,000 new factories at once, as the CSV import does (registry.imports.check_rows:
    its rules, messages, the caller's offices, a number already registered or repeated refused), all
    or nothing: one bad row is a 400 naming each bad row's field (`factories.<index>.<column>`) and
    nothing is saved; otherwise every row is saved in one transaction. An update goes through PUT
    by-reg-no/ instead (one factory, audited)."""
    rows = [{column: (row.get(column) or "").strip() for column in imports.COLUMNS} for row in rows]
    factories, errors = imports.check_rows(rows, by=by)
    if errors:
        found: dict = {}
        for error in errors:
            name = f"factories.{error['line'] - 2}.{error['column'] or 'non_field_errors'}"
            found.setdefault(name, []).append(str(error["message"]))
        raise ValidationError(found)
    try:
        with transaction.atomic():
            return Factory.objects.bulk_create(factories, batch_size=PUSH_MAX)
    except IntegrityError:  # a number registered meanwhile by another push: nothing of this one is saved
        raise ValidationError({"factories": [_("A factory was registered meanwhile; send the push again.")]}) from None
