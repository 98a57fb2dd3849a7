"""The shared cache (Redis) without making Redis a single point of failure.

Everything Kamkap keeps in the cache can be computed again from the database (who fills a role,
SLA days, throttle counters, avatars). So when Redis cannot be reached, the cache answers as if it
held nothing — `get` gives the default, `set` keeps nothing — and every page is served from the
database, slower. One warning is logged per outage; while it lasts Redis is not asked again for
`RETRY_SECONDS` (so a dead host costs one connect timeout, not one per call), then tried again, and
the cache works as before as soon as it answers.

Settings: BACKEND "project.cache.ResilientRedisCache", LOCATION the Redis URL, OPTIONS as Django's
RedisCache's plus RETRY_SECONDS (default 5)."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until: float | None = None

    @property
    def is_down(self) -> bool:
        return self._down_until is not None and time.monotonic() < self._down_until

    def _call(self, method: str, fallback, *args, **kwargs):
        if self.is_down:
            return fallback
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE as error:
            if self._down_until is None:
                log.warning("cache unreachable (%s): answering from the database until it is back", error)
            self._down_until = time.monotonic() + self.retry_seconds
            return fallback
        if self._down_until is not None:
            log.warning("cache reachable again")
            self._down_until = None
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._call("incr", None, key, delta, version)
        if value is None:  # as for a missing key: the caller starts the count again
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
