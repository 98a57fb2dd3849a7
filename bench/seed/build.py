"""The generation, step by step: each step is timed by the caller's `step(label, func)`."""

import time

from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from org.models import Unit, UnitKind
from registry.models import Factory
from workflows.audit import verify
from workflows.inspection.models import CaseCounter, Inspection, ReviewRound
from workflows.inspection.services import published_checklist
from workflows.models import AuditChain, AuditEntry

from . import people as cast
from .bulk import historic_timestamps, insert, reset_sequences
from .cases import CaseWriter
from .factories import factories_by_office, make_factories
from .plan import plan_cases
from .stock import make_stock_inbox

FLUSH_EVERY = 2000
PROGRESS_EVERY = 50_000
CASES_STEP = "cases, processes, tasks, audit"
# renamed with what the summaries hold: a database generated before rebuilds them
SUMMARIES_STEP = "dashboard summaries (with each office's open tasks by due date and owner)"


def build(sizes: dict[str, int], step) -> None:
    if connection.vendor == "postgresql":
        # This session only, as pg_restore --disable-triggers loads: no wait for the WAL at each commit
        # (a crash loses the generation, nothing else), and no foreign-key trigger per row (each took a
        # row lock on the person, office or process it points at: most of the server's time). The rows
        # are made consistent here; check_audit_sample and the measures read them through the ORM.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET session_replication_role = replica")
    step("migrate", lambda: call_command("migrate", verbosity=0))
    step("reference data and people", lambda: (cast.load_reference(), cast.staff_empty_offices()))
    people = cast.bench_people()
    step("factories", lambda: make_factories(sizes["factories"]))
    factories, staff = factories_by_office(), cast.office_staff()
    offices = dict(Unit.objects.filter(kind=UnitKind.OFFICE).values_list("pk", "province_id"))
    songkhla = next(pk for pk, province in offices.items() if province == cast.SONGKHLA)
    now = timezone.now()
    plan = plan_cases(total=sizes["cases"], inbox=sizes["inbox"], factories=factories, staff=staff,
                      people=people, songkhla_id=songkhla, now=now)  # fmt: skip
    step(CASES_STEP, lambda: write_cases(plan, CaseWriter(checklist=published_checklist(), provinces=offices)))
    step("stock flow inbox", lambda: make_stock_inbox(
        count=sizes["inbox"], owner=people[cast.STOCK_USER], staff=staff[songkhla], factories=factories[songkhla],
        now=now,
    ))  # fmt: skip
    step("sequences and statistics", finish)
    step(SUMMARIES_STEP, rebuild_summaries)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
    check_audit_sample()


def write_cases(plan, writer: CaseWriter) -> int:
    started, written = time.perf_counter(), 0
    with historic_timestamps(Inspection, ReviewRound, AuditChain):
        for written, spec in enumerate(plan, start=1):
            writer.add(spec)
            if written % FLUSH_EVERY == 0:
                writer.flush()
            if written % PROGRESS_EVERY == 0:
                print(f"    {written:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)
        writer.flush()
    insert(CaseCounter, writer.counters())
    return written


def finish() -> None:
    """Sequences past the primary keys we chose; planner statistics and (PostgreSQL) the visibility
    map, as autovacuum would gather and set them after so many inserts: without the map an index-only
    scan still reads every heap page it counts (the deputy PS's count was 40 ms at 200,000 cases)."""
    reset_sequences(Inspection, Process, Task, Task.previous.through, AuditEntry)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def rebuild_summaries() -> None:
    """The dashboards' summary tables, as `manage.py rebuild_dashboards` recomputes them after data
    written around the services (the generation's rows bypass the audit hook that keeps them)."""
    from dashboards import summary

    summary.rebuild()


def check_audit_sample() -> None:
    """Generated hash chains must verify exactly as real ones do: the first and last ten."""
    keys = [*AuditChain.objects.order_by("key").values_list("key", flat=True)[:10]]
    keys += AuditChain.objects.order_by("-key").values_list("key", flat=True)[:10]
    problems = [problem for key in keys for problem in verify(key)]
    if problems:
        raise SystemExit(f"Generated audit chains do not verify: {problems[:3]}")


def row_counts() -> dict[str, int]:
    tables = {
        "factories": Factory, "inspections": Inspection, "processes": Process, "tasks": Task,
        "task links": Task.previous.through, "audit entries": AuditEntry,
    }  # fmt: skip
    return {name: model._base_manager.count() for name, model in tables.items()}
