"""What a process keeps of the shared cache's answers for a few seconds, in its own memory.

The answers kept so (who fills a role, a node's service level, a year's closure days) are read at every
task created, and change when the organisation or an administrator changes them, rarely. With Redis as
the cache each read is a round trip (about 0.1 ms, more under load): a chain of five steps made 46 of
them. Kept here they cost none for `SECONDS`; a change is seen at once by the process that made it
(`forget`, called where it is saved) and by the others within `SECONDS` (before, a process without the
shared cache kept its own answers for a minute). While the cache is down the process's copy still serves."""

import copy
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

SECONDS = 5.0
MAX_KEPT = 10_000  # more keys than this (days go by, people come and go): all forgotten, read again

_kept: dict[str, tuple[float, Any]] = {}


def kept(key: str, read: Callable[[], Any], seconds: float = SECONDS) -> Any:
    """`read()` (the shared cache's answer, computed and stored there when missing), kept in this
    process for `seconds` under `key`. Each caller gets its own copy, as from the shared cache: a request
    may change what it is given (a person's access scope is kept on the object), not what the next is given."""
    now = time.monotonic()
    found = _kept.get(key)
    if found is None or found[0] <= now:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        found = _kept[key] = (now + seconds, read())
    return copy.copy(found[1])


def cached(key: str, compute: Callable[[], Any], timeout: float | None) -> Any:
    """`compute()`'s answer (not None) through the shared cache, stored there for `timeout` seconds (None:
    until forgotten), and kept by this process for SECONDS."""

    def shared():
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout)
        return value

    return kept(key, shared)


def forget(key: str) -> None:
    """The answer under `key` changed: not kept by this process any more, and gone from the shared cache,
    so that the other processes read it anew within SECONDS."""
    _kept.pop(key, None)
    cache.delete(key)


def forget_kept(prefix: str) -> None:
    """This process's copies of every answer whose key starts with `prefix` (the shared cache's answers
    made stale otherwise: workflows.roles's generation)."""
    for name in [name for name in _kept if name.startswith(prefix)]:
        _kept.pop(name, None)


def forget_all() -> None:
    """This process keeps nothing (a test's rows are gone with it)."""
    _kept.clear()
