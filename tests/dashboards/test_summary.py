"""The summary tables (dashboards.summary) equal a direct count of the cases after every change the
services make — a new case, a return, a sign-off and closure, a reassignment, an order issued, a
complaint received and answered — marked by the one hook in workflows.audit.record in the change's
transaction and recomputed by the worker's task (dashboards.tasks.refresh_summaries, run here as the
worker runs it); rebuilt by `manage.py rebuild_dashboards`; and each dashboard level reads them in at
most 10 statements."""

import re
from dataclasses import asdict

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from dashboards import summary, tracking
from dashboards.models import OfficeMonth, OfficeState, StaleBucket
from dashboards.tasks import refresh_summaries
from org.models import Unit
from tests.clock import at
from tests.factories import FactoryFactory
from tests.workflows.complaint.test_complaints import act, submit
from tests.workflows.inspection import conftest as inspection_fixtures
from tests.workflows.inspection.test_flow_paths import checklist_answers, do, open_task
from workflows.inspection import services
from workflows.inspection.models import Inspection, OrderStatus
from workflows.models.approvals import RoundDecision

from .conftest import case

pytestmark = pytest.mark.django_db
factory, rules = inspection_fixtures.factory, inspection_fixtures.rules  # (fixtures)


def both(person, fy, office_id) -> tuple[dict, dict]:
    """(the dashboard's figures read from the summaries, the same counted from the cases)."""
    now = timezone.now()
    read = tracking.figures_by_office(person, fy, [office_id], now=now)[office_id]
    counted = tracking.counted_figures(person, fy, [office_id], now=now)[office_id]
    return asdict(read), asdict(counted)


def owners_equal_a_direct_count(office_id) -> bool:
    """Each officer's open and overdue tasks as the summary keeps them (the office page's officers
    table) against the office's open tasks counted (tracking.office_tasks)."""
    now, office = timezone.now(), Unit.objects.get(pk=office_id)
    counted = {owner: n for owner, n in tracking.office_tasks(office, now).items() if owner is not None}
    return summary.owner_tasks(OfficeState.objects.get(office=office_id).task_dues, now) == counted


def months_equal_a_direct_count(office_id, fy):
    stored = {
        row["month"]: {k: row[k] for k in summary.MONTH_FIELDS}
        for row in OfficeMonth.objects.filter(office=office_id, fiscal_year=fy).values()
    }
    counted = {m: c for m, c in summary.month_counts(office_id, fy).items() if any(c.values())}
    return stored == counted


def test_every_figure_equals_a_direct_count_after_each_step_of_a_case(client, songkhla, checklist, factory, rules):
    office_id, fy, dps = songkhla.unit.pk, tracking.fiscal_year(timezone.localdate()), songkhla.dps

    def step(action, *args, **kwargs):
        action(*args, **kwargs)  # its commit hands nothing over here: the worker's pass below
        refresh_summaries()
        assert not StaleBucket.objects.exists()
        read, counted = both(dps, fy, office_id)
        assert read == counted, action
        assert months_equal_a_direct_count(office_id, fy)
        assert owners_equal_a_direct_count(office_id)
        return read

    cases = []

    def start(on_factory):
        cases.append(services.inspection_start(factory=on_factory, by=songkhla.head))

    assert step(start, factory)["open_cases"] == 1
    inspection = cases[0]
    step(lambda: do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk}))
    step(lambda: do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=False)))
    step(lambda: do(client, songkhla.head, inspection, "review", {"decision": "return", "comments": "ภาพถ่ายไม่ชัด"}))
    step(lambda: do(client, songkhla.inspector, inspection, "inspect", checklist_answers(inspection, exit_ok=False)))
    step(lambda: do(client, songkhla.head, inspection, "review", {"decision": "approve"}))
    signed = step(lambda: do(client, songkhla.officer, inspection, "sign_off", {"confirm": "on"}))
    assert signed["signed_off"] == 1
    draft = {"kind": "s37", "requirement": "เปิดทางหนีไฟ", "period_days": "30"}
    step(lambda: do(client, songkhla.officer, inspection, "draft_order", draft))
    issued = step(lambda: do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"}))
    assert services.current_order(inspection).status == OrderStatus.ISSUED
    assert issued["orders_s37"] == 1 and issued["open_cases"] == 1
    assert OfficeMonth.objects.filter(office=office_id, fiscal_year=fy).values_list("orders_issued", flat=True)[0] == 1

    # a second case, compliant: opened, reassigned to another inspector, closed
    assert step(start, FactoryFactory(province_code=songkhla.unit.province_id))["open_cases"] == 2
    second = cases[1]
    step(lambda: do(client, songkhla.head, second, "assign", {"inspector": songkhla.inspector.pk}))
    step(lambda: services.inspection_assign(inspection=second, inspector=songkhla.inspector2, by=songkhla.head))
    assert Inspection.objects.get(pk=second.pk).inspector == songkhla.inspector2
    Task.objects.filter(pk=open_task(second, "inspect").pk).update(owner=songkhla.inspector2)
    step(lambda: do(client, songkhla.inspector2, second, "inspect", checklist_answers(second, exit_ok=True)))
    step(lambda: do(client, songkhla.head, second, "review", {"decision": "approve"}))
    closed = step(lambda: do(client, songkhla.officer, second, "sign_off", {"confirm": "on"}))
    assert (closed["closed"], closed["compliant"], closed["signed_off"], closed["open_cases"]) == (1, 1, 2, 1)


def test_complaints_received_and_answered_equal_a_direct_count(client, songkhla, checklist, factory):
    office_id, fy = songkhla.unit.pk, tracking.fiscal_year(timezone.localdate())
    complaint = submit(factory_text=factory.reg_no)
    refresh_summaries()
    assert OfficeMonth.objects.get(office=office_id, fiscal_year=fy).complaints == 1
    act(client, songkhla.head, complaint, "triage", {"decision": "reject", "reason": "ไม่อยู่ในอำนาจ"})
    act(client, songkhla.head, complaint, "answer_rejection", {"answer": "เรื่องนี้อยู่ในอำนาจของเทศบาล"})
    refresh_summaries()
    read, counted = both(songkhla.dps, fy, office_id)
    assert read == counted and (read["answered"], read["answered_in_time"]) == (1, 1)
    assert months_equal_a_direct_count(office_id, fy)


def test_a_change_rolled_back_leaves_the_summary_as_it_was(songkhla, checklist, factory):
    try:
        with transaction.atomic():
            services.inspection_start(factory=factory, by=songkhla.head)
            assert StaleBucket.objects.exists()  # marked in the change's transaction
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    assert not Inspection.objects.exists() and not StaleBucket.objects.exists()
    refresh_summaries()
    assert not OfficeMonth.objects.exists() and not OfficeState.objects.filter(open_cases__gt=0).exists()


def test_a_step_marks_its_buckets_in_its_transaction_and_its_request_recomputes_nothing(
    songkhla, checklist, factory, settings, django_capture_on_commit_callbacks
):
    """As in production (a worker, not Celery eager): the start of a case writes one mark in its own
    transaction and recomputes nothing, not after its commit either; the worker's pass does. A step
    that moves no figure (a review's decision) writes no mark."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    office_id, fy = songkhla.unit.pk, tracking.fiscal_year(timezone.localdate())
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        inspection = services.inspection_start(factory=factory, by=songkhla.head)
    statements = [q["sql"] for q in queries.captured_queries]
    # (on PostgreSQL the mark's INSERT is part of the audit entry's statement: workflows.audit.record)
    assert sum(sql.count('INSERT INTO "dashboards_stalebucket"') for sql in statements) == 1
    assert not [sql for sql in statements if "dashboards_office" in sql], "no summary read or written"
    assert not OfficeState.objects.filter(office=office_id).exists()  # not yet: the worker's pass
    assert refresh_summaries() == 1
    read, counted = both(songkhla.dps, fy, office_id)
    assert read == counted and read["open_cases"] == 1 and not StaleBucket.objects.exists()
    assert refresh_summaries() == 0  # nothing marked: nothing recomputed, the rows as they were
    assert both(songkhla.dps, fy, office_id)[0] == read

    with CaptureQueriesContext(connection) as queries:
        services.review_decide(inspection=inspection, by=songkhla.head, decision=RoundDecision.RETURN, comments="x")
    assert not [q for q in queries.captured_queries if "dashboards_" in q["sql"]]


@at(2026, 12, 2, 14, 5)
def test_the_dashboard_says_when_its_figures_were_last_brought_up_to_date(client, world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client.force_login(world.people.deputy)
    cache.delete(summary.SETTLED_KEY)
    try:
        refresh_summaries()  # the worker's pass at 14:05 Bangkok time
        html = client.get(reverse("dashboards:index")).content.decode()
        assert "2 ธันวาคม 2569 14:05" in html.split('data-testid="as-of"')[1][:200]
    finally:
        cache.delete(summary.SETTLED_KEY)


def test_rebuild_command_recomputes_what_was_written_around_the_services(world, checklist):
    now = timezone.now()
    for _ in range(3):  # written directly: no service, no hook
        case(world.songkhla, checklist, world.people.head, signed=now, closed=now, outcome="compliant")
    before, counted = both(world.people.deputy, world.fy, world.songkhla.pk)
    assert before != counted
    call_command("rebuild_dashboards", stdout=open("/dev/null", "w"))  # noqa: SIM115
    read, counted = both(world.people.deputy, world.fy, world.songkhla.pk)
    assert read == counted and read["closed"] == before["closed"] + 3


def test_trends_equal_the_months_counted_this_year_and_the_year_before(world, checklist):
    read = tracking.ministry_board(world.people.deputy, world.fy)
    for fy in (world.fy, world.fy - 1):
        expected = [0] * 12
        for office in (world.songkhla, world.neighbour, world.lopburi):
            for month, values in summary.month_counts(office.pk, fy).items():
                expected[month - 1] += values["signed_off"]
        assert read.trends.of("signed_off", fy) == expected
    assert sum(read.trends.of("signed_off", world.fy)) == read.total.signed_off == 8  # Songkhla 6, the others 1
    assert sum(read.trends.of("signed_off", world.fy - 1)) == 1


# The statements of each dashboard level: session, person, scope, notifications (the page's frame),
# then the offices, the summaries (months of both years, state with its open tasks by due instant,
# budget) and the year's disbursement target. The office page also lists its people, their work, its cases and
# projects: see test_queries_and_exports.BUDGETS.
@pytest.mark.parametrize("name", ["index", "cluster", "xlsx", "cluster_xlsx", "office", "office_xlsx"])
def test_each_dashboard_level_reads_at_most_10_statements(
    client, world, checklist, name, django_assert_max_num_queries
):
    client.force_login(world.people.deputy)
    args = [world.songkhla.parent_id] if name.startswith("cluster") else [world.songkhla.pk] if "office" in name else []
    url = reverse(f"dashboards:{name}", args=args)
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_trend_charts_link_to_the_list_behind_each_and_mark_the_month_under_way(client, world):
    client.force_login(world.people.deputy)
    office_url = reverse("dashboards:office", args=[world.songkhla.pk])
    for url, cases_link in [(reverse("dashboards:index"), reverse("inspection:archive")),
                            (office_url, f"{reverse('inspection:archive')}?office={world.songkhla.pk}")]:  # fmt: skip
        html = client.get(url).content.decode()
        assert 'data-testid="trends"' in html
        for key in ("signed_off", "orders_issued", "complaints"):
            assert f'data-testid="trend-{key}"' in html
        links = re.findall(r'<a href="([^"]*)" data-testid="trend-link"', html)
        assert links[0] == cases_link.replace("&", "&amp;") and links[2] == reverse("complaints:list")
        assert 'data-testid="trend-partial"' in html  # this fiscal year: the month under way drawn apart


def test_a_past_year_shows_its_twelve_months_and_a_future_one_none():
    from datetime import date

    from dashboards.trend_charts import months_shown

    today = date(2026, 12, 3)  # FY 2570, its third month
    assert (months_shown(2569, today), months_shown(2570, today), months_shown(2571, today)) == (12, 3, 0)


def test_budget_figures_equal_a_direct_count_after_approval_reports_and_the_behind_flag(client, songkhla):
    from tests.workflows.budget.conftest import approve_project, month_of, register
    from workflows.budget import behind
    from workflows.budget import services as budget_services

    office_id, fy = songkhla.unit.pk, tracking.fiscal_year(timezone.localdate())

    def check():
        refresh_summaries()
        read, counted = both(songkhla.dps, fy, office_id)
        assert read == counted
        return read

    project = approve_project(client, songkhla, register(songkhla, fy_be=fy))
    assert check()["projects"] == 1
    report = budget_services.report_open(project=project, month=month_of(fy, 1))
    budget_services.report_submit(report=report, by=songkhla.inspector, progress_pct="17", disbursed="200000")
    budget_services.report_review(report=report, by=songkhla.officer, approve=True)
    assert check()["disbursed"] == 200000
    behind.flag_project(project=project, on=month_of(fy, 6))
    check()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two workers at once need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_recompute_each_marked_office_once_and_leave_no_mark():
    import threading

    from django.db import connections

    from org.models import Unit

    offices = [Unit.objects.create(code=f"W{n}", kind="group", name_th=f"หน่วย {n}") for n in range(6)]  # no province
    fy = tracking.fiscal_year(timezone.localdate())
    summary.mark({(office.pk, fy, False, None) for office in offices} | {(offices[0].pk, fy - 1, False, None)})
    barrier, done, errors = threading.Barrier(2), [], []

    def worker():
        try:
            barrier.wait()
            done.append(refresh_summaries())
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(done) == len(offices)  # each office's marks taken by one worker
    assert not StaleBucket.objects.exists()
    assert OfficeState.objects.filter(office__in=offices).count() == len(offices)


def test_officers_tasks_follow_a_task_given_back_to_the_queue_and_taken(client, songkhla, checklist, factory):
    """A task that changes hands without a task being created (given back, taken from the queue) marks
    its office in its transaction: after the worker's pass each officer's open tasks equal a direct count."""
    office_id = songkhla.unit.pk
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    refresh_summaries()
    task = open_task(inspection, "inspect")
    held = summary.owner_tasks(OfficeState.objects.get(office=office_id).task_dues, timezone.now())
    assert held[songkhla.inspector.pk][0] == 1 and songkhla.inspector2.pk not in held

    client.force_login(songkhla.inspector)
    response = client.post(reverse("inspection:flow:inspect:unassign", args=[task.process_id, task.pk]))
    assert response.status_code == 302, response.content.decode()[:500]
    assert StaleBucket.objects.filter(office_id=office_id, tasks=True).exists()
    refresh_summaries()
    assert owners_equal_a_direct_count(office_id)
    assert songkhla.inspector.pk not in summary.owner_tasks(OfficeState.objects.get(office=office_id).task_dues,
                                                              timezone.now())  # fmt: skip

    client.force_login(songkhla.inspector2)
    response = client.post(reverse("inspection:flow:inspect:assign", args=[task.process_id, task.pk]))
    assert response.status_code == 302, response.content.decode()[:500]
    refresh_summaries()
    assert owners_equal_a_direct_count(office_id)
    held = summary.owner_tasks(OfficeState.objects.get(office=office_id).task_dues, timezone.now())
    assert held[songkhla.inspector2.pk][0] == 1
