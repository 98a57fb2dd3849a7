"""Start Django for a benchmark script: bench.settings on the chosen database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"


def database_url(given: str | None) -> str:
    return given or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE


def sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def database_label(url: str) -> str:
    """The database named without its password, for reports."""
    path = sqlite_path(url)
    if path is not None:
        return f"SQLite {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}"


def create_database(url: str) -> None:
    """A PostgreSQL database named in `url` is created when it does not exist yet (as SQLite makes its
    file), from the server's maintenance database `postgres`; nothing else on the server is touched."""
    if sqlite_path(url) is not None:
        return
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created the database {name}", flush=True)


def setup(url: str) -> None:
    create_database(url)
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
