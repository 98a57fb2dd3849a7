"""The load test's figures in bench/results.json (merged with what is there) and its section in
bench/RESULTS.md (between markers, so that `make bench`, which rewrites both files, carries them over:
bench/report.py asks `kept_results` and `kept_section`)."""

import csv
import json
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
RESULTS_JSON, RESULTS_MD = BENCH / "results.json", BENCH / "RESULTS.md"
KEYS = ("load_rps", "load_p50_ms", "load_p95_ms", "load_errors", "load")
GOALS = {"load_p95_ms": ("≤ 250 ms", lambda v: v <= 250), "load_errors": ("0", lambda v: v == 0)}
BEGIN, END = "<!-- bench-load -->", "<!-- /bench-load -->"
SECTION = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", re.S)


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def read_stats(prefix: Path) -> dict:
    """locust's --csv files: the aggregated row, one row per request name, the failures."""
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").open(encoding="utf-8")))
    named = [row for row in rows if row["Name"] != "Aggregated"]
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures_file = Path(f"{prefix}_failures.csv")
    failures = list(csv.DictReader(failures_file.open(encoding="utf-8"))) if failures_file.exists() else []

    def figures(row: dict) -> dict:
        return {
            "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"]), "p99_ms": _number(row["99%"]),
            "max_ms": round(_number(row["Max Response Time"])), "rps": round(_number(row["Requests/s"]), 2),
        }  # fmt: skip

    return {
        "total": figures(total),
        "by_request": {f"{row['Type']} {row['Name']}": figures(row) for row in named},
        "failures": [f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}×)" for row in failures],
    }


def kept_results() -> dict:
    """The load keys (and their goals) of bench/results.json, for `make bench` to keep."""
    if not RESULTS_JSON.exists():
        return {}
    previous = json.loads(RESULTS_JSON.read_text())
    kept = {key: previous[key] for key in KEYS if key in previous}
    goals = {key: goal for key, goal in previous.get("goals", {}).items() if key in GOALS}
    return {**kept, **({"goals": goals} if goals else {})}


def kept_section() -> str:
    """The load section of bench/RESULTS.md, markers included ("" when there is none)."""
    if not RESULTS_MD.exists():
        return ""
    found = SECTION.search(RESULTS_MD.read_text())
    return found.group(0) if found else ""


def write(load: dict) -> dict:
    """Merge the figures into bench/results.json and put the section into bench/RESULTS.md."""
    total = load["stats"]["total"]
    figures = {
        "load_rps": total["rps"], "load_p50_ms": total["p50_ms"], "load_p95_ms": total["p95_ms"],
        "load_errors": total["errors"],
    }  # fmt: skip
    results = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    results.update(figures)
    results["load"] = load
    goals = results.setdefault("goals", {})
    for key, (goal, met) in GOALS.items():
        goals[key] = {"goal": goal, "met": met(figures[key])}
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    section = markdown(figures, load)
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n"
    if SECTION.search(text):
        text = SECTION.sub(lambda _m: section, text)
    else:
        text = insert_section(text, section)
    RESULTS_MD.write_text(text)
    return figures


def insert_section(text: str, section: str) -> str:
    """Before the evidence (or the notes), else at the end."""
    for heading in ("## Evidence", "## What bounds"):
        at = text.find(f"\n{heading}")
        if at >= 0:
            return text[: at + 1] + section + "\n" + text[at + 1 :]
    return text.rstrip("\n") + "\n\n" + section


def markdown(figures: dict, load: dict) -> str:
    total, run, cpu = load["stats"]["total"], load["run"], load["cpu_seconds"]
    p95_met = "met" if figures["load_p95_ms"] <= 250 else "**not met**"
    errors_met = "met" if figures["load_errors"] == 0 else "**not met**"
    lines = [
        BEGIN,
        "## Load test (`make bench-load`, issue 14)",
        "",
        f"Written by bench/load/run.py on {load['date']}: `{load['command']}`. locust {run['locust']} headless on "
        f"loopback, {run['users']} users (spawned {run['spawn_rate']}/s, each waits {run['wait'][0]:g}–"
        f"{run['wait'][1]:g} s between requests) for {run['seconds']:g} s against gunicorn "
        f"({run['gunicorn_workers']} sync workers, project/gunicorn.py; each worker warmed first by unmeasured "
        f"login-page requests) on {load['database']} "
        f"({load['sizes']['factories']:,} factories, {load['sizes']['cases']:,} cases, a fresh copy of the "
        f"generated database). {load['machine']}",
        "",
        f"- **`load_rps`** {figures['load_rps']:g} requests/s; **`load_p50_ms`** {figures['load_p50_ms']:g} ms; "
        f"**`load_p95_ms`** {figures['load_p95_ms']:g} ms (goal ≤ 250 ms: {p95_met}); p99 {total['p99_ms']:g} ms, "
        f"max {total['max_ms']:,} ms; **`load_errors`** {figures['load_errors']} of {total['requests']:,} "
        f"requests (goal 0: {errors_met}); server 5xx in gunicorn's access log: {load['server_5xx']}.",
        f"- Task completions through the task pages, answered with the redirect as locust saw them: "
        f"{load['completions_answered']}; in gunicorn's access log: {load['completions_logged']}; recorded in "
        f"the database: {load['completions_recorded']}.",
        f"- CPU used: gunicorn's workers {cpu['gunicorn_workers']:g} s ({cpu['gunicorn_ms_per_request']:g} ms a "
        f"request), locust {cpu['locust']:g} s, in {run['seconds']:g} s on {load.get('cores', 2)} cores; PostgreSQL's "
        "share not counted.",
        "",
        "| request | count | errors | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in sorted(load["stats"]["by_request"].items(), key=lambda item: -item[1]["requests"]):
        lines.append(
            f"| {name} | {row['requests']:,} | {row['errors']} | {row['p50_ms']:g} | {row['p95_ms']:g} | "
            f"{row['max_ms']:,} |"
        )
    if load["stats"]["failures"]:
        lines += ["", "Errors: " + "; ".join(load["stats"]["failures"][:10])]
    lines += ["", 'What bounds it: bench/NOTES.md, "Load test".', END]
    return "\n".join(lines) + "\n"
