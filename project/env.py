"""Reading settings from the environment: one place, typed, failing loudly on a bad value."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
PREPARE_THRESHOLD = 5  # psycopg's own default (Django turns it off unless told)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of true/false/1/0/yes/no.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} is below its minimum, {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_header(name: str) -> tuple[str, str] | None:
    """A request header and the value that means "this request came over HTTPS", e.g.
    PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https" (Django's SECURE_PROXY_SSL_HEADER); unset: None."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != 2 or not all(parts) or not parts[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be the header as Django names it and its HTTPS value: HTTP_X_FORWARDED_PROTO,https."
        )
    return parts[0], parts[1]


def env_database(name: str, default: str) -> dict:
    import dj_database_url

    url = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:  # dj-database-url raises several kinds
        raise ImproperlyConfigured(f"{name}={url!r} is not a database URL: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        # WAL + IMMEDIATE: concurrent submits wait instead of failing with "database is locked".
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine.endswith("postgresql"):
        # A connection kept between requests is tested before reuse: after a database restart the
        # first request reconnects instead of answering 500 on the stale connection.
        config["CONN_HEALTH_CHECKS"] = True
        # lock_timeout: a flow lock (SELECT ... FOR UPDATE) waits at most 10 s, then the user is told to retry.
        # jit=off: measured under load (issue 14), JIT spent 0.55-2.2 s compiling the dashboards' and
        # /api/tasks/' large queries, which run in 24 ms and 0.7 ms without it (p50 3.4 s -> 34 ms).
        # random_page_cost=1.1 (the default 4 prices a page read as a disk seek): the tables a request reads sit
        # in memory or on SSD. At 1,000,000 cases PostgreSQL otherwise hash-joins an office's 7,605 open cases
        # with all 1,000,000 inspection processes instead of probing their index; three paired runs of
        # bench/run.py --only inbox,visibility,completion,dashboards (3 Dec 2026): office page 327/373/288 ->
        # 283/298/267 ms, briefing 0.65/0.62/0.53 -> 0.56/0.55/0.54 s, inbox 74/59/68 -> 72/55/54 ms.
        # Web requests also get a statement_timeout (project.db), workers and commands none.
        config.setdefault("OPTIONS", {})["options"] = "-c lock_timeout=10000 -c jit=off -c random_page_cost=1.1"
        # Server-side binding and prepared statements: a statement the connection has run PREPARE_THRESHOLD
        # times is prepared, and PostgreSQL then reuses its plan instead of planning it anew. The hot
        # statements are planned for longer than they run: the case read with its office, inspector, last
        # review round and audit head (four joins and subqueries) took 0.47 ms planned each time and 0.15 ms
        # prepared, 2,000 runs each (4 Dec 2026, PostgreSQL 15, 200,000 cases); a whole inspection chain 55 -> 46 ms
        # (measured once, profiling the bench chain). DB_PREPARED_STATEMENTS=off behind a connection pooler in
        # transaction mode that does not carry prepared statements (PgBouncer before 1.21).
        if env_bool("DB_PREPARED_STATEMENTS", True):
            config["OPTIONS"].update(server_side_binding=True, prepare_threshold=PREPARE_THRESHOLD)
    else:
        raise ImproperlyConfigured(f"{name}: only SQLite and PostgreSQL are supported, got {engine!r}.")
    return config
