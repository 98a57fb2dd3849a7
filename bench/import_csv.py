"""Benchmark: CSV import of N factories (default 10,000) into a fresh file database.

    .venv/bin/python bench/import_csv.py [--rows 10000] [--database-url sqlite:///bench/import.sqlite3]

Prints the seconds for checking + saving every row through registry.imports.run_import, the same
path as the upload screen (progress saved every 500 rows, one transaction for the rows)."""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / 'bench' / 'import.sqlite3'}")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite:///"):
        Path(args.database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / ".media"))

    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from org.geo import load_geography
    from org.models import Person
    from org.services import build_org_tree
    from registry.demo import demo_rows
    from registry.imports import COLUMNS, run_import
    from registry.models import Factory, FactoryImport

    call_command("migrate", verbosity=0)
    if Factory.objects.exists():
        Factory.objects.all().delete()
    load_geography()
    build_org_tree()
    admin, _ = Person.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(demo_rows(total=args.rows, seed=7))
    job = FactoryImport.objects.create(created_by=admin, original_name="bench.csv")
    job.file.save("bench.csv", ContentFile(out.getvalue().encode()), save=True)
    started = time.perf_counter()
    job = run_import(job)
    elapsed = time.perf_counter() - started
    print(f"import_rows={args.rows} status={job.status} created={job.created_count} seconds={elapsed:.2f}")
    if job.errors:
        print("first errors:", job.errors[:3])


if __name__ == "__main__":
    main()
