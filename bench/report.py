"""bench/results.json (figures for machines) and bench/RESULTS.md (the same for people)."""

import json
import os
import platform
from importlib.metadata import version
from pathlib import Path

from django.db import connection

from .goals import KEYS
from .timing import Figure

HERE = Path(__file__).resolve().parent


def _proc(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        db_version = cursor.fetchone()[0]
    mem_kb = _proc("/proc/meminfo", "MemTotal").split()[0]
    return {
        "cpu": _proc("/proc/cpuinfo", "model name"),
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem_kb) / 2**20, 1) if mem_kb.isdigit() else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": version("django"),
        "viewflow": version("django-viewflow"),
        "database": f"{connection.vendor} {db_version}",
        "load_average": round(os.getloadavg()[0], 2),
    }


def _plain(value):
    return value.median if isinstance(value, Figure) else value


def write(figures: dict, evidence: dict, context: dict) -> dict:
    from .load.report import kept_results, kept_section

    load, load_section = kept_results(), kept_section()  # make bench-load's figures are not ours to drop
    values = {name: _plain(value) for name, value in figures.items()}
    goals = {
        k.name: {"goal": k.goal, "met": k.met(values), **({"actual": k.actual(values)} if k.actual else {})}
        for k in KEYS
        if k.met
    }
    goals.update(load.pop("goals", {}))
    values.update(load)
    spread = {
        name: {"min": v.low, "max": v.high, "reps": v.reps} for name, v in figures.items() if isinstance(v, Figure)
    }
    engines = side_by_side(values, context)
    results = {**values, "spread": spread, "goals": goals, **context, "engines": engines, "evidence": evidence}
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    (HERE / "RESULTS.md").write_text(markdown(figures, goals, evidence, context, load_section, engines))
    return results


ENGINES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def side_by_side(values: dict, context: dict) -> dict:
    """This run's figures under its engine, beside the other engine's from the last run at the same
    sizes (kept from bench/results.json; a run at other sizes is dropped, not compared)."""
    previous = json.loads((HERE / "results.json").read_text()) if (HERE / "results.json").exists() else {}
    engines = {name: run for name, run in previous.get("engines", {}).items() if run.get("sizes") == context["sizes"]}
    engines[connection.vendor] = {
        "date": context["date"],
        "database": context["database"],
        "sizes": context["sizes"],
        "load_average": [context["machine"]["load_average"], context["machine"]["load_average_after"]],
        "figures": {key.name: values[key.name] for key in KEYS if key.name in values},
    }
    return engines


def _engines_table(engines: dict) -> list[str]:
    names = [name for name in ENGINES if name in engines]
    lines = [
        "## Both engines, same sizes",
        "",
        "Each column is the last `make bench` on that engine at these sizes (bench/results.json `engines`).",
        "",
        "| figure | " + " | ".join(ENGINES[name] for name in names) + " |",
        "| --- |" + " ---: |" * len(names),
        "| run | " + " | ".join(engines[name]["date"] for name in names) + " |",
        "| load average before / after | "
        + " | ".join(" / ".join(f"{v:g}" for v in engines[name]["load_average"]) for name in names)
        + " |",
    ]
    for key in KEYS:
        cells = [engines[name]["figures"].get(key.name) for name in names]
        lines.append(
            f"| `{key.name}` ({key.unit}) | " + " | ".join("–" if c is None else f"{c:g}" for c in cells) + " |"
        )
    return lines


def _figure_cells(value) -> tuple[str, str]:
    if isinstance(value, Figure):
        return f"{value.median:g}", f"{value.low:g} – {value.high:g} ({value.reps} reps)"
    return f"{value:g}", "exact"


def markdown(
    figures: dict, goals: dict, evidence: dict, context: dict, load_section: str = "", engines: dict | None = None
) -> str:
    m, gen = context["machine"], context.get("generation") or {}
    lines = [
        "# Benchmark results (issue 5)",
        "",
        f"Written by `make bench` (bench/run.py) on {context['date']} in {context['seconds']:.0f} s. "
        "Median of the repetitions after one warm-up; spread is min – max.",
        "",
        "Reproduce: `make bench` (the small default: generates bench/bench.sqlite3 when it does not hold the sizes); "
        "`make bench FACTORIES=150000 CASES=1000000 INBOX=50000` for other sizes; "
        "`DATABASE_URL=postgres://… make bench` for PostgreSQL (an empty or benchmark database).",
        "",
        "## Machine and data",
        "",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; {m['os']}; load average "
        f"(1 min) {m['load_average']} before and {m['load_average_after']} after the benchmarks",
        f"- **Software:** Python {m['python']}, Django {m['django']}, django-viewflow {m['viewflow']}; "
        f"database {context['database']} ({m['database']})",
        f"- **Sizes:** {context['sizes']['factories']:,} factories, {context['sizes']['cases']:,} inspection cases, "
        f"{context['sizes']['inbox']:,} tasks in the big inbox (and in the stock inbox)",
        "- **Rows:** " + ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in context["rows"].items()),
    ]
    if gen:
        steps = "; ".join(f"{name} {sec:g} s" for name, sec in gen["steps"].items())
        lines.append(
            f"- **Generation** (bench/generate.py): {gen['seconds']:g} s, {gen['cases_per_s']:,} cases/s ({steps})"
        )
    lines += [
        "",
        "## Figures",
        "",
        "| figure | what | median | spread | goal | met |",
        "| --- | --- | ---: | --- | --- | --- |",
    ]
    for key in KEYS:
        if key.name not in figures:  # a measure that could not run here (pdf_batch without a broker) says why
            lines.append(f"| `{key.name}` | {key.what} | – | not measured (see the evidence) | {key.goal} | |")
            continue
        median, spread = _figure_cells(figures[key.name])
        goal = goals.get(key.name, {})
        mark = "" if not goal else ("yes" if goal["met"] else "**no**")
        mark += f" ({goal['actual']})" if "actual" in goal else ""
        lines.append(f"| `{key.name}` | {key.what} | {median} {key.unit} | {spread} | {key.goal} | {mark} |")
    if engines:
        lines += ["", *_engines_table(engines)]
    if load_section:
        lines += ["", load_section.rstrip("\n")]
    lines += ["", "## Evidence (profiled in the same run)", ""]
    for name, value in evidence.items():
        if isinstance(value, list):
            lines.append(f"- {name}:")
            lines += [f"  {n}. `{item}`" for n, item in enumerate(value, start=1)]
        elif isinstance(value, dict):
            lines.append(f"- {name}: " + "; ".join(f"{key} {item}" for key, item in value.items()))
        elif isinstance(value, int | float):
            lines.append(f"- {name}: {value:,}")
        else:
            lines.append(f"- {name}: {value}")
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"
