"""Run every benchmark against the generated database and write bench/results.json and
bench/RESULTS.md (`make bench`). Generates the database first when it is missing or holds other
sizes than asked for:

    .venv/bin/python bench/run.py [--factories 3000] [--cases 20000] [--inbox 2000] [--database-url URL]
                                  [--chains 10] [--only chains,completion]

`--only` runs the named measures (inbox, inbox_growth, completion, chains, visibility, pdf, signing, pdf_batch,
field) and prints their figures and evidence without writing results.json or RESULTS.md (a partial run is no result)."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import boot, generate  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    generate.add_size_arguments(parser)
    parser.add_argument("--chains", type=int, default=10, help="chains per repetition")
    parser.add_argument("--only", default="", help="comma-separated measures; nothing written")
    return parser.parse_args(argv)


def prepare(url: str, sizes: dict) -> dict:
    """Set Django up on a database holding `sizes`, generating it first when it does not."""
    boot.setup(url)
    from django.core.management import call_command

    from bench.seed import ledger
    from bench.seed.build import SUMMARIES_STEP, rebuild_summaries

    record = ledger.record_of()
    if not record or record["sizes"] != sizes:
        return generate.generate(url, sizes)
    call_command("migrate", verbosity=0)  # the code may have moved on since the database was generated
    if SUMMARIES_STEP not in record["steps"]:  # generated before the dashboards had summary tables
        began = time.perf_counter()
        rebuild_summaries()
        record = {**record, "steps": {**record["steps"], SUMMARIES_STEP: round(time.perf_counter() - began, 1)}}
        ledger.remember(record)
        print(f"  {SUMMARIES_STEP}: {record['steps'][SUMMARIES_STEP]:g} s", flush=True)
    return record


def main(argv=None) -> None:
    args = parse_args(argv)
    url, sizes = boot.database_url(args.database_url), generate.sizes_of(args)
    generation = prepare(url, sizes)
    started = time.perf_counter()

    from django.urls import get_resolver
    from django.utils import timezone

    from bench import measures, report
    from bench.measures import (
        chains,
        completion,
        dashboards,
        field,
        inbox,
        inbox_growth,
        pdf,
        pdf_batch,
        signing,
        visibility,
    )
    from bench.seed.build import row_counts

    get_resolver().check()  # loads the root URLconf: flow_task.reverse() needs it (VIEWFLOW.md trap 9)
    cast = measures.cast()
    machine = report.machine()
    figures, evidence = {}, {}
    subjects = {
        "inbox": ("inbox pages", inbox.measure),
        "inbox_growth": ("inbox growth", inbox_growth.measure),
        "completion": ("task completion", completion.measure),
        "chains": ("chains", lambda c: chains.measure(c, args.chains)),
        "visibility": ("visible cases", visibility.measure),
        "pdf": ("report PDF", pdf.measure),
        "dashboards": ("dashboards", dashboards.measure),
        "signing": ("report PDF signature", signing.measure),
        "pdf_batch": ("signed reports by Celery workers", pdf_batch.measure),
        "field": ("checklist page on a slow phone", field.measure),
    }
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - subjects.keys()
    if unknown:
        raise SystemExit(f"Unknown measures {sorted(unknown)}; known: {', '.join(subjects)}")
    for label, measure in (subjects[name] for name in only or subjects):
        began = time.perf_counter()
        found, seen = measure(cast)
        figures.update(found)
        evidence.update(seen)
        medians = ", ".join(f"{name} {getattr(value, 'median', value)}" for name, value in found.items())
        print(f"  {label} ({time.perf_counter() - began:.0f} s): {medians}", flush=True)
    if only:
        print(json.dumps(evidence, ensure_ascii=False, indent=1, default=str))
        return
    context = {
        "date": timezone.localtime().isoformat(timespec="seconds"),
        "seconds": time.perf_counter() - started,
        "database": boot.database_label(url),
        "machine": {**machine, "load_average_after": round(os.getloadavg()[0], 2)},
        "sizes": sizes,
        "rows": row_counts(),
        "generation": generation,
    }
    report.write(figures, evidence, context)
    print(f"Benchmarks took {context['seconds']:.0f} s; wrote bench/results.json and bench/RESULTS.md")


if __name__ == "__main__":
    main()
