"""Fill a benchmark database with ministry-scale data by bulk inserts (generate once, benchmark many
times with bench/run.py):

    .venv/bin/python bench/generate.py [--factories 3000] [--cases 20000] [--inbox 2000]
                                       [--database-url URL] [--force]

SQLite file bench/bench.sqlite3 unless --database-url or DATABASE_URL names another (PostgreSQL).
The large run: --factories 150000 --cases 1000000 --inbox 50000."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import boot  # noqa: E402

DEFAULTS = {"factories": 3000, "cases": 20_000, "inbox": 2000}


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL, else bench/bench.sqlite3")


def sizes_of(args) -> dict[str, int]:
    return {name: getattr(args, name) for name in DEFAULTS}


def generate(url: str, sizes: dict[str, int]) -> dict:
    """Empty the (set-up) database and generate into it; returns the generation's record."""
    from bench.seed import ledger
    from bench.seed.build import CASES_STEP, build, row_counts

    print(f"Generating {sizes} into {boot.database_label(url)}", flush=True)
    ledger.empty(url)
    timings: dict[str, float] = {}

    def step(label: str, func) -> None:
        began = time.perf_counter()
        func()
        timings[label] = round(time.perf_counter() - began, 1)
        print(f"  {label}: {timings[label]:g} s", flush=True)

    build(sizes, step)
    record = {
        "database": boot.database_label(url),
        "sizes": sizes,
        "seconds": round(sum(timings.values()), 1),
        "cases_per_s": round(sizes["cases"] / max(timings[CASES_STEP], 0.1)),
        "steps": timings,
        "rows": row_counts(),
    }
    ledger.remember(record)
    print(f"Generated in {record['seconds']:g} s ({record['cases_per_s']:,} cases/s); rows {record['rows']}")
    return record


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_size_arguments(parser)
    parser.add_argument("--force", action="store_true", help="generate again even when the sizes match")
    args = parser.parse_args(argv)
    url, sizes = boot.database_url(args.database_url), sizes_of(args)
    boot.setup(url)
    from bench.seed import ledger

    record = ledger.record_of()
    if record and record["sizes"] == sizes and not args.force:
        print(f"{record['database']} already holds {sizes}: nothing to do (--force to generate again).")
        return
    generate(url, sizes)


if __name__ == "__main__":
    main()
