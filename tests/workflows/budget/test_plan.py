"""Plan-vs-result arithmetic at month, quarter and fiscal-year edges (the fiscal year starts in October)."""

from datetime import date
from decimal import Decimal as D

from django.utils import translation

from workflows.budget import plan

FY = 2567  # 1 Oct 2023 – 30 Sep 2024
OCT, NOV, DEC, JAN, MAR = date(2023, 10, 1), date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 3, 1)
TARGETS = (D("30"), D("54"), D("77"), D("100"))


def judge(
    on, *, disbursed=None, progress=None, planned=None, planned_progress=None, targets=TARGETS, threshold=D("10")
):
    return plan.behind_plan(
        fy_be=FY, allocation=D("1200000"),
        planned_disbursement=planned or {m: D("100000") for m in plan.fiscal_months(FY)},
        planned_progress=planned_progress or {}, disbursed=disbursed or {}, progress=progress or {}, on=on,
        threshold=threshold, quarter_targets=targets,
    )  # fmt: skip


def test_fiscal_months_run_october_to_september():
    months = plan.fiscal_months(FY)
    assert months[0] == OCT and months[-1] == date(2024, 9, 1) and len(months) == 12
    assert plan.quarter_months(FY, 2) == [JAN, date(2024, 2, 1), MAR]


def test_add_months_crosses_the_calendar_year():
    assert plan.add_months(date(2023, 12, 1), 1) == JAN
    assert plan.add_months(JAN, -1) == DEC


def test_last_ended_month_and_ended_quarters_at_edges():
    assert plan.last_ended_month(date(2024, 1, 1)) == DEC
    assert plan.last_ended_month(date(2023, 12, 31)) == NOV
    assert plan.ended_quarters(FY, date(2023, 12, 31)) == []  # Q1 ends with the last day of December
    assert plan.ended_quarters(FY, date(2024, 1, 1)) == [1]
    assert plan.ended_quarters(FY, date(2024, 10, 1)) == [1, 2, 3, 4]


def test_cumulative_counts_the_month_itself_and_nothing_after():
    by_month = {OCT: D("10"), NOV: D("20"), DEC: D("30")}
    assert plan.cumulative(by_month, date(2023, 11, 30)) == D("30")
    assert plan.cumulative(by_month, date(2023, 11, 1)) == D("30")
    assert plan.cumulative(by_month, date(2023, 10, 31)) == D("10")
    assert plan.running_totals(by_month, [OCT, NOV, DEC, JAN]) == [D("10"), D("30"), D("60"), D("60")]


def test_pct_rounds_half_up_and_survives_zero_allocation():
    assert plan.pct(D("1"), D("3")) == D("33.33")
    assert plan.pct(D("2"), D("3")) == D("66.67")
    assert plan.pct(D("5"), D("0")) == D("0")


def test_nothing_is_judged_before_the_first_month_ends():
    assert judge(date(2023, 10, 31)) == []


def test_on_plan_within_the_threshold_is_not_behind():
    # plan through November: 200,000 = 16.67 %; actual 90,000 = 7.5 %: 9.17 points, not more than 10
    reasons = judge(date(2023, 12, 1), disbursed={OCT: D("40000"), NOV: D("50000")})
    assert reasons == []


def test_trailing_the_plan_by_more_than_the_threshold_is_behind():
    reasons = judge(date(2023, 12, 1), disbursed={OCT: D("40000"), NOV: D("30000")})
    assert [r.kind for r in reasons] == ["disbursement"]
    assert reasons[0].planned == D("16.67") and reasons[0].actual == D("5.83") and reasons[0].month == NOV


def test_physical_progress_is_judged_on_the_latest_stated_figure():
    reasons = judge(
        date(2023, 12, 15), disbursed={OCT: D("100000"), NOV: D("100000")},
        planned_progress={OCT: D("10"), NOV: D("25")}, progress={OCT: D("12")},
    )  # fmt: skip
    assert [(r.kind, r.planned, r.actual) for r in reasons] == [("progress", D("25"), D("12"))]


def test_quarter_target_missed_at_quarter_end():
    # Q1 target 30 %: 360,000 by the end of December; 350,000 is on plan month by month (> 10 pts not lost)
    disbursed = {OCT: D("100000"), NOV: D("100000"), DEC: D("150000")}
    assert judge(date(2023, 12, 31), disbursed=disbursed) == []  # Q1 not over yet
    reasons = judge(date(2024, 1, 1), disbursed=disbursed)
    assert [(r.kind, r.planned, r.actual, r.month) for r in reasons] == [("quarter", D("30"), D("29.17"), DEC)]


def test_quarter_target_met_exactly_is_not_behind():
    disbursed = {OCT: D("120000"), NOV: D("120000"), DEC: D("120000")}
    assert judge(date(2024, 1, 1), disbursed=disbursed) == []


def test_an_earlier_quarter_made_up_later_no_longer_counts():
    disbursed = {OCT: D("100000"), NOV: D("100000"), DEC: D("100000"), JAN: D("150000"), date(2024, 2, 1): D("150000"),
                 MAR: D("100000")}  # fmt: skip
    # Q1 25 % < 30 %, but Q2 650,000 = 54.17 % >= 54 %
    assert judge(date(2024, 4, 1), disbursed=disbursed) == []


def test_after_the_fiscal_year_the_last_month_is_september():
    disbursed = {m: D("100000") for m in plan.fiscal_months(FY)[:11]}
    reasons = judge(date(2025, 2, 1), disbursed=disbursed)
    assert [r.kind for r in reasons] == ["quarter"]  # 91.67 % < 100 % at Q4; 8.33 points is within the threshold
    assert reasons[0].month == date(2024, 9, 1)


def test_without_targets_only_the_monthly_plan_counts():
    disbursed = {OCT: D("100000"), NOV: D("100000"), DEC: D("150000")}
    assert judge(date(2024, 1, 1), disbursed=disbursed, targets=None) == []


def test_reasons_read_in_buddhist_era():
    reasons = judge(date(2023, 12, 1), disbursed={OCT: D("40000"), NOV: D("30000")})
    assert "11/2566" in str(reasons[0])
    quarter = judge(date(2024, 1, 1), disbursed={OCT: D("100000"), NOV: D("100000"), DEC: D("150000")})
    with translation.override("en"):
        assert "2567" in str(quarter[0]) and "Q1" in str(quarter[0])
