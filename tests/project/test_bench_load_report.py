"""make bench-load's figures: read from locust's CSV, merged into bench/results.json without dropping a
key that is there, its RESULTS.md section replaced in place, and kept by `make bench` (bench/report.py)
when that rewrites both files."""

import json

import pytest

from bench import report as bench_report
from bench.load import plan, report

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,"
    "99.99%,100%"
)


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS_JSON", tmp_path / "results.json")
    monkeypatch.setattr(report, "RESULTS_MD", tmp_path / "RESULTS.md")
    prefix = tmp_path / "locust"
    (tmp_path / "locust_stats.csv").write_text(
        f"{HEADER}\n"
        "GET,inbox,300,0,40,55,10,900,1000,10.0,0,40,50,60,70,90,120,200,300,900,900,900\n"
        "POST,complete [review],20,1,80,90,30,1400,0,0.7,0,80,90,95,100,150,400,900,1400,1400,1400,1400\n"
        ",Aggregated,320,1,41,57,10,1400,900,10.7,0,41,52,61,72,95,130,210,310,1400,1400,1400\n"
    )
    (tmp_path / "locust_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nPOST,complete [review],\"CatchResponseError('200 ')\",1\n"
    )
    return tmp_path, prefix


def load_of(prefix) -> dict:
    return {
        "date": "2026-12-02T19:00:00+07:00", "command": "make bench-load", "database": "PostgreSQL x",
        "sizes": {"factories": 3000, "cases": 20000, "inbox": 2000}, "machine": "2 cores",
        "run": {"users": 50, "spawn_rate": 5, "wait": [1, 3], "seconds": 300, "gunicorn_workers": 5,
                "locust": "2.47.0"},
        "server_5xx": 0, "completions_answered": {"review": 19}, "completions_logged": {"review": 19},
        "completions_recorded": {"review": 19}, "stats": report.read_stats(prefix), "cores": 2,
        "cpu_seconds": {"gunicorn_workers": 9.6, "locust": 2.0, "gunicorn_ms_per_request": 30.0},
    }  # fmt: skip


def test_figures_come_from_the_aggregated_row(files):
    _tmp, prefix = files
    stats = report.read_stats(prefix)
    assert stats["total"] == {
        "requests": 320, "errors": 1, "p50_ms": 41.0, "p95_ms": 130.0, "p99_ms": 310.0, "max_ms": 1400, "rps": 10.7
    }  # fmt: skip
    assert stats["by_request"]["POST complete [review]"]["errors"] == 1
    assert stats["failures"] == ["POST complete [review]: CatchResponseError('200 ') (1×)"]


def test_write_merges_and_replaces_its_section(files):
    tmp, prefix = files
    (tmp / "results.json").write_text(json.dumps({"inbox_ms": 34.9, "goals": {"inbox_ms": {"met": True}}}))
    (tmp / "RESULTS.md").write_text("# Results\n\n## Figures\n\nrows\n\n## Evidence (profiled)\n\n- x\n")
    report.write(load_of(prefix))
    report.write(load_of(prefix))  # a second run replaces the section, it does not add one

    results = json.loads((tmp / "results.json").read_text())
    assert results["inbox_ms"] == 34.9 and results["goals"]["inbox_ms"] == {"met": True}
    assert (results["load_rps"], results["load_p50_ms"], results["load_p95_ms"], results["load_errors"]) == (
        10.7, 41.0, 130.0, 1,
    )  # fmt: skip
    assert results["goals"]["load_p95_ms"]["met"] is True and results["goals"]["load_errors"]["met"] is False
    text = (tmp / "RESULTS.md").read_text()
    assert text.count(report.BEGIN) == 1 and text.index(report.BEGIN) < text.index("## Evidence")
    assert "| POST complete [review] | 20 | 1 | 80 | 400 | 1,400 |" in text


def test_make_bench_keeps_the_load_figures(files, monkeypatch):
    tmp, prefix = files
    report.write(load_of(prefix))
    monkeypatch.setattr(bench_report, "HERE", tmp)
    monkeypatch.setattr(bench_report, "KEYS", [])
    context = {
        "date": "d", "seconds": 1, "database": "db", "sizes": {"factories": 1, "cases": 1, "inbox": 1}, "rows": {},
        "machine": {"cpu": "c", "cores": 2, "ram_gb": 1, "os": "o", "load_average": 0, "load_average_after": 0,
                    "python": "3", "django": "5", "viewflow": "2", "database": "pg"},
    }  # fmt: skip
    bench_report.write({}, {}, context)

    results = json.loads((tmp / "results.json").read_text())
    assert results["load_p95_ms"] == 130.0 and results["goals"]["load_errors"]["met"] is False
    assert results["load"]["run"]["users"] == 50
    assert report.BEGIN in (tmp / "RESULTS.md").read_text()


@pytest.mark.parametrize("users", [1, 10, 50, 73])
def test_every_user_gets_a_role(users):
    counts = plan.counts_for(users)
    assert sum(counts.values()) == users and set(counts) == set(plan.ROLES)
    if users == 50:
        assert counts == {"heads": 12, "officers": 8, "inspectors": 12, "executives": 6, "api": 12}
