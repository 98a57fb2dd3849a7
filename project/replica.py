"""Dashboards and exports read from a streaming replica when REPLICA_DATABASE_URL is set.

The replica is the database alias "replica" (project.settings). A request whose path matches one of
REPLICA_READ_PATHS (the executives' dashboards and the spreadsheet exports: large read-only queries)
and that only reads (GET, HEAD) is answered with its reads routed to the replica; every write, every
other request, Celery and management commands use the primary. Reads of who is logged in and what they
may do with the session, the log-in lockouts, API tokens and object permissions stay on the primary
(`PRIMARY_ONLY_APPS`): a replica a moment behind must never log someone out or let a revoked token in.
A figure a few seconds old on a dashboard is acceptable; this is why only these pages read there.

If the replica cannot be reached the page is served from the primary (slower, with a log line) instead
of failing: the replica takes load off the primary, it is not a point of failure."""

import logging
import re
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "contenttypes", "admin", "axes", "guardian", "api"})
SAFE_METHODS = frozenset({"GET", "HEAD"})

log = logging.getLogger(__name__)
_reading_replica: ContextVar[bool] = ContextVar("kamkap_reading_replica", default=False)


class ReplicaRouter:
    """Routes reads to the replica while a request marked by `read_from_replica` is answered."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get() and not _primary_only(model):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return "default"  # an object read on the replica is written to the primary
        return None  # Django's own choice: the object's database, else the default

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: an object read there relates to one read here

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None  # the replica replays the primary's schema


def _primary_only(model) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APPS or model._meta.label == settings.AUTH_USER_MODEL


def _replica_reachable() -> bool:
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError as exc:
        log.warning("The read replica cannot be reached (%s); reading from the primary.", exc)
        connections[REPLICA].close()
        return False
    return True


def read_from_replica(get_response):
    """Middleware: marks the read-only requests for REPLICA_READ_PATHS when a replica is configured."""
    patterns = [re.compile(pattern) for pattern in settings.REPLICA_READ_PATHS]
    configured = REPLICA in settings.DATABASES

    def middleware(request):
        if not (configured and request.method in SAFE_METHODS and any(p.search(request.path) for p in patterns)):
            return get_response(request)
        if not _replica_reachable():
            return get_response(request)
        token = _reading_replica.set(True)
        try:
            return get_response(request)
        finally:
            _reading_replica.reset(token)

    return middleware
