"""The figures of issue 5, in report order, each with its unit and the goal it is held to."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    name: str
    unit: str
    what: str
    goal: str = ""
    met: Callable[[dict], bool] | None = None
    actual: Callable[[dict], str] | None = None  # the compared quantity, when it is not the figure


KEYS = (
    Key("inbox_ms", "ms", "our inbox page, big inbox", "≥ 50× faster than stock (issue 20, at 50,000 tasks)",
        lambda r: r["stock_inbox_ms"] / r["inbox_ms"] >= 50, lambda r: f"{r['stock_inbox_ms'] / r['inbox_ms']:.1f}×"),
    Key("stock_inbox_ms", "ms", "stock Viewflow inbox, same number of tasks"),
    Key("inbox_kb", "kB", "our inbox page size", "≤ 100 kB", lambda r: r["inbox_kb"] <= 100),
    Key("stock_inbox_kb", "kB", "stock inbox page size"),
    Key("inbox_queries", "statements", "our inbox, big inbox", "same as with 10× fewer rows",
        lambda r: r["inbox_queries"] == r["inbox_queries_10x"]),
    Key("inbox_queries_10x", "statements", "our inbox, 10× fewer rows"),
    Key("inbox_ms_5k", "ms", "our inbox page, 10× fewer rows (5,000 at --inbox 50000)"),
    Key("inbox_growth", "×", "inbox_ms at --inbox over inbox_ms_5k, timed in turn", "≤ 1.2 (issue 20)",
        lambda r: r["inbox_growth"] <= 1.2),
    Key("complete_task_queries", "statements", "one task completion, ours", "≤ 10 (issue 20)",
        lambda r: r["complete_task_queries"] <= 10),
    Key("stock_complete_task_queries", "statements", "one task completion, stock (VIEWFLOW.md: 15)"),
    Key("complete_task_ms", "ms", "one task completion, ours"),
    Key("chain_per_s", "chains/s", "whole chains from code, ours", "≥ stock (issue 14)",
        lambda r: r["chain_per_s"] >= r["stock_chain_per_s"],
        lambda r: f"{r['chain_per_s'] / r['stock_chain_per_s']:.2f}×"),
    Key("stock_chain_per_s", "chains/s", "whole chains from code, stock"),
    Key("chain_queries", "statements", "one whole chain, ours (e-mails left to the worker)"),
    Key("stock_chain_queries", "statements", "one whole chain, stock"),
    Key("visible_cases_ms", "ms", "cases the deputy PS may see, counted", "≤ 10 ms (issue 20)",
        lambda r: r["visible_cases_ms"] <= 10),
    Key("visible_cases_inspector_ms", "ms", "cases an inspector may see, counted", "≤ 50 ms",
        lambda r: r["visible_cases_inspector_ms"] <= 50),
    Key("pdf_report_s", "s", "one inspection report PDF as its view serves it (signed off: the file as issued)",
        "≤ 0.15 s (issue 20)", lambda r: r["pdf_report_s"] <= 0.15),
    Key("pdf_render_s", "s", "rendering that report (the worker, once at issue; a draft, every request)"),
    Key("pdf_sign_s", "s", "signing it (PAdES B-B, the signer's key)"),
    Key("pdf_batch_1w_s", "s", "a batch of signed reports (BENCH_PDF_BATCH, 1,000) by one Celery worker"),
    Key("pdf_batch_2w_s", "s", "the same batch by two Celery workers"),
    Key("dashboard_ms", "ms", "ministry dashboard, deputy PS, last fiscal year", "≤ 150 ms (issue 19)",
        lambda r: r["dashboard_ms"] <= 150),
    Key("dashboard_queries", "statements", "ministry dashboard, deputy PS", "≤ 10 (issue 19)",
        lambda r: r["dashboard_queries"] <= 10),
    Key("office_dashboard_ms", "ms", "office dashboard, the busiest office the deputy PS sees", "≤ 150 ms (issue 19)",
        lambda r: r["office_dashboard_ms"] <= 150),
    Key("briefing_pdf_s", "s", "that office's visit briefing PDF"),
    Key("field_first_kb", "kB", "the inspect (checklist) page on slow 3G, first visit, on the wire",
        "≤ 300 kB (issue 16)", lambda r: r["field_first_kb"] <= 300),
    Key("field_first_ms", "ms", "that page's time to interactive, first visit (slow 3G, CPU 4×)"),
    Key("field_cached_ms", "ms", "that page's time to interactive from the service worker's cache",
        "≤ 1,500 ms (issue 16)", lambda r: r["field_cached_ms"] <= 1500),
)  # fmt: skip
