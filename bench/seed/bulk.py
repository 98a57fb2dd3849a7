"""Bulk-insert helpers: primary keys chosen here (so rows can point at each other before they are
written), batched bulk_create (SQLite) or COPY (PostgreSQL), the child table of a multi-table Process
subclass, historic timestamps past auto_now, and sequences put right afterwards (PostgreSQL).

On PostgreSQL the rows go in by `COPY … FROM STDIN` through psycopg: each field's value is prepared
once by Django only where Django's type differs from the column's (JSON, Viewflow's flow references),
everything else is handed to psycopg as it is. bulk_create spent two thirds of the generation
compiling INSERTs (a prepared placeholder per field)."""

import itertools
import json
import operator
from collections.abc import Iterable
from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection
from django.db.models import JSONField, Max, Model
from django.db.models.base import ModelState

BATCH = 2000


def id_counter(model: type[Model]) -> Iterable[int]:
    """Fresh primary keys for `model`, after the highest one stored."""
    highest = model._base_manager.aggregate(top=Max("pk"))["top"] or 0
    return itertools.count(highest + 1)


_SHAPES: dict[type[Model], tuple[dict, list, dict]] = {}


def _shape(model: type[Model]) -> tuple[dict, list, dict]:
    """A model's constant defaults, its fields with a callable default, its foreign keys' attnames."""
    if model not in _SHAPES:
        constant, call, keys = {}, [], {}
        for field in model._meta.concrete_fields:
            if field.has_default() and callable(field.default):
                call.append(field)
            else:
                constant[field.attname] = field.get_default()
            if field.is_relation:
                keys[field.name] = field.attname
        _SHAPES[model] = constant, call, keys
    return _SHAPES[model]


def row(model: type[Model], **values) -> Model:
    """An instance to insert, made without Model.__init__ (its descriptors and signals took half of
    the generation's Python time): every concrete field's default, then `values`; a foreign key is
    given as the object (`owner=person`, None) or its key (`owner_id=1`)."""
    constant, call, keys = _shape(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(constant)
    for field in call:
        state[field.attname] = field.get_default()
    for name, value in values.items():
        if name in keys and name != keys[name]:
            state[keys[name]] = value if value is None else value.pk
        else:
            state[name] = value
    return obj


def insert(model: type[Model], objs: list[Model]) -> None:
    if not objs:
        return
    if connection.vendor == "postgresql":
        copy_rows(model, model._meta.concrete_fields, objs)
    else:
        model._base_manager.bulk_create(objs, batch_size=BATCH)


# Django's own field classes whose Python value psycopg writes into the column as is (a subclass such
# as Viewflow's flow references is prepared by Django: its get_prep_value turns the value into text)
_PLAIN = {
    "AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "PositiveIntegerField",
    "PositiveSmallIntegerField", "SmallIntegerField", "CharField", "TextField", "SlugField", "EmailField",
    "DateTimeField", "DateField", "BooleanField", "DecimalField", "ForeignKey", "OneToOneField", "URLField",
}  # fmt: skip


def _getters(fields) -> list:
    """One function per field turning an instance into its column value."""
    getters = []
    for field in fields:
        attname, cls = field.attname, type(field)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):  # as bulk_create: now
            getters.append(lambda obj, f=field: f.pre_save(obj, True))
        elif isinstance(field, JSONField):
            getters.append(lambda obj, a=attname, f=field: json.dumps(getattr(obj, a), cls=f.encoder))
        elif cls.__name__ in _PLAIN and cls.__module__.startswith("django.db.models"):
            getters.append(operator.attrgetter(attname))
        else:
            getters.append(lambda obj, a=attname, f=field: _adapt(f.get_db_prep_save(getattr(obj, a), connection)))
    return getters


def _adapt(value):
    """Django's prepared value for COPY: a JSON adapter becomes its text."""
    dumps = getattr(value, "dumps", None)
    if dumps is not None and hasattr(value, "obj"):  # psycopg.types.json.Jsonb / Json
        return dumps(value.obj)
    return value


def copy_rows(model: type[Model], fields, objs: list[Model]) -> None:
    """COPY the instances' `fields` into the model's table (PostgreSQL)."""
    quote = connection.ops.quote_name
    fields = [f for f in fields if not (f.primary_key and getattr(objs[0], f.attname) is None)]  # serial: default
    columns = ", ".join(quote(f.column) for f in fields)
    getters = _getters(fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


def insert_children(model: type[Model], objs: list[Model]) -> None:
    """Rows of a multi-table subclass's own table only (its parent rows are inserted first);
    bulk_create refuses multi-table inheritance, so this writes the child columns directly."""
    if not objs:
        return
    fields = model._meta.local_concrete_fields
    if connection.vendor == "postgresql":
        copy_rows(model, fields, objs)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


@contextmanager
def historic_timestamps(*models: type[Model]):
    """Let auto_now / auto_now_add fields of `models` keep the (past) values we set."""
    switched = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def reset_sequences(*models: type[Model]) -> None:
    """After inserting explicit primary keys: PostgreSQL's sequences continue past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
