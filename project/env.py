"""Reading settings from the environment: one place, typed, failing loudly on a bad value."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


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
        # A flow lock (SELECT ... FOR UPDATE) waits at most this long, then the user is told to retry.
        config.setdefault("OPTIONS", {})["options"] = "-c lock_timeout=10000"
    else:
        raise ImproperlyConfigured(f"{name}: only SQLite and PostgreSQL are supported, got {engine!r}.")
    return config
