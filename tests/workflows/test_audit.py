import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from tests.clock import at
from tests.factories import FactoryFactory, PersonFactory
from workflows import audit
from workflows.errors import AuditError
from workflows.models import AuditChain, AuditEntry, OutboxMessage
from workflows.models.audit import GENESIS

pytestmark = pytest.mark.django_db

ACTING = "รักษาราชการแทน อุตสาหกรรมจังหวัดชัยนาท"


@pytest.fixture
def case():
    return FactoryFactory(machinery_hp=Decimal("75.50"), workers=40)


def steps(subject, count: int = 3, by=None) -> list[AuditEntry]:
    return [
        audit.record(subject=subject, action="task.done", label=f"Step {n}", by=by, comment=f"ขั้นที่ {n}")
        for n in range(1, count + 1)
    ]


def tamper(sql: str, params: list) -> None:
    """Change the tables behind the service's back, as someone with database access could."""
    tables = {
        "entries": connection.ops.quote_name(AuditEntry._meta.db_table),
        "heads": connection.ops.quote_name(AuditChain._meta.db_table),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), params)


def found(problems: list[audit.Problem]) -> list[tuple[str, int, str]]:
    return [(p.chain, p.seq, p.kind) for p in problems]


# Recording


def test_chain_grows_with_contiguous_seq_and_linked_hashes(case):
    entries = steps(case, 3)

    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert len({e.hash for e in entries}) == 3
    head = AuditChain.objects.get(key=f"factory:{case.pk}")
    assert (head.seq, head.last_hash) == (3, entries[-1].hash)


def test_each_case_has_its_own_chain(case):
    other = FactoryFactory()
    steps(case, 2)

    entry = audit.record(subject=other, action="task.done", label="Step 1")

    assert (entry.chain, entry.seq, entry.prev_hash) == (audit.chain_key(other), 1, GENESIS)


def test_entry_keeps_who_acted_for_whom_and_when(case):
    person = PersonFactory(title_th="นาย")

    audit.record(
        subject=case, action="order.approve", label="Order approved", by=person, acting_for=ACTING, comment="อนุมัติ"
    )
    audit.record(subject=case, action="sla.escalate", label="Escalated")

    approved, escalated = AuditEntry.objects.filter(chain=audit.chain_key(case))
    assert (approved.actor, approved.actor_name, approved.acting_for) == (person, person.display_name, ACTING)
    assert timezone.is_aware(approved.at) and approved.at <= escalated.at
    assert (escalated.actor, escalated.actor_name, escalated.acting_for) == (None, "", "")


def test_an_entry_needs_an_action_and_a_label(case):
    with pytest.raises(AuditError):
        audit.record(subject=case, action="task.done", label="")
    assert not AuditEntry.objects.exists()


def test_lazy_label_is_stored_untranslated_and_shown_in_the_readers_language(case):
    with translation.override("th"):
        # a msgid that already has a Thai translation in our catalogue
        entry = audit.record(subject=case, action="case.edit", label=gettext_lazy("Registration number"))
        html = render_to_string("workflows/timeline.html", {"entries": audit.timeline(case)})

    assert entry.label == "Registration number"
    assert "เลขทะเบียนโรงงาน" in html


def test_snapshot_makes_field_values_json_safe(case):
    case.licence_issued_on = date(2024, 3, 25)

    data = audit.snapshot(case, ["machinery_hp", "licence_issued_on", "office", "updated_at", "name", "latitude"])

    assert data == {
        "machinery_hp": "75.50",
        "licence_issued_on": "2024-03-25",
        "office": case.office_id,
        "updated_at": case.updated_at.isoformat(),
        "name": case.name,
        "latitude": None,
    }


def test_record_changes_stores_only_the_changed_keys(case):
    fields = ["name", "workers", "machinery_hp", "office"]
    before = audit.snapshot(case, fields)
    case.workers, case.machinery_hp = 55, Decimal("80.00")

    entry = audit.record_changes(
        subject=case, before=before, after=audit.snapshot(case, fields), by=PersonFactory(), comment="นับใหม่"
    )

    assert entry.before == {"workers": 40, "machinery_hp": "75.50"}
    assert entry.after == {"workers": 55, "machinery_hp": "80.00"}
    assert (entry.action, entry.label, entry.comment) == ("case.edit", "Case data edited", "นับใหม่")


def test_record_changes_records_nothing_when_nothing_changed(case):
    before = audit.snapshot(case, ["name", "workers", "machinery_hp"])

    entry = audit.record_changes(subject=case, before=before, after=dict(before), by=PersonFactory())

    assert entry is None
    assert not AuditEntry.objects.exists()
    assert not AuditChain.objects.exists()


def test_record_on_an_existing_chain_takes_three_statements(case, django_assert_num_queries):
    steps(case, 1)
    person = PersonFactory()
    subject = type(case).objects.get(pk=case.pk)  # its chain's head not read with it

    with django_assert_num_queries(3):  # lock the head, move it, insert the entry
        audit.record(subject=subject, action="task.done", label="Step 2", by=person, acting_for=ACTING)

    assert audit.verify() == []


ONE_STATEMENT = 1 if connection.vendor == "postgresql" else 2  # PostgreSQL: the head's move is the entry's WITH


def test_record_takes_one_statement_when_the_head_was_read_with_the_case(case, django_assert_num_queries):
    steps(case, 2)
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    assert subject.audit_head.startswith("2:")

    with django_assert_num_queries(ONE_STATEMENT):  # the head moved on if it still is as read, the entry
        third = audit.record(subject=subject, action="task.done", label="Step 3", after={"at": date(2026, 12, 3)})
    with django_assert_num_queries(ONE_STATEMENT):  # the head as the entry before left it
        audit.record(subject=subject, action="task.done", label="Step 4")

    assert AuditChain.objects.get(key=audit.chain_key(case)).seq == 4
    stored = AuditEntry.objects.get(pk=third.pk)
    assert (stored.seq, stored.hash, stored.after, stored.at) == (3, third.hash, {"at": "2026-12-03"}, third.at)
    assert subject.audit_head == f"4:{AuditChain.objects.get(key=audit.chain_key(case)).last_hash}"
    assert audit.verify() == []


def test_a_new_chain_begins_in_one_statement_when_known_to_be_new(case, django_assert_num_queries):
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    assert subject.audit_head is None
    other = FactoryFactory()

    with django_assert_num_queries(ONE_STATEMENT):  # the head created at its first entry, the entry
        first = audit.record(subject=subject, action="case.open", label="Opened")
    with django_assert_num_queries(3):  # not known: look for the head, create it, the entry
        audit.record(subject=other, action="case.open", label="Opened")

    assert AuditChain.objects.get(key=audit.chain_key(case)).seq == 1
    assert AuditEntry.objects.get(pk=first.pk).seq == 1
    assert audit.verify() == []


def test_a_head_moved_on_meanwhile_is_locked_and_read_again(case):
    stale = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    steps(case, 2)  # another request appended after `stale` was read
    also_stale = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    steps(case, 1)

    entries = [audit.record(subject=s, action="task.done", label="Late") for s in (stale, also_stale)]

    assert [e.seq for e in entries] == [4, 5]
    assert audit.verify() == []


def test_the_fields_saved_with_an_entry_go_in_its_statement(case, django_assert_num_queries):
    """`saving`: the subject's changed fields saved with the entry — on PostgreSQL in the entry's one
    statement (two elsewhere: the save, then the head's move and the entry as before)."""
    steps(case, 1)
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    subject.workers, subject.machinery_hp = 55, Decimal("80.25")

    with django_assert_num_queries(ONE_STATEMENT + (0 if connection.vendor == "postgresql" else 1)):
        entry = audit.record(subject=subject, saving=("workers", "machinery_hp"), action="case.edit", label="Edit")

    stored = type(case).objects.get(pk=case.pk)
    assert (stored.workers, stored.machinery_hp) == (55, Decimal("80.25")) and entry.seq == 2
    assert audit.verify() == []


def test_rows_written_with_an_entry_go_in_its_statement(case, django_assert_num_queries):
    """`writing`: new rows saved with the entry (an outbox row) — on PostgreSQL in the entry's one statement
    (one more elsewhere), their keys set as a save sets them."""
    steps(case, 1)
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    rows = [OutboxMessage(task="workflows.tasks.send_task_mail", args=[n], kwargs={}) for n in (7, 8)]

    with django_assert_num_queries(ONE_STATEMENT + (0 if connection.vendor == "postgresql" else 2)):
        entry = audit.record(subject=subject, writing=tuple(rows), action="case.edit", label="With rows")

    assert entry.seq == 2 and all(row.pk and not row._state.adding for row in rows)
    stored = OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk")
    assert [(row.task, row.args) for row in stored] == [("workflows.tasks.send_task_mail", [n]) for n in (7, 8)]
    assert audit.verify() == []


@pytest.mark.parametrize("head", ["moved", "unknown"])
def test_rows_written_with_an_entry_once_whatever_the_head(case, head):
    """The head moved on since the subject was read, or was never read: the rows are written once, their
    keys set, and the entry locked in."""
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    steps(case, 2)
    if head == "unknown":
        subject = type(case).objects.get(pk=case.pk)
    row = OutboxMessage(task="workflows.tasks.send_task_mail", args=[9], kwargs={})

    entry = audit.record(subject=subject, writing=(row,), action="case.edit", label="Late rows")

    assert entry.seq == 3 and OutboxMessage.objects.filter(args=[9]).get().pk == row.pk
    assert audit.verify() == []


def test_fields_of_a_model_with_its_own_save_are_saved_by_it(case):
    """A model whose save does more than store its fields is saved by its save, then the entry."""
    from org.models import Person

    assert Person.save is not Model.save  # the user model's own save (its password)
    steps(PersonFactory(), 1)
    person = PersonFactory()
    audit.record(subject=person, action="case.edit", label="Begin")
    subject = Person.objects.annotate(audit_head=audit.head_of(Person)).get(pk=person.pk)
    subject.first_name = "สมศรี"
    calls = []
    original = Person.save

    def counted(self, *args, **kwargs):
        calls.append(kwargs.get("update_fields"))
        return original(self, *args, **kwargs)

    Person.save = counted
    try:
        audit.record(subject=subject, saving=("first_name",), action="case.edit", label="Named")
    finally:
        Person.save = original

    assert calls == [("first_name",)] and Person.objects.get(pk=person.pk).first_name == "สมศรี"
    assert audit.verify() == []


def test_fields_saved_with_an_entry_when_the_head_had_moved_on(case):
    """The head moved on since the subject was read: the fields are saved and the entry locked in."""
    stale = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    steps(case, 2)
    stale.workers = 71

    entry = audit.record(subject=stale, saving=("workers",), action="case.edit", label="Late edit")

    assert entry.seq == 3 and type(case).objects.get(pk=case.pk).workers == 71
    assert audit.verify() == []


def test_fields_saved_with_an_entry_for_a_row_gone_fail_and_write_nothing(case):
    """As Django's save(update_fields=…): a subject whose row is gone fails, and the entry is not kept."""
    steps(case, 1)
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    type(case).objects.filter(pk=case.pk).delete()
    subject.workers = 9

    with pytest.raises(DatabaseError), transaction.atomic():
        audit.record(subject=subject, saving=("workers",), action="case.edit", label="Gone")

    assert AuditEntry.objects.filter(label="Gone").count() == 0
    assert audit.verify() == []


def test_a_head_ahead_of_the_database_after_a_rollback_is_not_trusted(case):
    steps(case, 1)
    subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(subject=subject, action="task.done", label="Rolled back")
        raise RuntimeError
    assert subject.audit_head.startswith("2:")  # what it wrote, never committed

    entry = audit.record(subject=subject, action="task.done", label="Step 2")

    assert entry.seq == 2
    assert audit.verify() == []


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="concurrent writers are tested on PostgreSQL (make test runs the suite there too)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_with_stale_heads_keep_one_unbroken_chain():
    case = PersonFactory()  # any saved record has a chain; a factory would need the geography (flushed here)
    steps(case, 1)
    writers, each = 4, 6
    barrier = threading.Barrier(writers)
    errors = []

    def write(index: int) -> None:
        try:
            subject = type(case).objects.annotate(audit_head=audit.head_of(type(case))).get(pk=case.pk)
            barrier.wait()  # every writer read the same head
            for n in range(each):
                with transaction.atomic():
                    audit.record(subject=subject, action="task.done", label=f"Writer {index} step {n}")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    key = audit.chain_key(case)
    assert AuditChain.objects.get(key=key).seq == 1 + writers * each
    seqs = list(AuditEntry.objects.filter(chain=key).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 + writers * each))
    assert audit.verify() == []


# Append-only


def test_a_saved_entry_cannot_be_saved_again_or_deleted(case):
    entry = steps(case, 1)[0]
    entry.comment = "แก้ไขย้อนหลัง"

    with pytest.raises(AuditError):
        entry.save()
    with pytest.raises(AuditError):
        entry.delete()

    assert AuditEntry.objects.get(pk=entry.pk).comment == "ขั้นที่ 1"
    assert audit.verify() == []


def test_queryset_update_and_delete_are_refused(case):
    steps(case, 2)
    entries = AuditEntry.objects.filter(chain=audit.chain_key(case))

    with pytest.raises(AuditError):
        entries.update(comment="แก้ไขย้อนหลัง")
    with pytest.raises(AuditError):
        entries.delete()
    with pytest.raises(AuditError):
        AuditEntry.objects.all().delete()

    assert entries.count() == 2
    assert audit.verify() == []


def test_an_entry_with_a_hand_set_pk_is_inserted_never_updated(case):
    entry = steps(case, 1)[0]
    forged = AuditEntry(
        pk=entry.pk, chain=entry.chain, seq=1, at=timezone.now(), action="x", label="x", prev_hash=GENESIS, hash="x"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()

    assert AuditEntry.objects.get(pk=entry.pk).action == "task.done"


# Verification


def test_verify_passes_on_untouched_chains(case):
    other = FactoryFactory()
    steps(case, 3)
    steps(other, 2)

    assert audit.verify() == []
    assert audit.verify(audit.chain_key(other)) == []


def test_an_edited_comment_is_detected_at_its_seq(case):
    steps(case, 3)
    key = audit.chain_key(case)

    tamper("UPDATE {entries} SET comment = %s WHERE chain = %s AND seq = 2", ["แก้ไขย้อนหลัง", key])

    assert found(audit.verify()) == [(key, 2, audit.EDITED)]


@pytest.mark.parametrize("seq, where, kind", [(2, 3, audit.UNLINKED), (3, 3, audit.HEAD)])
def test_an_edited_and_rehashed_entry_is_detected_at_the_next_link(case, seq, where, kind):
    steps(case, 3)
    key = audit.chain_key(case)
    tamper("UPDATE {entries} SET comment = %s WHERE chain = %s AND seq = %s", ["แก้ไขย้อนหลัง", key, seq])
    row = AuditEntry.objects.filter(chain=key, seq=seq).values(*audit.HASHED).get()

    tamper("UPDATE {entries} SET hash = %s WHERE chain = %s AND seq = %s", [audit.entry_hash(row), key, seq])

    assert found(audit.verify()) == [(key, where, kind)]


def test_a_deleted_middle_entry_is_detected(case):
    steps(case, 3)
    key = audit.chain_key(case)

    tamper("DELETE FROM {entries} WHERE chain = %s AND seq = 2", [key])

    assert found(audit.verify()) == [(key, 2, audit.MISSING)]


def test_a_deleted_last_entry_is_detected_through_the_head(case):
    steps(case, 3)
    key = audit.chain_key(case)

    tamper("DELETE FROM {entries} WHERE chain = %s AND seq = 3", [key])

    assert found(audit.verify()) == [(key, 3, audit.HEAD)]


def test_a_chain_emptied_or_beheaded_is_detected(case):
    other = FactoryFactory()
    steps(case, 2)
    steps(other, 2)

    tamper("DELETE FROM {entries} WHERE chain = %s", [audit.chain_key(case)])
    tamper('DELETE FROM {heads} WHERE "key" = %s', [audit.chain_key(other)])

    assert sorted(found(audit.verify())) == sorted(
        [(audit.chain_key(case), 1, audit.MISSING), (audit.chain_key(other), 1, audit.HEAD)]
    )


def test_only_the_first_broken_link_of_a_chain_is_reported(case):
    clean = FactoryFactory()
    steps(case, 3)
    steps(clean, 3)
    key = audit.chain_key(case)

    tamper("UPDATE {entries} SET comment = %s WHERE chain = %s AND seq IN (1, 3)", ["แก้ไขย้อนหลัง", key])

    assert found(audit.verify()) == [(key, 1, audit.EDITED)]
    assert audit.verify(audit.chain_key(clean)) == []


def test_verify_reads_in_batches_without_losing_a_chain(monkeypatch):
    monkeypatch.setattr(audit, "BATCH", 2)
    cases = FactoryFactory.create_batch(5)
    for subject in cases:
        steps(subject, 2)
    assert audit.verify() == []

    key = audit.chain_key(cases[3])
    tamper("DELETE FROM {entries} WHERE chain = %s AND seq = 2", [key])

    assert found(audit.verify()) == [(key, 2, audit.HEAD)]


# The command


def test_verify_audit_exits_1_naming_the_chain_and_seq(case):
    steps(case, 3)
    key = audit.chain_key(case)
    tamper("UPDATE {entries} SET comment = %s WHERE chain = %s AND seq = 2", ["แก้ไขย้อนหลัง", key])
    out = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("verify_audit", stdout=out)

    assert exc.value.returncode == 1
    assert f"{key} seq 2 (edited)" in out.getvalue()


def test_verify_audit_reports_ok_when_clean(case):
    steps(case, 3)
    steps(FactoryFactory(), 2)
    out = io.StringIO()

    call_command("verify_audit", stdout=out)
    call_command("verify_audit", "--chain", audit.chain_key(case), stdout=out)

    assert out.getvalue().startswith("OK: ")
    assert "OK: 3 entries in 1 chains verified" in out.getvalue()


def test_verify_audit_refuses_an_unknown_chain(db):
    with pytest.raises(CommandError, match="No audit chain"):
        call_command("verify_audit", "--chain", "factory:0", stdout=io.StringIO())


# The timeline


def test_timeline_is_one_query_in_order(case, django_assert_num_queries):
    people = PersonFactory.create_batch(3)
    for person in people:
        steps(case, 1, by=person)
    steps(FactoryFactory(), 2)

    with django_assert_num_queries(1):
        entries = list(audit.timeline(case))
        actors = [entry.actor for entry in entries]

    assert [entry.seq for entry in entries] == [1, 2, 3]
    assert actors == people


@at(2026, 11, 16)
def test_timeline_shows_who_acting_for_whom_what_and_the_changes(case):
    person = PersonFactory(first_name="สมหญิง", last_name="รักงาน")
    before = audit.snapshot(case, ["workers"])
    case.workers = 55
    audit.record_changes(
        subject=case,
        before=before,
        after=audit.snapshot(case, ["workers"]),
        by=person,
        acting_for=ACTING,
        comment="นับใหม่",
    )
    audit.record(subject=case, action="sla.escalate", label="Escalated")

    with translation.override("th"):
        html = render_to_string("workflows/timeline.html", {"entries": audit.timeline(case)})

    assert html.count('class="kk-timeline-item"') == 2
    with translation.override("th"):
        edited = translation.gettext("Case data edited")  # shown in the reader's language
    assert edited != "Case data edited"
    with translation.override("th"):
        workers = str(case._meta.get_field("workers").verbose_name)  # the field's name, not its key
    for text in ("สมหญิง รักงาน", ACTING, edited, "นับใหม่", workers, "40", "55", "Escalated"):
        assert text in html
    assert "16 พ.ย. 2569" in html  # when, in the Buddhist era


def test_timeline_without_entries_says_so():
    with translation.override("en"):
        html = render_to_string("workflows/timeline.html", {"entries": []})

    assert "kk-timeline-item" not in html
    assert "No history yet." in html


@pytest.mark.django_db
def test_timeline_names_the_fields_that_changed_in_thai():
    from workflows.models import AuditEntry
    from workflows.models.audit import field_label

    with translation.override("th"):
        assert field_label("factory:1", "machinery_hp") == "เครื่องจักร (แรงม้า)"
        assert field_label("factory:1", "S1") == "S1"  # a checklist item code stays as it is
        assert field_label("nosuchmodel:1", "name") == "name"
        assert field_label("complaint:1", "photos") == "รูปภาพ"  # a reverse relation: the extra label
        entry = AuditEntry(chain="factory:1", before={"name": "ก"}, after={"name": "ข"})
        assert entry.changes() == [("ชื่อโรงงาน", "ก", "ข")]


def test_timeline_shows_choices_and_answers_in_words():
    from workflows.models import AuditEntry

    with translation.override("th"):
        entry = AuditEntry(chain="inspection:1", before={}, after={"reason": "complaint", "SAF-01": "yes"})
        (code, _old, answer), (reason, _none, label) = entry.changes()
        assert (code, answer) == ("SAF-01", "ใช่")
        assert label == "เรื่องร้องเรียน" and reason != "reason"


def test_timeline_shows_lists_and_mappings_as_text():
    from workflows.models import AuditEntry

    after = {"projects": ["90-2566-P01", "90-2566-P02"], "kpi_actuals": {"ผู้ประกอบการ": "5"}}
    entry = AuditEntry(chain="project:1", before={"projects": []}, after=after)
    assert [(old, new) for _label, old, new in entry.changes()] == [
        (None, "ผู้ประกอบการ: 5"), (None, "90-2566-P01, 90-2566-P02")]  # fmt: skip
