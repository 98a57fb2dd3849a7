"""The audit trail of the cases: services `record` every transition and edit in their own transaction,
each case shows its `timeline`, and `verify` (`manage.py verify_audit`) proves that nobody altered it.

Every case has its own chain. An entry's hash is SHA-256 over its content and the hash of the entry
before it, so an edited, removed or inserted row breaks the chain from there on; the chain head
(AuditChain) keeps the count and the last hash, so rows removed from the end are caught too."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, time
from decimal import Decimal
from functools import cache
from itertools import groupby
from operator import itemgetter
from uuid import UUID

from django.db import DatabaseError, connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards import summary as dashboard_summary
from org.models import Person
from project.prepared import insert_of, row_inserted, saved_as, saved_plainly, update_of

from .errors import AuditError
from .models import AuditChain, AuditEntry
from .models.audit import GENESIS

HASHED = (
    "chain", "seq", "at", "actor_id", "actor_name", "acting_for", "action", "label", "comment", "before", "after",
    "prev_hash",
)  # fmt: skip
BATCH = 2000
ENTRY_FIELDS = [field for field in AuditEntry._meta.concrete_fields if not field.primary_key]
HEAD_COLUMNS = [AuditChain._meta.get_field(name).column for name in ("key", "seq", "last_hash", "updated_at")]
_ENTRY_PK = f'"{AuditEntry._meta.pk.column}"'  # (PostgreSQL's quoting: the only database of the one statement)
CASE_EDITED = gettext_lazy("Case data edited")

# What verify finds wrong with a chain.
EDITED = "edited"  # the content no longer matches its hash
MISSING = "missing"  # a sequence number is skipped: a row was removed (or renumbered)
UNLINKED = "unlinked"  # the entry does not point at the hash of the one before: that one was replaced
HEAD = "head"  # the chain does not end where its head says: rows were removed from the end


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int
    kind: str
    message: str


def chain_key(obj: Model) -> str:
    """`inspection:42`: the chain of one case (a proxy model shares the chain of its concrete model)."""
    if obj.pk is None:
        raise AuditError(_("Only a saved record has an audit trail."))
    return f"{obj._meta.concrete_model._meta.model_name}:{obj.pk}"


def json_value(value):
    """A value JSON cannot hold, as JSON: Decimal → str, dates → ISO, a model → its pk, a file → its name."""
    if isinstance(value, Decimal | UUID | Promise):
        return str(value)
    if isinstance(value, date | time):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    raise TypeError(f"{type(value).__name__} cannot be stored in the audit trail")


def snapshot(obj: Model, fields: list[str] | tuple[str, ...]) -> dict:
    """The named fields of `obj` as JSON-safe values; a foreign key gives its pk without a query."""
    return _json({name: getattr(obj, obj._meta.get_field(name).attname) for name in fields})


def _json(data: dict | None) -> dict:
    """`data` exactly as it will read back from the JSON column, so that its hash can be recomputed."""
    return json.loads(json.dumps(data or {}, default=json_value))


def _source_text(text) -> str:
    """A lazy translation is stored untranslated, so that the timeline shows it in the reader's language."""
    if isinstance(text, Promise):
        with translation.override(None):
            return str(text)
    return str(text)


def entry_hash(row: dict) -> str:
    """SHA-256 over the canonical JSON of an entry's content and the hash of the entry before it."""
    content = {name: row[name] for name in HASHED}
    content["at"] = row["at"].astimezone(UTC).isoformat(timespec="microseconds")
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    *,
    subject: Model,
    action: str,
    label: str,
    by: Person | None = None,
    acting_for: str = "",
    comment: str = "",
    before: dict | None = None,
    after: dict | None = None,
    saving: tuple[str, ...] = (),
    writing: tuple[Model, ...] = (),
) -> AuditEntry:
    """Append an entry to the chain of `subject`: `by` (None for the system) did `action`, shown as
    `label` (pass a gettext_lazy string). `saving`: fields of `subject` changed by what the entry
    records, saved with it (`subject.save(update_fields=saving)`; on PostgreSQL its UPDATE is part of
    the entry's one statement, one round trip fewer). `writing`: new rows that go with the entry (an
    outbox row: workflows.outbox.unwritten), saved with it; so are the dashboard's marks of the change
    (dashboards.summary.marks_of): on PostgreSQL each an INSERT in the entry's statement.

    One statement on PostgreSQL (elsewhere two, and one for each field saved or row written with it, each
    built once: `_appended_apart`) when the head is known (`subject.audit_head`, read
    with the case: `head_of`, or left by the entry before in this request): the head moved on only if
    it still is what was read (a compare-and-set UPDATE, which waits for a concurrent writer and then
    finds the head moved), and the entry (`_appended`). Otherwise, or when the head moved, three: lock
    the head, the entry, the head."""
    if not action or not label:
        raise AuditError(_("An audit entry needs an action and a label."))
    key = chain_key(subject)
    content = {
        "chain": key,
        "actor_id": by.pk if by else None,
        "actor_name": str(by) if by else "",
        "acting_for": str(acting_for),
        "action": action,
        "label": _source_text(label),
        "comment": str(comment),
        "before": _json(before),
        "after": _json(after),
    }
    marks = dashboard_summary.marks_of(subject, before, after, action)  # its dashboard buckets, for the worker
    # No savepoint: an entry that cannot be written fails the whole change it records.
    with transaction.atomic(savepoint=False):
        known = _known_head(subject)
        along = _saving_sql(subject, saving) if known else None
        if saving and along is None:
            subject.save(update_fields=saving)
        riders = [row for row in (*writing, *marks) if _rides(row)] if known else []
        entry = _appended(key, known, _row(content, *known), along, riders) if known else None
        if entry is None:
            if along is not None:  # the head had moved: the entry is written locked; the fields saved again
                subject.save(update_fields=saving)
            entry = AuditEntry.objects.create(**_append_locked(key, content))
        for row in writing:
            if row.pk is None:  # not in the entry's statement
                row.save()
    subject.audit_head = f"{entry.seq}:{entry.hash}"
    dashboard_summary.marked(marks)  # those not written with the entry
    return entry


def _rides(row: Model) -> bool:
    """Whether the new `row` can be written by an INSERT built once with the entry (`_appended`): in the entry's
    statement on PostgreSQL, just before it elsewhere."""
    return row.pk is None and saved_plainly(type(row)) and connection.features.can_return_columns_from_insert


def record_many(entries: list[tuple[Model, dict]], *, action: str, label) -> None:
    """`record` by the system for many subjects at once, each (subject, after): every chain's head
    locked (or begun), the entries appended and the heads moved on in four statements whatever their
    number (the SLA sweep's escalations)."""
    if not entries:
        return
    keys = sorted({chain_key(subject) for subject, _after in entries})
    AuditChain.objects.bulk_create([AuditChain(key=key) for key in keys], ignore_conflicts=True)
    heads = {head.key: head for head in AuditChain.objects.select_for_update().filter(key__in=keys).order_by("key")}
    rows = []
    for subject, after in entries:
        head = heads[chain_key(subject)]
        content = {
            "chain": head.key, "actor_id": None, "actor_name": "", "acting_for": "", "action": action,
            "label": _source_text(label), "comment": "", "before": {}, "after": _json(after),
        }  # fmt: skip
        row = _row(content, head.seq, head.last_hash)
        rows.append(AuditEntry(**row))
        head.seq, head.last_hash, head.updated_at = row["seq"], row["hash"], row["at"]
    AuditEntry.objects.bulk_create(rows)
    AuditChain.objects.bulk_update(list(heads.values()), ["seq", "last_hash", "updated_at"])


def begins(subject: Model) -> None:
    """`subject` was created by this transaction: its chain has not begun, and its first entry begins
    it without reading its head first (if a chain of that key exists after all, `record` locks it)."""
    subject.audit_head = None


def head_of(model: type[Model], pk: str = "pk"):
    """An annotation of a query of `model` (the case): its chain head as `seq:hash` (None when the chain
    has not begun), for `record` to append without reading the head again. `pk`: the path to the
    case's pk from the query's model."""
    from django.db.models import CharField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Concat

    prefix = f"{model._meta.concrete_model._meta.model_name}:"
    key = Concat(Value(prefix), Cast(OuterRef(pk), CharField()), output_field=CharField())
    head = AuditChain.objects.filter(key=key).values_list(
        Concat(Cast("seq", CharField()), Value(":"), "last_hash", output_field=CharField())
    )
    return Subquery(head[:1], output_field=CharField())


def _known_head(subject: Model) -> tuple[int, str] | None:
    """(seq, last hash) of the subject's chain as last read or written by this process, if it was."""
    if "audit_head" not in subject.__dict__:
        return None
    head = subject.__dict__["audit_head"]
    if head is None:
        return 0, GENESIS
    seq, _sep, last_hash = head.partition(":")
    return int(seq), last_hash


def _row(content: dict, seq: int, prev_hash: str) -> dict:
    row = {**content, "seq": seq + 1, "at": timezone.now(), "prev_hash": prev_hash}
    row["hash"] = entry_hash(row)
    return row


def _appended(
    key: str, known: tuple[int, str], row: dict, along: tuple[str, list] | None = None, riders: list[Model] = ()
) -> AuditEntry | None:
    """The entry `row` written with its chain's head moved from `known` to it, or None (no entry written)
    when the head is no longer at `known`. On PostgreSQL one statement: the head's move (compare-and-set
    UPDATE, or the new chain's INSERT) is a data-modifying WITH whose row the entry's INSERT selects, so that
    the entry is written only if the head moved; elsewhere the move, then the entry. `along`: the subject's
    UPDATE, and `riders`: new rows' INSERTs (PostgreSQL), run in the same statement whether or not the head
    moved (their keys set); the statement fails, as Django's save does, when `along` finds no row to update."""
    if connection.vendor != "postgresql":
        return _appended_apart(key, known, row, along, riders)
    entry = AuditEntry(**row)
    values = [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in ENTRY_FIELDS]
    seq, last_hash = known
    at = AuditChain._meta.get_field("updated_at").get_db_prep_value(row["at"], connection)
    params = [*([key, row["seq"], row["hash"], at] if seq == 0 else [row["seq"], row["hash"], at, key, seq, last_hash])]
    parts, before, returned = [_append_sql(began=seq == 0)], [], [f"(SELECT {_ENTRY_PK} FROM entry)"]
    if along is not None:
        update, update_params = along
        parts.insert(0, f"saved AS ({update} RETURNING 1)")
        before += update_params
        returned.append("(SELECT count(*) FROM saved)")
    for number, rider in enumerate(riders):
        insert, insert_params = insert_of(rider, connection.alias)
        parts.insert(0, f"r{number} AS ({insert})")
        before[:0] = insert_params
        returned.append(f"(SELECT {connection.ops.quote_name(rider._meta.pk.column)} FROM r{number})")
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(returned)}", [*before, *params, *values])
        written = cursor.fetchone()
    for rider, pk in zip(riders, written[len(returned) - len(riders) :], strict=True):
        saved_as(rider, pk, connection.alias)
    if along is not None and written[1] != 1:
        raise DatabaseError("Save with update_fields did not affect any rows.")
    if written[0] is None:
        return None
    return saved_as(entry, written[0], connection.alias)


def _appended_apart(
    key: str, known: tuple[int, str], row: dict, along: tuple[str, list] | None, riders: list[Model]
) -> AuditEntry | None:
    """`_appended` where one statement cannot hold it all (SQLite: no INSERT in a WITH): the subject's UPDATE,
    the riders' INSERTs, the head's move and the entry, one after another, each statement built once."""
    if along is not None:
        with connection.cursor() as cursor:
            cursor.execute(*along)
            if cursor.rowcount != 1:
                raise DatabaseError("Save with update_fields did not affect any rows.")
    for rider in riders:
        row_inserted(rider, connection.alias)
    if not _moved_on(key, known, row):
        return None
    return row_inserted(AuditEntry(**row), connection.alias)  # a new entry: what its save (insert only) writes


def _saving_sql(subject: Model, fields: tuple[str, ...]) -> tuple[str, list] | None:
    """The UPDATE that `subject.save(update_fields=fields)` runs, built once (part of the entry's statement on
    PostgreSQL), or None where it does not stand for the save: no fields, a model with a parent table or its
    own save, or one whose saves something listens to (the statement would not send the signals)."""
    model = type(subject)
    if not fields or not saved_plainly(model):
        return None
    return update_of(subject, tuple(fields), connection.alias)


@cache
def _append_sql(*, began: bool) -> str:
    """`_appended`'s head move and entry (PostgreSQL), two parts of a WITH: each value cast to its column's
    type, as a SELECT's values are not given their target's type as an INSERT's VALUES are."""
    fields = ENTRY_FIELDS
    quote = connection.ops.quote_name
    move = _begin_sql() if began else _move_sql()
    entries = quote(AuditEntry._meta.db_table)
    casts = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
    columns = ", ".join(quote(f.column) for f in fields)
    entry = f"INSERT INTO {entries} ({columns}) SELECT {casts} FROM moved RETURNING {_ENTRY_PK}"
    return f"moved AS ({move} RETURNING 1), entry AS ({entry})"


def _moved_on(key: str, known: tuple[int, str], row: dict) -> bool:
    """Move the head from `known` to `row` in one statement; False when it is no longer at `known`
    (another transaction appended meanwhile, or the chain has no head yet while one was expected)."""
    seq, last_hash = known
    if seq == 0:
        return _began(key, row)
    at = AuditChain._meta.get_field("updated_at").get_db_prep_value(row["at"], connection)
    with connection.cursor() as cursor:
        cursor.execute(_move_sql(), [row["seq"], row["hash"], at, key, seq, last_hash])
        return cursor.rowcount == 1


def _move_sql() -> str:
    """The head moved on from where it was read (compare-and-set): its parameters the new seq, hash and time,
    then the key and the seq and hash it was read at."""
    quote = connection.ops.quote_name
    head, (key, seq, last_hash, updated_at) = quote(AuditChain._meta.db_table), map(quote, HEAD_COLUMNS)
    return (f"UPDATE {head} SET {seq} = %s, {last_hash} = %s, {updated_at} = %s "
            f"WHERE {key} = %s AND {seq} = %s AND {last_hash} = %s")  # fmt: skip


def _began(key: str, row: dict) -> bool:
    """Create the head of a new chain already at its first entry; False when it exists."""
    at = AuditChain._meta.get_field("updated_at").get_db_prep_value(row["at"], connection)
    with connection.cursor() as cursor:
        cursor.execute(_begin_sql(), [key, row["seq"], row["hash"], at])
        return cursor.rowcount == 1


def _begin_sql() -> str:
    """The new head's INSERT, doing nothing when the chain exists."""
    quote = connection.ops.quote_name
    table, columns = quote(AuditChain._meta.db_table), [quote(name) for name in HEAD_COLUMNS]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES (%s, %s, %s, %s) ON CONFLICT ({columns[0]}) DO NOTHING"


def _append_locked(key: str, content: dict) -> dict:
    """The next row of the chain, its head locked (or created) and moved to it first."""
    while True:
        head = AuditChain.objects.select_for_update().filter(key=key).first()
        if head is None:
            row = _row(content, 0, GENESIS)
            if _began(key, row):
                return row
            continue  # created meanwhile by another transaction: lock it
        row = _row(content, head.seq, head.last_hash)
        head.seq, head.last_hash = row["seq"], row["hash"]
        head.save(update_fields=["seq", "last_hash", "updated_at"])
        return row


def record_changes(
    *,
    subject: Model,
    before: dict,
    after: dict,
    by: Person | None,
    action: str = "case.edit",
    label: str = CASE_EDITED,
    acting_for: str = "",
    comment: str = "",
) -> AuditEntry | None:
    """Record an edit of case data with only the keys that changed (take both sides with `snapshot`);
    nothing is recorded when nothing changed."""
    before, after = _json(before), _json(after)
    changed = sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
    if not changed:
        return None
    return record(
        subject=subject,
        action=action,
        label=label,
        by=by,
        acting_for=acting_for,
        comment=comment,
        before={key: before[key] for key in changed if key in before},
        after={key: after[key] for key in changed if key in after},
    )


def timeline(subject: Model) -> QuerySet[AuditEntry]:
    """The entries of the case, oldest first (one query)."""
    return AuditEntry.objects.filter(chain=chain_key(subject)).select_related("actor").order_by("seq")


def verify(chain: str | None = None) -> list[Problem]:
    """The first broken link of every chain (or of one), reading the table in batches."""
    heads = AuditChain.objects.order_by("key")
    entries = AuditEntry.objects.order_by("chain", "seq").values(*HASHED, "hash")
    if chain is not None:
        heads, entries = heads.filter(key=chain), entries.filter(chain=chain)
    problems = []
    for batch, rows in _ranges(heads, entries):
        for key, chain_rows in groupby(rows.iterator(chunk_size=BATCH), key=itemgetter("chain")):
            head = batch.pop(key, None)
            if head is None and not AuditChain.objects.filter(key=key).exists():
                problems.append(Problem(key, 1, HEAD, _("The chain has entries but no head.")))
                continue
            problem = _walk(key, chain_rows, head)  # no head in the batch: the chain began after it was read
            if problem:
                problems.append(problem)
        for head in batch.values():
            if head.seq:
                message = _("The head records %(count)s entries; none is left.") % {"count": head.seq}
                problems.append(Problem(head.key, 1, MISSING, message))
    return problems


def _ranges(heads: QuerySet[AuditChain], entries: QuerySet):
    """Heads in batches by key, each with the entries of its key range. The heads are read first, so
    an entry appended meanwhile can only run ahead of its head, never fall behind it."""
    after = None
    while True:
        page = heads if after is None else heads.filter(key__gt=after)
        batch = {head.key: head for head in page[:BATCH]}
        rows = entries if after is None else entries.filter(chain__gt=after)
        if len(batch) < BATCH:
            yield batch, rows
            return
        after = next(reversed(batch))
        yield batch, rows.filter(chain__lte=after)


def _walk(key: str, rows, head: AuditChain | None) -> Problem | None:
    """The first problem of one chain's rows (in seq order), checked against its head."""
    seq, prev_hash = 0, GENESIS
    for row in rows:
        seq += 1
        if row["seq"] != seq:
            message = _("Entry %(seq)s is missing; the next one is %(found)s.") % {"seq": seq, "found": row["seq"]}
            return Problem(key, seq, MISSING, message)
        if entry_hash(row) != row["hash"]:
            return Problem(key, seq, EDITED, _("The entry does not match its hash: it was edited."))
        if row["prev_hash"] != prev_hash:
            message = _("The entry does not link to entry %(prev)s: that one was replaced.") % {"prev": seq - 1}
            return Problem(key, seq, UNLINKED, message)
        if head and seq == head.seq and row["hash"] != head.last_hash:
            return Problem(key, seq, HEAD, _("The entry does not match the chain head: it was replaced."))
        prev_hash = row["hash"]
    if head and seq < head.seq:
        message = _("The head records %(count)s entries; the chain ends at entry %(seq)s.")
        return Problem(key, seq + 1, HEAD, message % {"count": head.seq, "seq": seq})
    return None
