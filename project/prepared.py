"""A fixed-shape query compiled to SQL once and run again with other values.

Building and compiling a query is most of what the ORM costs on the hot paths of a completion: the
task's lock statement (select_related of four tables, FOR UPDATE OF) spent 2.2 ms of its 5.1 ms being
built and compiled and 0.9 ms in PostgreSQL (measured once by profiling the bench chain, 200,000 cases).
A `Prepared` query is built once with markers for its values and compiled once per database connection
object (each thread has its own); each run puts the values in the markers' places and makes model
instances of the rows as the QuerySet's own iterator does (select_related objects and annotations included).

Only for queries whose values are filters on integer keys, text (a code) or days: a marker must reach
the statement's parameters as it was given (it does for an exact or a range lookup on an integer, a text
or a date column; a lookup that changes its value, such as `__icontains`, is refused when the query is
compiled). A day reaches SQLite's parameters as its ISO text, PostgreSQL's as a date: either is matched,
and the value is given in the form its marker took."""

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from itertools import count

from django.db import connections, router, transaction
from django.db.models import Model, QuerySet, signals
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery, UpdateQuery
from django.db.transaction import TransactionManagementError
from django.utils.functional import cached_property

MARKERS = {
    int: tuple(range(-2_147_000_000, -2_147_000_010, -1)),  # below any key, within a 32-bit column's range
    str: tuple(f"\x1fkamkap-prepared-{slot}\x1f" for slot in range(10)),  # no code or name holds these
    date: tuple(date(1000, 1, 1 + slot) for slot in range(10)),  # no day the system keeps or compares with
}


_NUMBERS = count()


class Prepared:
    """`build(*values)` gives the query for values of the given kinds (int, str or date, in order): e.g.
    `Prepared(lambda pk: Case.objects.filter(pk=pk), int)`; `one(*values)`, `all(*values)` or
    `rows(*values)` runs it compiled."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        if not kinds or any(kind not in MARKERS for kind in kinds):
            raise TypeError(f"Values of the kinds {tuple(MARKERS)} expected, got {kinds!r}")
        self.build, self.kinds = build, kinds
        # Its compiled form is kept on each connection under a key of its own: a number never given twice
        # (an id() is given again to an object made after this one is gone, as a test's own Prepared).
        self._key = f"_kamkap_prepared_{next(_NUMBERS)}"

    def one(self, *values):
        """The first row as a model instance (a query of instances), or None."""
        alias, compiled, rows = self._run(values, first=True)
        return compiled.instance(alias, rows[0]) if rows else None

    def all(self, *values) -> list:
        """Every row as a model instance (a query of instances)."""
        alias, compiled, rows = self._run(values, first=False)
        return [compiled.instance(alias, row) for row in rows]

    def rows(self, *values) -> list[tuple]:
        """Every row as a tuple (a `values_list` query), its values converted as the QuerySet converts them."""
        _alias, compiled, rows = self._run(values, first=False)
        return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]

    def _run(self, values, *, first: bool):
        if len(values) != len(self.kinds) or not all(map(_of_kind, values, self.kinds)):
            raise TypeError(f"Values of the kinds {self.kinds!r} expected, got {values!r}")
        alias, compiled = self._compiled()
        connection = connections[alias]
        if compiled.locks and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        params = [
            fixed if slot is None else values[slot] if as_given else str(values[slot])
            for fixed, slot, as_given in compiled.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(1) if first else cursor.fetchall()
        return alias, compiled, rows

    def _compiled(self):
        """(database alias, compiled query) for this thread's connection, compiled on first use."""
        template = self._template
        alias = template.db
        connection = connections[alias]
        compiled = connection.__dict__.get(self._key)
        if compiled is None:
            compiled = connection.__dict__[self._key] = _Compiled(template, alias, self._markers)
        return alias, compiled

    @cached_property
    def _markers(self) -> tuple:
        return tuple(MARKERS[kind][slot] for slot, kind in enumerate(self.kinds))

    @cached_property
    def _template(self) -> QuerySet:
        return self.build(*self._markers)


def _of_kind(value, kind: type) -> bool:
    """A value of the kind; a datetime is no day (a date column's lookup would make it one, the marker's
    place would not)."""
    return isinstance(value, kind) and not (kind is date and isinstance(value, datetime))


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str, markers: tuple):
        compiler = queryset.query.chain().get_compiler(using=alias)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
        slots = {(type(marker), marker): (slot, True) for slot, marker in enumerate(markers)}
        days = [(slot, marker) for slot, marker in enumerate(markers) if type(marker) is date]
        slots.update({(str, marker.isoformat()): (slot, False) for slot, marker in days})  # SQLite's form
        self.params = [(param, *slots.get((type(param), param), (None, True))) for param in params]
        if {slot for _param, slot, _given in self.params if slot is not None} != set(range(len(markers))):
            raise ValueError(f"The markers did not reach the statement's parameters as given: {params!r}")
        self.sql = sql
        self.locks = queryset.query.select_for_update and compiler.connection.features.has_select_for_update
        self.compiler, self._populators = compiler, {}
        klass_info = compiler.klass_info
        if klass_info is None:  # a values_list query: rows only
            return
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in compiler.select[self.start : self.end]]
        self.annotations = list(compiler.annotation_col_map.items())

    def instance(self, alias: str, row: tuple):
        """The row as the QuerySet's ModelIterable makes it: the model, its related objects, its annotations."""
        (row,) = self.compiler.apply_converters([row], self.converters)
        obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
        for populator in self._related(alias):
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        return obj

    @cached_property
    def converters(self):
        fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        return self.compiler.get_converters(fields)

    def _related(self, alias: str):
        if alias not in self._populators:
            self._populators[alias] = get_related_populators(self.compiler.klass_info, self.compiler.select, alias)
        return self._populators[alias]


def saved_plainly(model) -> bool:
    """Whether a statement of `update_of` or `insert_of` stands for the model's save: no parent table, no
    save of its own, and no receiver of its save signals (asked each time: one may be connected at any time)."""
    if model._meta.parents or model.save is not Model.save:
        return False
    return unheard(model)


def unheard(model) -> bool:
    """Whether nothing receives the model's save signals (asked each time: one may be connected at any time),
    which a statement written in place of its save would not send."""
    return not (signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model))


def saved_as(instance, pk, alias: str):
    """`instance` as its save leaves it once a statement of ours wrote its row: its new key, on `alias`."""
    instance.pk, instance._state.adding, instance._state.db = pk, False, alias
    return instance


def row_inserted(instance, alias: str):
    """Write the new `instance`'s row by its INSERT built once (`insert_of`) and return it saved, whatever its
    model's save: for a caller that stands for that save (a Viewflow task, an audit entry, `inserted`)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(*insert_of(instance, alias))
        (pk,) = cursor.fetchone()
    return saved_as(instance, pk, alias)


def update_of(instance, names: tuple[str, ...] | None, alias: str) -> tuple[str, list]:
    """The UPDATE that `instance.save(update_fields=names)` runs (every local field but the key when `names`
    is None) on the database `alias`: its SQL built once per model, fields and database, its values as the
    save prepares them. A value that is an expression, or a field with its own placeholder, is compiled by
    Django each time."""
    model, connection = type(instance), connections[alias]
    fields = _update_fields(model, names)
    values = [field.pre_save(instance, False) for field in fields]
    if _compiled_by_django(fields, values):
        query = model._base_manager.using(alias).filter(pk=instance.pk).query.chain(UpdateQuery)
        query.add_update_fields([(field, None, value) for field, value in zip(fields, values, strict=True)])
        return query.get_compiler(using=alias).as_sql()
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]
    return _update_sql(model, names, alias), [*params, model._meta.pk.get_db_prep_value(instance.pk, connection)]


@cache
def _update_fields(model, names: tuple[str, ...] | None) -> tuple:
    meta = model._meta
    if names is None:
        return tuple(field for field in meta.local_concrete_fields if not field.primary_key)
    return tuple(meta.get_field(name) for name in names)


@cache
def _update_sql(model, names: tuple[str, ...] | None, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    columns = ", ".join(f"{quote(field.column)} = %s" for field in _update_fields(model, names))
    return f"UPDATE {quote(model._meta.db_table)} SET {columns} WHERE {quote(model._meta.pk.column)} = %s"


def inserted(instance, alias: str | None = None):
    """The new `instance` saved as its save saves it, returned: by its INSERT built once (`insert_of`) where a
    statement stands for its save (`saved_plainly`) and the database returns the new key; a model with one
    parent table (a flow's process: Viewflow's row and the case's) by the two tables' INSERTs built once
    (`_parent_and_own`); else by its save."""
    model = type(instance)
    alias = alias or router.db_for_write(model, instance=instance)
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert or instance.pk is not None:
        instance.save(using=alias)
        return instance
    if saved_plainly(model):
        return row_inserted(instance, alias)
    pk = _parent_and_own(instance, alias)
    if pk is None:
        instance.save(using=alias)
        return instance
    for parent, link in model._meta.parents.items():  # as Model._save_parents sets them
        setattr(instance, parent._meta.pk.attname, pk)
        setattr(instance, link.attname, pk)
    return saved_as(instance, pk, alias)


def inserted_all(instances: list, alias: str | None = None) -> list:
    """`bulk_create(instances)` (new rows of one model, keys set; no save, no signals, as bulk_create) by one
    INSERT of all the rows, its SQL built once per model, number of rows and database (a checklist's 13 answers
    at every inspection: 0.69 → 0.44 ms on SQLite, 4 Dec 2026, one-off measurement). bulk_create itself for
    a model with a parent table, more rows than one statement takes, a database that does not return the keys
    of a multi-row INSERT, or a value Django compiles."""
    if not instances:
        return instances
    model = type(instances[0])
    alias = alias or router.db_for_write(model, instance=instances[0])
    connection, fields = connections[alias], _insert_fields(model)
    fits = (
        connection.features.can_return_rows_from_bulk_insert
        and not model._meta.parents
        and len(instances) <= connection.ops.bulk_batch_size(fields, instances)
    )
    params = []
    for instance in instances if fits else ():
        instance._prepare_related_fields_for_save(operation_name="bulk_create")
        values = [field.pre_save(instance, True) for field in fields]
        if _compiled_by_django(fields, values):
            fits = False
            break
        params += [field.get_db_prep_save(value, connection) for field, value in zip(fields, values, strict=True)]
    if not fits:
        return model._base_manager.using(alias).bulk_create(instances)
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, alias, rows=len(instances)), params)
        keys = cursor.fetchall()
    for instance, (pk,) in zip(instances, keys, strict=True):
        saved_as(instance, pk, alias)
    return instances


def _parent_and_own(instance, alias: str):
    """Write the parent's row and the model's, the model's link to its parent the parent's new key; that key, or
    None (nothing written) where these INSERTs would not stand for the save: more than one parent or one that
    has its own, a save of its own, a receiver of the save signals (sent for the model alone:
    Model.save_base), a value compiled by Django. On PostgreSQL one statement (`WITH parent AS (INSERT …)
    INSERT … VALUES ((SELECT id FROM parent), …)`), elsewhere the two one after the other."""
    model, connection = type(instance), connections[alias]
    if len(model._meta.parents) != 1 or model.save is not Model.save:
        return None
    ((parent, link),) = model._meta.parents.items()
    if parent._meta.parents or parent.save is not Model.save or link is None or not unheard(model):
        return None
    fields = _insert_fields(model)  # the model's own: its INSERT may take the parent's key as SQL, so built here
    if _compiled_by_django(fields, [field.pre_save(instance, True) for field in fields]):
        return None
    parent_sql, parent_params = insert_of(instance, alias, model=parent)
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:  # both rows or neither
        if connection.vendor == "postgresql":
            key = f"(SELECT {connection.ops.quote_name(parent._meta.pk.column)} FROM parent)"
            sql, params = insert_of(instance, alias, {link.name: key})
            cursor.execute(f"WITH parent AS ({parent_sql}) {sql}", [*parent_params, *params])
        else:
            cursor.execute(parent_sql, parent_params)
            (key,) = cursor.fetchone()
            setattr(instance, link.attname, key)
            cursor.execute(*insert_of(instance, alias))
        (pk,) = cursor.fetchone()
    return pk


def insert_of(instance, alias: str, expressions: dict[str, str] | None = None, model=None) -> tuple[str, list]:
    """The INSERT that saving the new `instance` runs on the database `alias`, its key returned: its SQL built
    once per model and database, its values as the save prepares them (each field's `pre_save`: defaults,
    `auto_now_add`). A value that is an expression, or a field with its own placeholder, is compiled by Django
    each time. `expressions`: SQL that gives the named fields' values instead (a key returned by another part
    of the same statement: workflows.task_rows); the other values must then be plain. `model`: the row of a
    parent table of the instance's model (its own fields only), instead of the model's."""
    model, connection = model or type(instance), connections[alias]
    instance._prepare_related_fields_for_save(operation_name="save")  # as save: a related row saved since given
    fields = _insert_fields(model)
    values = [field.pre_save(instance, True) for field in fields]
    if _compiled_by_django(fields, values):
        if expressions:
            raise TypeError(f"{model.__name__}'s INSERT is compiled by Django: no SQL can be put in it")
        query = InsertQuery(model)
        query.insert_values(fields, [instance])
        compiler = query.get_compiler(using=alias)
        compiler.returning_fields = [model._meta.pk]
        ((sql, params),) = compiler.as_sql()
        return sql, list(params)
    given = tuple(sorted((expressions or {}).items()))
    return _insert_sql(model, alias, given), [
        field.get_db_prep_save(v, connection)
        for field, v in zip(fields, values, strict=True)
        if field.name not in (expressions or ())
    ]


def _compiled_by_django(fields, values) -> bool:
    return any(hasattr(value, "resolve_expression") for value in values) or any(
        hasattr(field, "get_placeholder") for field in fields
    )


@cache
def _insert_fields(model) -> list:
    meta = model._meta
    return [field for field in meta.local_concrete_fields if field is not meta.auto_field]


@cache
def _insert_sql(model, alias: str, expressions: tuple[tuple[str, str], ...] = (), rows: int = 1) -> str:
    quote, meta, given = connections[alias].ops.quote_name, model._meta, dict(expressions)
    columns = ", ".join(quote(field.column) for field in _insert_fields(model))
    marks = ", ".join(given.get(field.name, "%s") for field in _insert_fields(model))
    values = ", ".join([f"({marks})"] * rows)
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values} RETURNING {quote(meta.pk.column)}"
