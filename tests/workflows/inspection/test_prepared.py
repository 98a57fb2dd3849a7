"""project.prepared: the hot queries (the task's lock statement, the case read, a person's grants) compiled
once per connection give what their QuerySets give, in one statement, on both databases."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.transaction import TransactionManagementError
from viewflow.workflow.models import Task

from project.prepared import Prepared
from workflows import engine
from workflows.inspection import services
from workflows.inspection.flows import InspectionFlow
from workflows.inspection.models import Inspection, InspectionProcess
from workflows.processes import _case_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(songkhla, checklist, factory):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    services.inspection_assign(inspection=inspection, inspector=songkhla.inspector, by=songkhla.head)
    return inspection


def compiled(prepared: Prepared):
    return connections["default"].__dict__[prepared._key]


def values(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_the_case_read_is_what_its_queryset_gives(case):
    process_class = InspectionProcess
    expected = (
        Inspection.objects.select_related(*process_class.case_related)
        .annotate(**process_class.case_figures())
        .get(pk=case.pk)
    )

    read = _case_query(process_class).one(case.pk)

    assert values(read) == values(expected) and read._state.adding is False and read._state.db == "default"
    assert read.audit_head == expected.audit_head and read.audit_head.startswith("2:")
    assert values(read.office) == values(expected.office) and Inspection.office.is_cached(read)
    assert values(read.inspector) == values(expected.inspector) and Inspection.inspector.is_cached(read)
    assert _case_query(process_class).one(case.pk + 1000) is None


def test_the_task_lock_is_what_its_queryset_gives_and_takes_one_statement(case, django_assert_num_queries):
    task = Task.objects.get(process__inspectionprocess__inspection=case, flow_task=InspectionFlow.assign)
    expected = Task.objects.select_related("owner", "process", "process__inspectionprocess").get(pk=task.pk)

    with transaction.atomic():
        with django_assert_num_queries(1):
            locked = engine.load_task(InspectionFlow, task.pk, task.process_id, lock=True)
        with django_assert_num_queries(1):
            again = engine.load_task(InspectionFlow, task.pk, task.process_id, lock=True)
        assert engine.load_task(InspectionFlow, task.pk, task.process_id + 1, lock=True) is None

    assert values(locked) == values(expected) == values(again)
    assert values(locked.owner) == values(expected.owner)
    assert isinstance(locked.process, InspectionProcess)
    assert values(locked.process) == values(expected.process.inspectionprocess)
    if connection.vendor == "postgresql":
        assert "FOR UPDATE OF" in compiled(engine._task_query(InspectionFlow, True)).sql
    # The case comes with it, as `process.case` reads it (what the flow reads of it, its figures): no statement.
    read = _case_query(InspectionProcess).one(case.pk)
    with django_assert_num_queries(0):
        loaded = locked.process.case
        assert (loaded.audit_head, loaded.last_review_number) == (read.audit_head, read.last_review_number)
        assert values(loaded) == values(read) and values(loaded.inspector) == values(read.inspector)
        assert values(loaded.office) == values(read.office) and locked.process.inspection is loaded
    assert "case_audit_head" not in locked.__dict__


def test_the_callers_own_case_object_is_the_one_the_flow_reads(case, songkhla):
    """engine.activation(task, case=…): the flow's functions read the object the caller's service changes;
    another case's object is refused."""
    from viewflow.workflow.exceptions import FlowRuntimeError

    task = Task.objects.get(process__inspectionprocess__inspection=case, flow_task=InspectionFlow.assign)
    with pytest.raises(FlowRuntimeError), transaction.atomic():
        with engine.activation(task, case=Inspection(pk=case.pk + 1)):
            pass
    mine = Inspection.objects.get(pk=case.pk)
    with transaction.atomic(), engine.activation(task, case=mine) as activation:
        assert activation.process.case is mine and activation.process.inspection is mine


@pytest.mark.django_db(transaction=True)  # the other thread's connection sees the case
def test_each_connection_compiles_its_own(reference_data, case):
    prepared = _case_query(InspectionProcess)
    prepared.one(case.pk)
    here = compiled(prepared)
    there = []

    def other_thread():
        try:
            there.append((prepared.one(case.pk).pk, compiled(prepared)))
        finally:
            connections["default"].close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    assert there[0][0] == case.pk and there[0][1] is not here
    prepared.one(case.pk)
    assert compiled(prepared) is here


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes no row locks")
@pytest.mark.django_db(transaction=True)  # autocommit between statements, as outside a request's transaction
def test_a_lock_outside_a_transaction_is_refused_as_by_the_queryset(reference_data, case):
    task = Task.objects.filter(process__inspectionprocess__inspection=case).first()
    with transaction.atomic():
        engine.load_task(InspectionFlow, task.pk, task.process_id, lock=True)  # compiled in a transaction
    with pytest.raises(TransactionManagementError):
        engine.load_task(InspectionFlow, task.pk, task.process_id, lock=True)


def test_values_must_be_integers_that_reach_the_statement(case):
    with pytest.raises(TypeError):
        _case_query(InspectionProcess).one(str(case.pk))
    with pytest.raises(ValueError, match="markers"):
        Prepared(lambda pk: Inspection.objects.filter(pk__gt=pk + 1), int).one(case.pk)


def test_rows_are_what_the_values_list_gives(songkhla):
    from permissions.access import _GRANTS
    from permissions.models import UnitUserObjectPermission

    expected = UnitUserObjectPermission.objects.filter(user_id=songkhla.head.pk).values_list(
        "permission__codename", "content_object_id", "content_object__kind"
    )

    assert sorted(_GRANTS.rows(songkhla.head.pk)) == sorted(expected) and len(expected) > 1
    assert _GRANTS.rows(songkhla.head.pk + 10_000) == []


def test_text_values_and_every_row(case, checklist):
    """A text marker (the template's code) and `all` (every row as an instance, in the query's order)."""
    from workflows.inspection.models import ChecklistItem, ChecklistVersion

    by_code = Prepared(
        lambda code: ChecklistVersion.objects.filter(template__code=code).select_related("template"), str
    )
    items = Prepared(lambda pk: ChecklistItem.objects.filter(section__version=pk).select_related("section"), int)
    expected = list(ChecklistItem.objects.filter(section__version=checklist.pk).select_related("section"))

    assert values(by_code.one(checklist.template.code)) == values(checklist)
    assert by_code.one(checklist.template.code).template.code == checklist.template.code
    assert by_code.one("no-such-template") is None
    assert [values(item) for item in items.all(checklist.pk)] == [values(item) for item in expected] and expected
    assert [values(item.section) for item in items.all(checklist.pk)] == [values(item.section) for item in expected]
    assert services.published_checklist(checklist.template.code).pk == checklist.pk


def test_a_lookup_that_changes_the_text_is_refused(case):
    with pytest.raises(ValueError, match="markers"):
        Prepared(lambda code: Inspection.objects.filter(ref_no__icontains=code), str).one("90")
    with pytest.raises(TypeError):
        Prepared(lambda code: Inspection.objects.filter(ref_no=code), str).one(90)
    with pytest.raises(TypeError):
        Prepared(lambda day: Inspection.objects.filter(planned_on=day), object)


def test_a_day_reaches_the_statement_on_either_database(songkhla):
    """A date marker (SQLite is given the day as text, PostgreSQL as a date): the office's inspectors on
    a day, as the QuerySet gives them, for days inside and outside a holding; a datetime is refused."""
    from datetime import UTC, date, datetime, timedelta

    from org.models import Holding

    holding = Holding.objects.filter(person=songkhla.inspector, position__kind="inspector").first()
    holding.start, holding.end = date(2567 - 543, 3, 1), date(2567 - 543, 9, 30)
    holding.save(update_fields=["start", "end"])
    office = holding.position.unit_id
    by_day = Prepared(lambda unit_id, on: Holding.objects.active_on(on).filter(position__unit=unit_id), int, date)

    for day in (holding.start - timedelta(days=1), holding.start, date(2024, 6, 1), holding.end, date(2024, 10, 1)):
        expected = sorted(Holding.objects.active_on(day).filter(position__unit=office).values_list("pk", flat=True))
        assert sorted(h.pk for h in by_day.all(office, day)) == expected
        assert (holding.pk in expected) == (holding.start <= day <= holding.end)
    with pytest.raises(TypeError):
        by_day.all(office, datetime(2024, 6, 1, 12, tzinfo=UTC))


def test_only_an_inspector_of_the_office_on_the_day_is_assigned(songkhla, checklist, factory):
    """The assignment's check (a prepared query with a day): the officer (no inspector), an inspector
    whose holding ended yesterday, and one of another province are refused and nothing changes; the
    group's inspector is assigned."""
    from datetime import timedelta

    from django.utils import timezone

    from org.models import Holding
    from tests.conftest import staff
    from workflows.inspection.errors import InspectionError

    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    ended = Holding.objects.get(person=songkhla.inspector2)
    ended.end = timezone.localdate() - timedelta(days=1)
    ended.save(update_fields=["end"])
    for person in (songkhla.officer, songkhla.inspector2, staff(16, "inspector")):
        with pytest.raises(InspectionError):
            services.inspection_assign(inspection=inspection, inspector=person, by=songkhla.head)
        assert Inspection.objects.get(pk=inspection.pk).inspector_id is None
    services.inspection_assign(inspection=inspection, inspector=songkhla.inspector, by=songkhla.head)
    assert Inspection.objects.get(pk=inspection.pk).inspector_id == songkhla.inspector.pk


def test_an_update_built_once_stores_what_the_save_stores(case, songkhla):
    """project.prepared.update_of: the UPDATE of save(update_fields=…) (or of every field), its SQL built
    once; run, the row is what the save writes; an expression as a value is compiled as Django does."""
    from django.db.models import F
    from django.utils import timezone

    from project.prepared import update_of

    def run(sql_params):
        with connection.cursor() as cursor:
            cursor.execute(*sql_params)
            return cursor.rowcount

    case.findings, case.inspected_on, case.inspector = "พบการรั่วไหล", timezone.localdate(), songkhla.inspector2
    assert run(update_of(case, ("findings", "inspected_on", "inspector"), "default")) == 1
    stored = Inspection.objects.get(pk=case.pk)
    assert (stored.findings, stored.inspected_on, stored.inspector_id) == (
        "พบการรั่วไหล",
        case.inspected_on,
        songkhla.inspector2.pk,
    )
    assert update_of(case, ("findings",), "default")[0] is update_of(case, ("findings",), "default")[0]

    task = Task.objects.filter(process__inspectionprocess__inspection=case).order_by("pk").last()
    task.data, task.comments, task.finished = {"ส่วน": [1, 2]}, "ตรวจแล้ว", timezone.now()
    assert run(update_of(task, None, "default")) == 1
    assert values(Task.objects.get(pk=task.pk)) == values(task)

    case.score = F("score")  # an expression: compiled by Django, as the save would
    assert run(update_of(case, ("score",), "default")) == 1


def test_an_insert_built_once_stores_what_the_save_stores(case):
    """project.prepared.insert_of: the INSERT of a new row's save (defaults and auto_now_add by each
    field's pre_save), its key returned; its SQL built once."""
    from project.prepared import insert_of

    first = Task.objects.filter(process__inspectionprocess__inspection=case).order_by("pk").first()
    written = Task(process=first.process, flow_task=InspectionFlow.inspect, token=first.token, data={"ก": 1})
    written.flow_task_type = written.flow_task.task_type
    expected = Task(process=first.process, flow_task=InspectionFlow.inspect, token=first.token, data={"ก": 1})
    sql, params = insert_of(written, "default")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (written.pk,) = cursor.fetchone()
    expected.save()

    stored, saved = values(Task.objects.get(pk=written.pk)), values(Task.objects.get(pk=expected.pk))
    assert stored.pop("created") == written.created and saved.pop("created") == expected.created
    assert {**stored, "id": None} == {**saved, "id": None} and stored["data"] == {"ก": 1}
    assert insert_of(written, "default")[0] is sql


def test_a_new_row_inserted_is_as_saved_and_one_with_a_receiver_is_saved(case, django_assert_num_queries):
    """project.prepared.inserted: a new row written by its INSERT built once (one statement, key and state
    set), as its save writes it; where something listens to its saves, by its save (the signal sent)."""
    from django.db.models.signals import post_save

    from project.prepared import inserted
    from workflows.models import OutboxMessage

    with django_assert_num_queries(1):
        row = inserted(OutboxMessage(task="workflows.tasks.send_task_mail", args=[1]))
    assert row.pk and row._state.adding is False and row._state.db == "default"
    stored = OutboxMessage.objects.get(pk=row.pk)
    assert (stored.args, stored.kwargs, stored.attempts, stored.created_at) == ([1], {}, 0, row.created_at)

    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.pk, created))

    post_save.connect(receiver, sender=OutboxMessage)
    try:
        listened = inserted(OutboxMessage(task="workflows.tasks.send_task_mail", args=[2]))
    finally:
        post_save.disconnect(receiver, sender=OutboxMessage)
    assert heard == [(listened.pk, True)] and OutboxMessage.objects.get(pk=listened.pk).args == [2]


def test_a_prepared_query_made_after_another_is_gone_is_compiled_afresh(case):
    """Each Prepared keeps its compiled form on the connection under its own key, even when Python gives
    it the memory (the id) of one already collected, as a test's own Prepared."""
    keys = set()
    for _ in range(100):
        made = Prepared(lambda pk: Inspection.objects.filter(pk=pk).values_list("ref_no"), int)
        keys.add(made._key)
        del made
    after = Prepared(lambda pk: Inspection.objects.filter(pk=pk).values_list("factory_id"), int)

    assert len(keys) == 100 and after._key not in keys and after.rows(case.pk) == [(case.factory_id,)]


def test_a_new_row_with_a_parent_table_is_written_to_both_by_one_statement(case, django_assert_num_queries):
    """A flow's process (Viewflow's table and the case's): one statement on PostgreSQL, both keys set, stored
    as its save stores it; its save where something listens to its saves, or elsewhere."""
    from django.db.models.signals import pre_save
    from viewflow.workflow.models import Process

    from project.prepared import inserted
    from workflows.inspection.models import InspectionProcess

    def process():
        return InspectionProcess(flow_class=InspectionFlow, inspection=case, data={"ก": 1})

    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        written = inserted(process())
    expected = process()
    expected.save()

    assert written.pk == written.id == written.process_ptr_id and written._state.adding is False
    parent, child = Process.objects.filter(pk=written.pk).values(), InspectionProcess.objects.filter(pk=written.pk)
    stored, saved = parent.get(), Process.objects.filter(pk=expected.pk).values().get()
    assert {**stored, "id": None, "created": None} == {**saved, "id": None, "created": None}
    assert child.values_list("inspection_id", flat=True).get() == case.pk and stored["created"] == written.created

    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance.pk)

    pre_save.connect(receiver, sender=InspectionProcess)
    try:
        listened = inserted(process())
    finally:
        pre_save.disconnect(receiver, sender=InspectionProcess)
    assert heard == [None] and InspectionProcess.objects.filter(pk=listened.pk).exists()


def test_new_rows_inserted_together_are_as_bulk_create_writes_them(case, django_assert_num_queries):
    """project.prepared.inserted_all: one INSERT of all the rows (keys and state set), stored as bulk_create
    stores them; bulk_create itself when one statement cannot take them all."""
    from project.prepared import inserted_all
    from workflows.inspection.models import Answer, ChecklistItem

    items = list(ChecklistItem.objects.filter(section__version=case.checklist_id).order_by("pk"))

    def answers():
        return [Answer(inspection=case, item=item, value="yes", number=Decimal("1.50"), note="ก") for item in items]

    def stored():
        return [{**row, "id": None} for row in Answer.objects.filter(inspection=case).order_by("item").values()]

    made = answers()
    with django_assert_num_queries(1):
        assert inserted_all(made) is made
    assert len(made) > 1 and all(a.pk and a._state.adding is False and a._state.db == "default" for a in made)
    assert sorted(a.pk for a in made) == sorted(Answer.objects.filter(inspection=case).values_list("pk", flat=True))
    mine = stored()
    Answer.objects.filter(inspection=case).delete()
    Answer.objects.bulk_create(answers())
    assert mine == stored() and mine[0]["number"] == Decimal("1.50")
    assert inserted_all([]) == []
